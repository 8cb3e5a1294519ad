"""Citations against the reports themselves (when ../shared/reports is present)."""

from __future__ import annotations

import hashlib

import pytest

from layers.model import PLACE_KINDS, ClaimType
from layers.names import contains_name
from tests.conftest import GEODATA, report_paragraphs
from tests.copycheck import data_files, load, report_runs, shared_runs, strings


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
    """A place is named in at least one paragraph cited for it; every other paragraph cited for
    it names the place or one of its actors (report 001 often tells the same fact as "the Gulf
    states" or "the Iraqi factions", without the town)."""
    texts = {r: report_paragraphs(reports_dir / r) for r in geodata.reports}
    checked = 0
    for f in geodata.features:
        if f.kind not in PLACE_KINDS or f.claim_type == ClaimType.BACKGROUND:
            continue
        names = (f.name_ar, *f.aliases_ar)
        who = tuple(
            n for a in f.actors for n in (geodata.actors[a].name_ar, *geodata.actors[a].aliases_ar)
        )
        named = 0
        for c in f.sources:
            paragraph = texts[c.report][c.paragraph - 1]
            here = any(contains_name(paragraph, n) for n in names)
            named += here
            assert here or any(contains_name(paragraph, n) for n in who), (
                f"{f.id}: {c.label()} contains none of {names} nor of its actors {who}"
            )
            checked += 1
        assert named, f"{f.id}: none of its paragraphs contains any of {names}"
    assert checked >= 20


def test_no_geodata_string_copies_six_words_of_a_report(reports_dir):
    """Every string of every geodata file (layers, actors, sources, timeline, walkthroughs,
    features), in both languages, against both reports."""
    grams = report_runs(p for f in sorted(reports_dir.glob("*.txt")) for p in report_paragraphs(f))
    assert len(grams) > 1000
    files = data_files(GEODATA)
    names = {p.name for p in files}
    assert {"layers.json", "actors.json", "sources.json", "timeline.json"} <= names
    assert any(p.suffix == ".yaml" for p in files) and any(p.suffix == ".geojson" for p in files)
    copied, checked = [], 0
    for path in files:
        for where, text in strings(load(path)):
            checked += 1
            copied += [(path.name, where, run) for run in shared_runs(text, grams)]
    assert checked > 1000
    assert not copied, copied


@pytest.mark.parametrize("report", ["000_0f03b8209ef71bac.txt", "001_dfc6dfa4d6bd7bc6.txt"])
def test_claims_found_in_both_reports_share_one_originator(geodata, report):
    """Both reports retell one Washington Institute report: never two independent sources."""
    assert "winep-2025-iraq-syria" in geodata.reports[report].retells
    both = [f for f in geodata.features if len(f.reports) == 2]
    assert both, "some claims are cited from both reports"
    assert {f.originator for f in both} == {"winep"}


def test_a_year_taken_from_the_reports_is_in_a_cited_paragraph(geodata, reports_dir):
    """A start year before Assad's fall that is not from an outside reference (2003, 2011,
    2013, 2014) must be written in one of the paragraphs the item cites."""
    texts = {r: report_paragraphs(reports_dir / r) for r in geodata.reports}
    checked = 0
    items = [*geodata.features, *geodata.annotations]
    for item in items:
        if item.date is None or item.date.start is None or item.date.start.year >= 2024:
            continue
        if item.date_basis is None or item.date_basis.value == "reference":
            continue
        year = str(item.date.start.year)
        cited = [texts[c.report][c.paragraph - 1] for c in item.sources]
        assert any(year in p for p in cited), f"{item.id}: {year} is in none of its paragraphs"
        checked += 1
    assert checked >= 8
