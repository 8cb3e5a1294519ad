"""Briefing packs: the PPTX and the PDF opened and read back, in English and in Arabic."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from pptx import Presentation
from pypdf import PdfReader

from layers.export.pack.build import build_pack
from layers.export.pack.content import pack_content
from layers.marking import MarkingError
from layers.names import has_arabic
from tests.conftest import report_paragraphs
from tests.copycheck import report_runs, shared_runs

WHEN = datetime(2025, 11, 23, 14, 30, tzinfo=UTC)
A_NS = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.fixture(scope="module")
def walkthrough(geodata):
    return geodata.walkthroughs["iraq-syria-2025"]


@pytest.fixture(scope="module")
def english(geodata, walkthrough):
    return build_pack(walkthrough, geodata, "en", WHEN, formats=("pptx", "pdf")).files


@pytest.fixture(scope="module")
def arabic(geodata, walkthrough):
    return build_pack(walkthrough, geodata, "ar", WHEN, formats=("pptx",)).files


BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u2066\u2067\u2068\u2069"))


def _plain(text: str) -> str:
    """The words without the bidi marks that keep an Arabic line's Latin runs in order."""
    return text.translate(BIDI_MARKS)


def _texts(slide) -> str:
    return "\n".join(_plain(s.text_frame.text) for s in slide.shapes if s.has_text_frame)


def test_pptx_has_title_scenes_legend_and_sources_with_notes(english, walkthrough):
    deck = Presentation(io.BytesIO(english["pptx"]))
    slides = list(deck.slides)
    n = len(walkthrough.scenes)
    assert len(slides) == n + 3
    assert deck.slide_width / deck.slide_height == pytest.approx(16 / 9, rel=1e-3)
    title = _texts(slides[0])
    assert walkthrough.title_en in title and "DTG 231430Z NOV 25" in title
    assert title.count("TLP:CLEAR") >= 3  # two banners and the line on the slide
    for slide, scene in zip(slides[1 : n + 1], walkthrough.scenes, strict=True):
        text = _texts(slide)
        assert scene.title_en in text and all(p in text for p in scene.points_en)
        assert any(s.shape_type == 13 for s in slide.shapes)  # the snapshot picture
        assert slide.notes_slide.notes_text_frame.text == scene.notes_en
    assert "Legend" in _texts(slides[-2]) and "Oil pipelines" in _texts(slides[-2])
    assert "Sources" in _texts(slides[-1])


def _cited_ranges(lines: list[str]) -> dict[str, set[int]]:
    """Report file -> paragraph numbers, expanding '3–5' ranges of the sources list
    ('report 000 (outlet not named, November 2025), ¶¶4, 8–10 — our title (000_….txt)')."""
    out: dict[str, set[int]] = {}
    for line in lines:
        m = re.match(r"report (\d+) \([^)]*\), ¶¶?([0-9–, ]+) — .* \((\S+)\)$", line)
        if not m:
            continue
        assert m.group(3).startswith(m.group(1) + "_"), line
        nums = set()
        for part in m.group(2).split(","):
            lo, _, hi = part.strip().partition("–")
            nums.update(range(int(lo), int(hi or lo) + 1))
        out[m.group(3)] = nums
    return out


def test_sources_list_every_cited_paragraph_and_reference(geodata, walkthrough):
    content = pack_content(walkthrough, geodata, "en", WHEN)
    listed = _cited_ranges(list(content.sources))
    features = {f.id: f for fs in content.features for f in fs}.values()
    cited = [c for s in walkthrough.scenes for c in s.sources]
    cited += [c for f in features for c in f.sources]
    assert cited
    for c in cited:
        assert c.paragraph in listed[c.report], c
    for ref in {r for f in features for r in f.references}:
        assert any(geodata.references[ref].title in line for line in content.sources), ref


def test_pdf_pack_pages_and_text(english, walkthrough):
    reader = PdfReader(io.BytesIO(english["pdf"]))
    n = len(walkthrough.scenes)
    assert len(reader.pages) == n + 3
    first = reader.pages[0].extract_text()
    assert walkthrough.title_en in first and "TLP:CLEAR" in first and "231430Z NOV 25" in first
    scene = reader.pages[3].extract_text()
    assert walkthrough.scenes[2].title_en in scene
    assert walkthrough.scenes[2].points_en[0][:30] in scene.replace("\n", " ")
    sources = reader.pages[-1].extract_text()
    assert "report 000 (outlet not named, November 2025), ¶¶" in sources
    assert "000_0f03b8209ef71bac.txt" in sources


def test_sources_quote_nothing_from_the_reports(english, arabic, reports_dir):
    """Citing is enough: no run of six words of a report in any text of either pack."""
    grams = report_runs(p for path in reports_dir.glob("*.txt") for p in report_paragraphs(path))
    texts = [PdfReader(io.BytesIO(english["pdf"])).pages[-1].extract_text()]
    for deck in (english["pptx"], arabic["pptx"]):
        for slide in Presentation(io.BytesIO(deck)).slides:
            texts.append(_texts(slide))
            texts.append(_plain(slide.notes_slide.notes_text_frame.text))
    assert all(not shared_runs(text, grams) for text in texts)


def test_arabic_paragraphs_run_right_to_left(arabic, walkthrough):
    deck = Presentation(io.BytesIO(arabic["pptx"]))
    arabic_paras = 0
    for slide in deck.slides:
        frames = [s.text_frame for s in slide.shapes if s.has_text_frame]
        frames.append(slide.notes_slide.notes_text_frame)
        for frame in frames:
            for p in frame.paragraphs:
                if not has_arabic(p.text):
                    continue
                arabic_paras += 1
                ppr = p._p.find(f"{A_NS}pPr")
                assert ppr is not None and ppr.get("rtl") == "1" and ppr.get("algn") == "r", p.text
    assert arabic_paras > 3 * len(walkthrough.scenes)
    notes = deck.slides[1].notes_slide.notes_text_frame.text
    assert _plain(notes) == walkthrough.scenes[0].notes_ar


def test_pack_below_its_marking_is_refused(geodata, walkthrough):
    from dataclasses import replace

    layers = dict(geodata.layers)
    layers["energy"] = replace(layers["energy"], marking="TLP:AMBER")
    amber = replace(geodata, layers=layers)
    with pytest.raises(MarkingError, match="TLP:AMBER"):
        build_pack(walkthrough, amber, "en", WHEN, classification="TLP:GREEN", formats=("html",))


# A run a reader must see whole and in order: a number range, a dated Latin reference, a file
# name, a name in Latin letters.
LATIN_RUN = re.compile(r"\d+–\d+|[A-Za-z0-9][A-Za-z0-9_.:'’\- ]*[A-Za-z0-9]")


def _visual(text: str) -> str:
    """The characters of a right-to-left paragraph left to right as a conforming bidi
    implementation shows them (libraqm, the engine of the PNGs; the paragraph's direction
    set as `rtl="1"` sets it in PowerPoint and LibreOffice)."""
    from matplotlib import font_manager
    from matplotlib.ft2font import LoadFlags

    from layers.snapshot.text import families, register_fonts

    register_fonts()
    props = font_manager.FontProperties(family=families("ar"))
    font = font_manager.get_font(font_manager.fontManager._find_fonts_by_props(props))
    font.set_size(12, 72)
    items = font._layout("\u200f" + text, LoadFlags.NO_HINTING)
    return "".join(item.char for item in sorted(items, key=lambda i: i.x))


def test_arabic_slides_keep_ranges_names_and_file_names_in_order(arabic):
    """Every right-to-left paragraph of the deck, laid out as a viewer lays it out: each
    Latin run of its words (a range such as 1–5, a file name, a dated reference) reads left
    to right, whole. Without the marks, digits beside Arabic become Arabic numbers and the
    range shows as 5–1, a file name splits at its first letter."""
    deck = Presentation(io.BytesIO(arabic["pptx"]))
    broken, checked = [], 0
    for slide in deck.slides:
        frames = [s.text_frame for s in slide.shapes if s.has_text_frame]
        for p in (p for frame in frames for p in frame.paragraphs):
            if not has_arabic(p.text):
                continue
            shown = _visual(p.text)
            for run in LATIN_RUN.findall(_plain(p.text)):
                checked += 1
                if run.strip() not in shown:
                    broken.append(f"{run!r} in {_plain(p.text)[:60]!r}")
    assert checked > 20
    assert broken == []
