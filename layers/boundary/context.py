"""The context files: sources (reports, originators, outside references), actors, layers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from layers.boundary.problems import Fields, ProblemLog, show
from layers.dates import DateError, parse_date
from layers.grades import RELIABILITY
from layers.model import (
    Actor,
    Document,
    Layer,
    Originator,
    Reference,
    Report,
)

ACTOR_KINDS = frozenset(
    {
        "state",
        "state-force",
        "armed-group",
        "coalition",
        "intergovernmental",
        "person",
        "political-camp",
        "group-of-states",
        "community",
    }
)
_REPORT_FIELDS = frozenset(
    {"file", "language", "date", "paragraphs", "sha256", "title_en", "title_ar", "retells"}
    | {"boilerplate", "outlet_en", "outlet_ar"}
)
_ACTOR_FIELDS = frozenset(
    {"id", "name_en", "name_ar", "kind", "colour", "aliases_en", "aliases_ar", "valid_from"}
    | {"valid_to", "acled_names", "member_of", "note_en"}
)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_REPORT_FILE = re.compile(r"^[\w.-]+\.txt$")


@dataclass(frozen=True)
class Context:
    """Valid records, plus every id the files declare (valid or not) for cross-references, so
    one broken actor is reported once rather than again by every feature that names it."""

    declared: dict[str, frozenset[str]]
    reports: dict[str, Report]
    originators: dict[str, Originator]
    documents: dict[str, Document]
    references: dict[str, Reference]
    actors: dict[str, Actor]
    layers: dict[str, Layer]
    area_of_interest: tuple[float, float, float, float]


def top_list(data: Any, file: str, key: str, log: ProblemLog) -> list[Any]:
    if data is None:  # unreadable file: already reported by read_json
        return []
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        log.add(file, "", key, f"expected an object with a list '{key}'")
        return []
    return data[key]


def declared_ids(data: Any, key: str, ident: str = "id") -> frozenset[str]:
    entries = data.get(key) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return frozenset()
    return frozenset(
        e[ident] for e in entries if isinstance(e, dict) and isinstance(e.get(ident), str)
    )


def read_records(
    entries: list[Any], file: str, kind: str, log: ProblemLog, read, key: str = "id"
) -> dict[str, Any]:
    """Read each entry with `read(fields)`; index the good ones by `key`, flag duplicates."""
    out: dict[str, Any] = {}
    for i, entry in enumerate(entries):
        ident = entry.get(key) if isinstance(entry, dict) else None
        ident = ident if isinstance(ident, str) else None  # anything else: its reader says so
        item = f"{kind}[{i}]" + (f" ({key} {show(ident)})" if ident else "")
        if not isinstance(entry, dict):
            log.add(file, item, "", "expected an object")
            continue
        fields = log.at(file, item, entry)
        record = read(fields)
        if ident is not None and ident in out:
            fields.problem(key, f"duplicate {key} {show(ident)}")
        elif fields.ok and record is not None:
            out[ident] = record
    return out


def _edtf(fields: Fields, name: str, required: bool = True) -> str | None:
    value = fields.text(name, required)
    if value is None:
        return None
    try:
        parse_date(value)
    except DateError as exc:
        fields.problem(name, str(exc))
        return None
    return value


def _iso_day(fields: Fields, name: str) -> date | None:
    value = fields.raw(name, required=False)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        fields.problem(name, f"expected a date YYYY-MM-DD, got {show(value)}")
        return None


def read_sources(
    data: Any, file: str, log: ProblemLog
) -> tuple[dict[str, Report], dict[str, Originator], dict[str, Document], dict[str, Reference]]:
    originators = read_records(
        top_list(data, file, "originators", log), file, "originators", log, _originator
    )
    documents = read_records(
        top_list(data, file, "documents", log),
        file,
        "documents",
        log,
        lambda f: _document(f, originators),
    )
    reports = read_records(
        top_list(data, file, "reports", log),
        file,
        "reports",
        log,
        lambda f: _report(f, documents),
        key="file",
    )
    references = read_records(
        top_list(data, file, "references", log), file, "references", log, _reference
    )
    return reports, originators, documents, references


def _originator(f: Fields) -> Originator | None:
    f.unknown({"id", "name_en", "name_ar", "kind", "reliability", "note_en"})
    values = (
        f.ident("id"),
        f.text("name_en", lang="en"),
        f.text("name_ar", lang="ar"),
        f.text("kind"),
        f.choice("reliability", RELIABILITY),
    )
    note = f.text("note_en", required=False) or ""
    if not f.ok:
        return None
    return Originator(*values, note_en=note)  # type: ignore[arg-type]


def _document(f: Fields, originators: dict[str, Originator]) -> Document | None:
    f.unknown({"id", "originator", "title_en", "title_ar", "date", "note_en"})
    ident, origin = f.ident("id"), f.text("originator")
    if origin is not None and origin not in originators:
        f.problem("originator", f"unknown originator {show(origin)}")
    values = (f.text("title_en", lang="en"), f.text("title_ar", lang="ar"), _edtf(f, "date"))
    note = f.text("note_en", required=False) or ""
    if not f.ok:
        return None
    return Document(ident, origin, *values, note_en=note)  # type: ignore[arg-type]


def _report(f: Fields, documents: dict[str, Document]) -> Report | None:
    f.unknown(_REPORT_FIELDS)
    name = f.text("file")
    if name is not None and not _REPORT_FILE.match(name):
        f.problem("file", f"expected a report file name like 000_x.txt, got {show(name)}")
    sha = f.text("sha256")
    if sha is not None and not _SHA256.match(sha):
        f.problem("sha256", "expected 64 lower-case hex digits")
    count = f.integer("paragraphs", low=1)
    retells = f.text_list("retells", required=True)
    for doc in retells:
        if doc not in documents:
            f.problem("retells", f"unknown document {show(doc)}")
    boiler = f.data.get("boilerplate", [])
    if not isinstance(boiler, list) or not all(
        isinstance(n, int) and count is not None and 1 <= n <= count for n in boiler
    ):
        f.problem("boilerplate", "expected a list of paragraph numbers within the report")
    values = (f.choice("language", {"ar", "en"}), _edtf(f, "date"))
    titles = (f.text("title_en", lang="en"), f.text("title_ar", lang="ar"))
    outlet = {k: f.text(k, required=False, lang=k[-2:]) for k in ("outlet_en", "outlet_ar")}
    if not f.ok:
        return None
    return Report(
        name,
        values[0],
        values[1],
        count,
        sha,
        titles[0],
        titles[1],  # type: ignore[arg-type]
        retells,
        tuple(boiler),
        **{k: v for k, v in outlet.items() if v},
    )


def _reference(f: Fields) -> Reference | None:
    f.unknown({"id", "title", "publisher", "date", "url", "note_en"})
    ident, title, publisher, when = (
        f.ident("id"),
        f.text("title"),
        f.text("publisher"),
        _edtf(f, "date"),
    )
    url = f.text("url", required=False)
    if url is not None and not url.startswith(("https://", "http://")):
        f.problem("url", f"expected an http(s) address, got {show(url)}")
    note = f.text("note_en", required=False) or ""
    if not f.ok:
        return None
    return Reference(ident, title, publisher, when, url, note)  # type: ignore[arg-type]


def read_actors(data: Any, file: str, log: ProblemLog) -> dict[str, Actor]:
    entries = top_list(data, file, "actors", log)
    actors = read_records(entries, file, "actors", log, _actor)
    declared = declared_ids(data, "actors")
    for i, entry in enumerate(entries):
        parent = entry.get("member_of") if isinstance(entry, dict) else None
        if isinstance(parent, str) and parent not in declared:
            log.add(
                file,
                f"actors[{i}] (id {show(entry.get('id'))})",
                "member_of",
                f"unknown actor {show(parent)}",
            )
    return actors


def _actor(f: Fields) -> Actor | None:
    f.unknown(_ACTOR_FIELDS)
    ident = f.ident("id")
    names = (f.text("name_en", lang="en"), f.text("name_ar", lang="ar"))
    kind, colour = f.choice("kind", ACTOR_KINDS), f.colour("colour")
    aliases = (f.text_list("aliases_en"), f.text_list("aliases_ar", lang="ar"))
    start, end = _iso_day(f, "valid_from"), _iso_day(f, "valid_to")
    if start is not None and end is not None and start > end:
        f.problem("valid_to", f"ends ({end}) before valid_from ({start})")
    acled = f.text_list("acled_names")
    member_of = f.text("member_of", required=False)
    note = f.text("note_en", required=False)
    if not f.ok:
        return None
    return Actor(
        ident,
        names[0],
        names[1],
        kind,
        colour,
        aliases[0],
        aliases[1],  # type: ignore[arg-type]
        start,
        end,
        acled,
        member_of,
        note,
    )


def check_unique(ids: Iterable[tuple[str, str, str]], log: ProblemLog, what: str) -> None:
    """Flag ids seen twice across files; `ids` yields (id, file, item)."""
    seen: dict[str, tuple[str, str]] = {}
    for ident, file, item in ids:
        if ident in seen:
            first_file, first_item = seen[ident]
            log.add(
                file,
                item,
                "id",
                f"duplicate {what} id {show(ident)} (first in {first_file}: {first_item})",
            )
        else:
            seen[ident] = (file, item)
