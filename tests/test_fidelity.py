"""Rules a line-by-line audit of the data against the reports turned into tests, so the same
mistakes cannot ship again: grades follow the README's practice, every paragraph and actor is
used, words a report gives without a source are credited to its outlet, and a background note
on a report item is backed by its reference."""

from __future__ import annotations

import json
import re

from pyproj import Geod

from layers.model import ClaimType
from layers.render.basemap import load_layer
from tests.conftest import GEODATA, report_paragraphs

R0 = "000_0f03b8209ef71bac.txt"
# Admiralty credibility by claim type (README, "Grades"): the reliability letter is the
# originator's, from sources.json.
CREDIBILITY = {
    ClaimType.FACT: "2",
    ClaimType.JUDGEMENT: "3",
    ClaimType.SCENARIO: "6",
    ClaimType.BACKGROUND: "1",
}
# Paragraphs of report 000 that credit no one: the photo caption (1-2) and the Maliki-Sudani
# dispute over the summit (18-19), which report 001 does not have.
UNCREDITED = {(R0, 1), (R0, 2), (R0, 18), (R0, 19)}
HARMOON = {(R0, 21), (R0, 22), (R0, 23), (R0, 24)}


def _claims(geodata):
    yield from (("feature", f) for f in geodata.features)
    yield from (("annotation", a) for a in geodata.annotations)


def test_grades_follow_the_practice(geodata):
    wrong = []
    for kind, item in _claims(geodata):
        origin = geodata.originators[item.originator]
        expected = origin.reliability + CREDIBILITY[item.claim_type]
        if item.grade != expected:
            wrong.append(f"{kind} {item.id}: {item.grade}, expected {expected}")
    assert not wrong, wrong


def test_every_paragraph_of_the_reports_is_cited(geodata):
    cited = {(c.report, c.paragraph) for _kind, item in _claims(geodata) for c in item.sources}
    for w in geodata.walkthroughs.values():
        cited |= {(c.report, c.paragraph) for s in w.scenes for c in s.sources}
    for r in geodata.reports.values():
        wanted = set(range(1, r.paragraphs + 1)) - set(r.boilerplate)
        assert wanted <= {p for f, p in cited if f == r.file}, r.file


def test_every_actor_is_used(geodata):
    used = {a for _kind, item in _claims(geodata) for a in item.actors}
    assert set(geodata.actors) <= used, set(geodata.actors) - used


def test_uncredited_paragraphs_are_the_outlets_and_harmoons_are_harmoons(geodata):
    for kind, item in _claims(geodata):
        cited = {(c.report, c.paragraph) for c in item.sources}
        if cited and cited <= UNCREDITED:
            assert item.originator == "outlet-000", f"{kind} {item.id}"
        if cited and cited <= HARMOON:
            assert item.originator == "harmoon", f"{kind} {item.id}"
        if item.originator == "harmoon":
            assert item.conflicts, f"{kind} {item.id}: the attribution of 000 p20-23 is unsure"


def test_background_notes_on_report_items_carry_a_reference(geodata):
    noted = [f for f in geodata.features if (f.location_note_en or "").startswith("Background")]
    assert len(noted) >= 2
    for f in noted:
        assert f.references, f.id
        assert (f.location_note_ar or "").startswith("معلومة خلفية"), f.id


def test_anbar_is_the_largest_governorate_of_iraq():
    """The background note on anbar-governorate is our measurement: check it."""
    from shapely.geometry import shape

    geod = Geod(ellps="WGS84")
    iraq = {
        f["properties"]["name"]: abs(geod.geometry_area_perimeter(shape(f["geometry"]))[0])
        for f in load_layer("admin1", GEODATA / "basemap")
        if f["properties"]["adm0_a3"] == "IRQ"
    }
    assert len(iraq) >= 18
    assert max(iraq, key=iraq.get) == "Al-Anbar"


# -- a claim whose paragraph credits someone other than its originator ----------------------

# Words with which a paragraph credits someone other than the report it retells: unnamed
# sources («ووفق مصادر عراقية»), a named centre («مركز حرمون»), a ministry (the photo credit),
# other reports («وتشير التقارير»).
CREDITS = {
    "unnamed sources": re.compile(r"مصادر"),
    "a named centre": re.compile(r"(?<![\w])[وفلب]?مركز(?![\w])"),
    "a ministry": re.compile(r"وزارة"),
    "other reports": re.compile(r"تشير التقارير"),
}


def _credits(paragraph: str) -> list[str]:
    return [who for who, pattern in CREDITS.items() if pattern.search(paragraph)]


def _unreviewed_credits(geodata, paragraphs, reviewed: set[tuple[str, str, int]]):
    """(item, report, paragraph, who) for each Washington Institute item citing a paragraph
    that credits someone else, unless the citation was reviewed."""
    found = []
    for _kind, item in _claims(geodata):
        if item.originator != "winep":
            continue
        for c in item.sources:
            who = _credits(paragraphs[c.report][c.paragraph - 1])
            if who and (item.id, c.report, c.paragraph) not in reviewed:
                found.append((item.id, c.report, c.paragraph, who))
    return found


def _reviews() -> list[dict]:
    data = json.loads((GEODATA / "sources.json").read_text(encoding="utf-8"))
    return data["attribution_reviews"]


def test_the_credit_words_are_found_where_the_reports_have_them(reports_dir):
    r0 = report_paragraphs(reports_dir / R0)
    assert _credits(r0[15]) == ["unnamed sources"]  # ووفق مصادر عراقية
    assert _credits(r0[23]) == ["a named centre"]  # مركز حرمون للدراسات
    assert _credits(r0[0]) == ["a ministry"]  # the photo credit
    assert _credits(r0[7]) == ["other reports"]
    assert _credits("مراكز تنسيق حدودية") == []  # border coordination centres credit no one


def test_claims_citing_a_paragraph_that_credits_someone_else_were_reviewed(geodata, reports_dir):
    paragraphs = {r: report_paragraphs(reports_dir / r) for r in geodata.reports}
    reviews = _reviews()
    reviewed = {(r["item"], r["report"], r["paragraph"]) for r in reviews}
    assert all(r.get("note_en", "").strip() for r in reviews), "each review says why"
    assert not _unreviewed_credits(geodata, paragraphs, reviewed)
    # and no review is stale: each names a Washington Institute item citing such a paragraph
    flagged = {(i, r, p) for i, r, p, _who in _unreviewed_credits(geodata, paragraphs, set())}
    assert reviewed <= flagged, reviewed - flagged


def test_an_unreviewed_institute_claim_on_unnamed_sources_is_flagged(geodata, reports_dir):
    """The mechanism, Tehran and 'Iran seeks a way back' once carried the Iraqi sources' claim
    of 000 p16 as the Institute's B2: without their reviews they are flagged again."""
    paragraphs = {r: report_paragraphs(reports_dir / r) for r in geodata.reports}
    reviewed = {(r["item"], r["report"], r["paragraph"]) for r in _reviews()}
    for item in ("tehran-baghdad-damascus-mechanism", "tehran", "iran-seeks-way-back"):
        without = reviewed - {(item, R0, 16)}
        assert _unreviewed_credits(geodata, paragraphs, without) == [
            (item, R0, 16, ["unnamed sources"])
        ]
    split = next(a for a in geodata.annotations if a.id == "iraqi-sources-tehran-leverage")
    assert split.originator == "iraqi-sources-000" and split.grade == "F3"
    assert geodata.originators["iraqi-sources-000"].reliability == "F"
