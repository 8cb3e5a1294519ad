"""Fields shared by features and timeline annotations: dates, citations, provenance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from layers.boundary.problems import Fields, show
from layers.dates import DateError, iso, parse_date
from layers.grades import is_grade
from layers.model import Citation, ClaimType, Conflict, DateBasis, DateSpan


@dataclass(frozen=True)
class Known:
    """The ids a feature or annotation may refer to."""

    layers: frozenset[str]
    actors: frozenset[str]
    originators: frozenset[str]
    references: frozenset[str]
    paragraphs: dict[str, int]  # report file -> paragraph count
    boilerplate: dict[str, frozenset[int]]


def known_ids(layers, actors, originators, references, reports) -> Known:
    """What a claim may name, from ids and the report records (paragraph counts)."""
    return Known(
        layers=frozenset(layers),
        actors=frozenset(actors),
        originators=frozenset(originators),
        references=frozenset(references),
        paragraphs={r.file: r.paragraphs for r in reports},
        boilerplate={r.file: frozenset(r.boilerplate) for r in reports},
    )


@dataclass(frozen=True)
class Claim:
    """The provenance block every feature and annotation carries."""

    date: DateSpan | None
    date_basis: DateBasis | None
    claim_type: ClaimType
    originator: str
    grade: str
    sources: tuple[Citation, ...]
    references: tuple[str, ...]
    conflicts: tuple[Conflict, ...]
    actors: tuple[str, ...]


def read_claim(f: Fields, known: Known, derived_dates: bool) -> Claim | None:
    """Read and cross-check the provenance fields; None if any is bad (problems logged)."""
    span = read_date(f, derived_dates)
    basis = f.choice("date_basis", {b.value for b in DateBasis}, required=span is not None)
    claim = f.choice("claim_type", {c.value for c in ClaimType})
    originator = f.text("originator")
    if originator is not None and originator not in known.originators:
        f.problem("originator", f"unknown originator {show(originator)} (see sources.json)")
    grade = f.raw("grade")
    if grade is not None and not is_grade(grade):
        f.problem(
            "grade",
            f"expected an Admiralty grade A1 … F6 (reliability A-F, "
            f"credibility 1-6), got {show(grade)}",
        )
    sources = f.each("sources", lambda s, _i: read_citation(s, known), required=True)
    references = f.text_list("references")
    for ref in references:
        if ref not in known.references:
            f.problem("references", f"unknown reference {show(ref)} (see sources.json)")
    if claim == ClaimType.BACKGROUND and not references:
        f.problem("references", "a background claim needs an outside reference")
    if claim is not None and claim != ClaimType.BACKGROUND and not f.data.get("sources"):
        f.problem("sources", "needs at least one citation {report, paragraph}")
    if basis == DateBasis.REFERENCE and not references:
        f.problem("date_basis", "a date taken from a reference needs 'references'")
    if basis == DateBasis.INFERRED and not f.data.get("date_note_en"):
        f.problem("date_note_en", "an inferred date needs a note saying how it was inferred")
    actors = f.text_list("actors", required=True)
    for actor in actors:
        if actor not in known.actors:
            f.problem("actors", f"unknown actor id {show(actor)} (see actors.json)")
    conflicts = f.each("conflicts", lambda s, _i: _conflict(s, known))
    if not f.ok:
        return None
    return Claim(
        span,
        DateBasis(basis) if basis else None,
        ClaimType(claim),
        originator,  # type: ignore[arg-type]
        grade,
        sources,
        references,
        conflicts,
        actors,
    )


def read_date(f: Fields, derived: bool) -> DateSpan | None:
    """Read `date` (EDTF or null); with `derived`, check date_start/date_end agree with it."""
    text = f.raw("date", required=False)
    span = None
    if text is not None:
        try:
            span = parse_date(text)
        except DateError as exc:
            f.problem("date", str(exc))
            return None
    if derived:
        want = (iso(span.start), iso(span.end)) if span else (None, None)
        for name, expected in zip(("date_start", "date_end"), want, strict=True):
            got = f.data.get(name)
            if got != expected:
                f.problem(
                    name,
                    f"expected {show(expected)} (derived from date {show(text)}), got {show(got)}",
                )
    return span


def read_citation(f: Fields, known: Known) -> Citation | None:
    report, para = f.text("report"), f.raw("paragraph")
    if report is not None and report not in known.paragraphs:
        f.problem("report", f"unknown report {show(report)} (see sources.json)")
        return None
    if isinstance(para, bool) or not isinstance(para, int):
        f.problem("paragraph", f"expected a paragraph number, got {show(para)}")
        return None
    if report is None:
        return None
    count = known.paragraphs[report]
    if not 1 <= para <= count:
        f.problem("paragraph", f"{report} has paragraphs 1-{count}, got {para}")
        return None
    if para in known.boilerplate.get(report, ()):
        f.problem(
            "paragraph", f"paragraph {para} of {report} is the outlet's boilerplate, not a claim"
        )
        return None
    return Citation(report, para)


def _conflict(f: Fields, known: Known) -> Conflict | None:
    field, en, ar = f.text("field"), f.text("note_en", lang="en"), f.text("note_ar", lang="ar")
    sources = f.each("sources", lambda s, _i: read_citation(s, known), required=True)
    if len(sources) < 2:
        f.problem("sources", "a conflict needs the citations of both readings")
    if not f.ok:
        return None
    return Conflict(field, en, ar, sources)  # type: ignore[arg-type]


def optional_text(data: dict[str, Any], f: Fields, name: str, lang: str) -> str | None:
    return f.text(name, required=False, lang=lang) if data.get(name) is not None else None
