"""Citations against the reports themselves (when ../shared/reports is present)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from layers.model import PLACE_KINDS, ClaimType
from layers.names import contains_name, words
from tests.conftest import GEODATA, report_paragraphs

NGRAM = 6


def test_recorded_checksums_and_paragraph_counts_match(geodata, reports_dir):
    for report in geodata.reports.values():
        path = reports_dir / report.file
        assert hashlib.sha256(path.read_bytes()).hexdigest() == report.sha256, report.file
        assert len(report_paragraphs(path)) == report.paragraphs, report.file


def _cited(geodata):
    for f in geodata.features:
        yield f"feature {f.id}", f.sources
    for a in geodata.annotations:
        yield f"annotation {a.id}", a.sources


def test_every_citation_points_to_a_real_paragraph(geodata, reports_dir):
    texts = {r: report_paragraphs(reports_dir / r) for r in geodata.reports}
    count = 0
    for where, sources in _cited(geodata):
        for c in sources:
            assert 1 <= c.paragraph <= len(texts[c.report]), f"{where}: {c.label()}"
            assert texts[c.report][c.paragraph - 1].strip(), f"{where}: {c.label()} is empty"
            count += 1
    assert count > 100  # the data is cited throughout, not once


def test_named_places_appear_in_the_paragraphs_cited_for_them(geodata, reports_dir):
    texts = {r: report_paragraphs(reports_dir / r) for r in geodata.reports}
    checked = 0
    for f in geodata.features:
        if f.kind not in PLACE_KINDS or f.claim_type == ClaimType.BACKGROUND:
            continue
        names = (f.name_ar, *f.aliases_ar)
        for c in f.sources:
            paragraph = texts[c.report][c.paragraph - 1]
            assert any(contains_name(paragraph, n) for n in names), (
                f"{f.id}: {c.label()} contains none of {names}"
            )
            checked += 1
    assert checked >= 20


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)


def _geodata_files() -> list[Path]:
    return [
        p
        for p in GEODATA.rglob("*")
        if p.suffix in (".json", ".geojson", ".yaml", ".yml") and "basemap" not in p.parts
    ]


def test_no_geodata_string_copies_six_words_of_a_report(reports_dir):
    grams = set()
    for path in reports_dir.glob("*.txt"):
        for paragraph in report_paragraphs(path):
            w = words(paragraph)
            grams.update(tuple(w[i : i + NGRAM]) for i in range(len(w) - NGRAM + 1))
    assert len(grams) > 1000
    copied = []
    for path in _geodata_files():
        data = _load(path)
        for text in _strings(data):
            w = words(text)
            copied += [
                (path.name, " ".join(w[i : i + NGRAM]))
                for i in range(len(w) - NGRAM + 1)
                if tuple(w[i : i + NGRAM]) in grams
            ]
    assert not copied, copied


def test_six_word_check_catches_a_copied_sentence(reports_dir):
    """The check above can fail: a sentence lifted from a report is found."""
    paragraph = report_paragraphs(reports_dir / "000_0f03b8209ef71bac.txt")[7]
    w = words(paragraph)
    sample = " ".join(w[3:10])
    grams = {tuple(w[i : i + NGRAM]) for i in range(len(w) - NGRAM + 1)}
    sw = words(sample)
    assert any(tuple(sw[i : i + NGRAM]) in grams for i in range(len(sw) - NGRAM + 1))


@pytest.mark.parametrize("report", ["000_0f03b8209ef71bac.txt", "001_dfc6dfa4d6bd7bc6.txt"])
def test_claims_found_in_both_reports_share_one_originator(geodata, report):
    """Both reports retell one Washington Institute report: never two independent sources."""
    assert "winep-2025-iraq-syria" in geodata.reports[report].retells
    both = [f for f in geodata.features if len(f.reports) == 2]
    assert both, "some claims are cited from both reports"
    assert {f.originator for f in both} == {"winep"}


def _load(path: Path):
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        import yaml

        return yaml.safe_load(text)
    return json.loads(text)
