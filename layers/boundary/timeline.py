"""The timeline file: dated or datable statements from the reports, and the scenarios."""

from __future__ import annotations

from typing import Any

from layers.boundary.claims import Known, optional_text, read_claim
from layers.boundary.problems import Fields, ProblemLog, show
from layers.model import Annotation, ClaimType

ANNOTATION_KINDS = frozenset({"event", "period", "statement", "scenario"})
_PROPERTIES = frozenset(
    {
        "id",
        "kind",
        "date",
        "date_start",
        "date_end",
        "date_basis",
        "date_note_en",
        "date_note_ar",
        "title_en",
        "title_ar",
        "text_en",
        "text_ar",
        "actors",
        "features",
        "sources",
        "claim_type",
        "originator",
        "grade",
        "references",
        "conflicts",
    }
)


def read_timeline(data: Any, file: str, known: Known, log: ProblemLog) -> list[Annotation]:
    if not isinstance(data, dict) or not isinstance(data.get("annotations"), list):
        log.add(file, "", "annotations", "expected an object with a list 'annotations'")
        return []
    out = []
    for i, entry in enumerate(data["annotations"]):
        ident = entry.get("id") if isinstance(entry, dict) else None
        item = f"annotations[{i}]" + (f" (id {show(ident)})" if isinstance(ident, str) else "")
        if not isinstance(entry, dict):
            log.add(file, item, "", "expected an object")
            continue
        annotation = _annotation(log.at(file, item, entry), known)
        if annotation is not None:
            out.append(annotation)
    return out


def _annotation(f: Fields, known: Known) -> Annotation | None:
    f.unknown(_PROPERTIES)
    ident, kind = f.ident("id"), f.choice("kind", ANNOTATION_KINDS)
    texts = {k: f.text(k, lang=k[-2:]) for k in ("title_en", "title_ar", "text_en", "text_ar")}
    features = f.text_list("features")
    claim = read_claim(f, known, derived_dates=True)
    if claim is not None:
        is_scenario = claim.claim_type == ClaimType.SCENARIO
        if is_scenario != (kind == "scenario"):
            f.problem("kind", "scenario annotations (and only they) have claim_type scenario")
        if kind != "scenario" and claim.date is None:
            f.problem(
                "date", "a timeline annotation needs a date (EDTF); only scenarios are undated"
            )
    notes = {k: optional_text(f.data, f, k, k[-2:]) for k in ("date_note_en", "date_note_ar")}
    if not f.ok or claim is None:
        return None
    return Annotation(
        id=ident,
        kind=kind,
        date=claim.date,
        date_basis=claim.date_basis,  # type: ignore[arg-type]
        title_en=texts["title_en"],
        title_ar=texts["title_ar"],  # type: ignore[arg-type]
        text_en=texts["text_en"],
        text_ar=texts["text_ar"],  # type: ignore[arg-type]
        actors=claim.actors,
        features=features,
        sources=claim.sources,
        claim_type=claim.claim_type,
        originator=claim.originator,
        grade=claim.grade,
        references=claim.references,
        conflicts=claim.conflicts,
        **notes,
    )
