"""`briefmap cite ID`: an item's claims next to the paragraphs they cite, for review in a
terminal. An id may name a feature, a timeline annotation or a walkthrough scene; all that
match are shown."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from dataclasses import dataclass

from layers.grades import describe_grade
from layers.model import Citation, Geodata
from layers.reports.labels import citation_label
from layers.reports.library import Library

WIDTH = 100


@dataclass(frozen=True)
class Item:
    kind: str  # feature | annotation | scene
    id: str
    heading: str
    texts: tuple[tuple[str, str], ...]  # (label, text): what we say
    sources: tuple[Citation, ...]


def find(ident: str, geodata: Geodata) -> list[Item]:
    return list(_items(ident, geodata))


def known_ids(geodata: Geodata) -> list[str]:
    ids = [f.id for f in geodata.features] + [a.id for a in geodata.annotations]
    ids += [s.id for w in geodata.walkthroughs.values() for s in w.scenes]
    return sorted(set(ids))


def _provenance(item, geodata: Geodata) -> str:
    """'fact, Washington Institute for Near East Policy — B2 (usually reliable source; …)'."""
    origin = geodata.originators[item.originator].name_en
    grade = item.grade
    return f"{item.claim_type.value}, {origin} — {grade} ({describe_grade(grade)})"


def _items(ident: str, geodata: Geodata) -> Iterator[Item]:
    for f in geodata.features:
        if f.id == ident:
            texts = [("name", f"{f.name_en} | {f.name_ar}"), ("summary", f.summary_en)]
            texts += [("ملخص", f.summary_ar)]
            for label, note in (("location", f.location_note_en), ("موقع", f.location_note_ar)):
                if note:
                    texts.append((label, note))
            texts += [("conflict", c.note_en) for c in f.conflicts]
            heading = f"feature {f.id} · {_provenance(f, geodata)}"
            yield Item("feature", f.id, heading, tuple(texts), _all_sources(f))
    for a in geodata.annotations:
        if a.id == ident:
            texts = [("title", f"{a.title_en} | {a.title_ar}"), ("text", a.text_en)]
            texts += [("نص", a.text_ar)]
            texts += [("conflict", c.note_en) for c in a.conflicts]
            heading = f"timeline {a.id} · {_provenance(a, geodata)}"
            yield Item("annotation", a.id, heading, tuple(texts), _all_sources(a))
    for w in geodata.walkthroughs.values():
        for n, s in enumerate(w.scenes, start=1):
            if s.id == ident:
                texts = [("title", f"{s.title_en} | {s.title_ar}")]
                texts += [("point", p) for p in s.points_en] + [("نقطة", p) for p in s.points_ar]
                texts += [("notes", s.notes_en), ("ملاحظات", s.notes_ar)]
                heading = f"scene {n} of walkthrough {w.id}: {s.id}"
                yield Item("scene", s.id, heading, tuple(texts), s.sources)


def _all_sources(item) -> tuple[Citation, ...]:
    """The item's citations, then those of its conflicts, each once."""
    cites = list(item.sources) + [c for conflict in item.conflicts for c in conflict.sources]
    return tuple(dict.fromkeys(cites))


def review(items: list[Item], geodata: Geodata, library: Library) -> str:
    """The items as text: what we say, then each cited paragraph in full."""
    out: list[str] = []
    for item in items:
        out.append(item.heading)
        for label, text in item.texts:
            out += _wrapped(f"  {label:<9} ", text)
        if not item.sources:
            out.append("  (cites no report paragraph: background from an outside reference)")
        for c in item.sources:
            out.append(f"  ── {citation_label(c, dict(geodata.reports), 'en')} · {c.report}")
            paragraph = library.paragraph(c)
            if paragraph is None:
                out.append("     report not loaded (briefmap cite --reports DIR)")
            else:
                out += _wrapped("     │ ", paragraph, "     │ ")
        out.append("")
    return "\n".join(out)


def _wrapped(first: str, text: str, rest: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        width=WIDTH,
        initial_indent=first,
        subsequent_indent=rest if rest is not None else " " * len(first),
    )
