"""Static snapshots: every format opened and read back, the legend and the banner follow what is
shown, Arabic is shaped right to left, and no export opens a connection."""

from __future__ import annotations

import io
import re
import socket
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image
from pypdf import PdfReader

from layers.marking import MarkingError
from layers.snapshot import Snapshot, SnapshotError, render, save
from layers.snapshot.furniture import write
from layers.snapshot.text import register_fonts
from layers.view import View

WHEN = datetime(2025, 11, 23, 14, 30, tzinfo=UTC)
SVG = "{http://www.w3.org/2000/svg}"


def _scene(geodata, n, lang="en", **kw):
    scene = geodata.walkthroughs["iraq-syria-2025"].scenes[n - 1]
    return Snapshot.of_scene(scene, geodata, lang, when=WHEN, **kw)


def _svg_texts(data: bytes) -> list[str]:
    root = ET.fromstring(data)
    return ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]


@pytest.mark.parametrize(
    ("size", "dpi", "pixels"),
    [("slide", 300, (4000, 2250)), ("a4", 100, (1169, 826)), ("letter", 120, (1320, 1020))],
)
def test_png_has_the_page_size_in_pixels_and_records_its_dpi(geodata, size, dpi, pixels):
    fig, _ = render(_scene(geodata, 3, size=size, dpi=dpi), geodata)
    image = Image.open(io.BytesIO(save(fig, "png")))
    assert image.size == pixels
    # PNG stores pixels per metre as a whole number: 120 dpi reads back as 119.99
    assert image.info["dpi"] == pytest.approx((dpi, dpi), abs=0.05)


def test_svg_parses_and_holds_title_banner_and_dtg_as_text(geodata):
    fig, contents = render(_scene(geodata, 2), geodata)
    texts = _svg_texts(save(fig, "svg"))
    assert "ISIS in the desert, and al-Hol" in texts
    assert texts.count("TLP:CLEAR") == 2  # top and bottom banner
    assert "DTG 231430Z NOV 25" in texts
    assert "Information cut-off: November 2025" in texts
    assert contents.marking.label == "TLP:CLEAR"


def test_pdf_has_one_page_with_title_classification_and_citations(geodata):
    fig, _ = render(_scene(geodata, 6, size="a4", classification="UNCLASSIFIED"), geodata)
    reader = PdfReader(io.BytesIO(save(fig, "pdf", when=WHEN)))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Turkey and the two pipelines" in text
    assert text.count("UNCLASSIFIED") == 2
    # the citations read as everywhere else (layers.reports.labels); ¶14: the Kirkuk–Ceyhan line
    cited = re.search(r"report 000 \(outlet not named, November 2025\), ¶¶([0-9–, ]+)", text)
    assert cited, text
    numbers = set()
    for part in cited.group(1).split(","):
        lo, _, hi = part.strip().partition("–")
        numbers.update(range(int(lo), int(hi or lo) + 1))
    assert 14 in numbers
    assert ".txt" not in text  # not bare file names
    assert "Natural Earth" in text and "de facto" in text


def test_same_request_same_bytes(geodata):
    a = save(render(_scene(geodata, 3, dpi=80), geodata)[0], "png")
    b = save(render(_scene(geodata, 3, dpi=80), geodata)[0], "png")
    assert a == b


def _legend_layers(geodata, view: View) -> set[str]:
    snap = Snapshot(view, frame=(35.0, 29.5, 52.0, 38.5), when=WHEN, dpi=60)
    _, contents = render(snap, geodata)
    return {item.layer for item in contents.legend}


def test_legend_lists_each_visible_layer_and_no_hidden_one(geodata):
    shown = frozenset({"isis", "energy", "border"})
    assert _legend_layers(geodata, View(layers=shown)) == shown
    everything = _legend_layers(geodata, View())  # the default: scenarios hidden
    assert "energy" in everything and not {"scenario-limited", "scenario-partnership"} & everything


def test_legend_in_the_image_names_shown_layers_only(geodata):
    view = View(layers=frozenset({"energy", "isis"}))
    fig, _ = render(Snapshot(view, frame=(35.0, 29.5, 52.0, 38.5), when=WHEN, dpi=60), geodata)
    texts = _svg_texts(save(fig, "svg"))
    assert any(t.startswith("Oil pipelines (") for t in texts)
    assert any(t.startswith("ISIS and al-Hol (") for t in texts)
    assert not any(t.startswith("Smuggling corridor (") for t in texts)


def _marked(geodata, layer_id: str, marking: str):
    layers = dict(geodata.layers)
    layers[layer_id] = replace(layers[layer_id], marking=marking)
    return replace(geodata, layers=layers)


def test_banner_shows_the_highest_marking_and_a_lower_request_is_refused(geodata):
    amber = _marked(geodata, "energy", "TLP:AMBER")
    fig, contents = render(_scene(amber, 6, dpi=60), amber)
    assert contents.marking.label == "TLP:AMBER"
    assert _svg_texts(save(fig, "svg")).count("TLP:AMBER") == 2
    with pytest.raises(MarkingError, match=r"refused: asked for TLP:CLEAR.*\(energy\)"):
        render(_scene(amber, 6, dpi=60, classification="TLP:CLEAR"), amber)
    # a scene without the amber layer is not held up by it
    _, contents = render(_scene(amber, 2, dpi=60, classification="TLP:CLEAR"), amber)
    assert contents.marking.label == "TLP:CLEAR"


@pytest.mark.parametrize(
    ("change", "message"),
    [({"size": "a3"}, "size: expected one of slide, a4, letter"), ({"dpi": 5}, "dpi")],
)
def test_bad_requests_are_clear_errors(geodata, change, message):
    with pytest.raises(SnapshotError, match=message):
        render(_scene(geodata, 1, **change), geodata)


def _ink(text: str, ha: str) -> np.ndarray:
    """Columns of a 600×120 px image that hold ink for `text` drawn in Arabic at x=300."""
    register_fonts()
    fig = Figure(figsize=(6, 1.2), dpi=100)
    canvas = FigureCanvasAgg(fig)
    write(fig, 0.5, 0.5, text, "ar", 40, ha=ha, va="center")
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[:, :, 0] < 128


def test_arabic_is_shaped_not_drawn_as_isolated_letters():
    word = "مخيم"
    isolated = "\u200c".join(word)  # a zero-width non-joiner between letters forbids joining
    assert not np.array_equal(_ink(word, "center"), _ink(isolated, "center"))


def test_arabic_runs_right_to_left():
    """Baghdad: removing the last letter changes only the left end of the right-anchored
    word, removing the first changes only the right end of the left-anchored one."""
    word = "بغداد"
    full_r, no_last = _ink(word, "right"), _ink(word[:-1], "right")
    full_l, no_first = _ink(word, "left"), _ink(word[1:], "left")
    cols = np.flatnonzero(full_r.any(axis=0))
    middle = (cols.min() + cols.max()) / 2
    last_letter = np.flatnonzero((full_r != no_last).any(axis=0))
    first_letter = np.flatnonzero((full_l != no_first).any(axis=0))
    assert last_letter.size and first_letter.size
    assert last_letter.max() < middle  # the last letter is on the left
    assert first_letter.min() > middle  # the first letter is on the right


def test_arabic_snapshot_mirrors_the_page(geodata):
    fig, contents = render(_scene(geodata, 2, "ar", dpi=60), geodata)
    texts = _svg_texts(save(fig, "svg"))
    assert "\u200fداعش في الصحراء، ومخيم الهول" in texts
    assert any("مخيم الهول" in t for t in texts)  # a feature label in Arabic
    assert contents.legend[0].label == "داعش ومخيم الهول"


@pytest.fixture
def no_network(monkeypatch):
    """Every way of opening a connection fails the test: record and refuse."""
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args[:2]))
        raise OSError("network is blocked in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_snapshot_makes_no_network_request(geodata, no_network):
    for fmt in ("png", "svg", "pdf"):
        fig, _ = render(_scene(geodata, 4, "ar", dpi=72), geodata)
        assert save(fig, fmt)
    assert no_network == []
