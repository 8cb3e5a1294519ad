"""Find a place or actor by an English or Arabic name or alias, and where to fly to.

Matching folds case, diacritics, alef/yā' forms and punctuation (`layers.names.normalize`), so
"Al Hawl", "al-Hol" and "الهول" all find al-Hol camp. Report features come first, then actors
(framed by the features that name them), then Natural Earth places from the basemap.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from shapely.geometry import shape

from layers.i18n import pick
from layers.model import Geodata
from layers.names import normalize
from layers.render.basemap import load_layer

Bounds = tuple[float, float, float, float]  # west, south, east, north
_KIND_RANK = {"feature": 0, "actor": 1, "place": 2}


@dataclass(frozen=True)
class Hit:
    kind: str  # feature | actor | place
    id: str
    label_en: str
    label_ar: str
    matched: str  # the name or alias that matched
    bounds: Bounds
    score: int  # 3 exact, 2 starts a word, 1 inside a word

    def label(self, lang: str) -> str:
        return pick(self.label_en, self.label_ar, lang)


@dataclass(frozen=True)
class _Entry:
    kind: str
    id: str
    label_en: str
    label_ar: str
    names: tuple[str, ...]
    folded: tuple[str, ...]
    bounds: Bounds


def search(query: str, geodata: Geodata, limit: int = 8) -> list[Hit]:
    q = normalize(query)
    if len(q) < 2:
        return []
    hits = []
    for entry in _index(geodata):
        best = max(
            ((_score(q, f), name) for f, name in zip(entry.folded, entry.names, strict=True)),
            default=(0, ""),
        )
        if best[0]:
            hits.append(
                Hit(
                    entry.kind,
                    entry.id,
                    entry.label_en,
                    entry.label_ar,
                    best[1],
                    entry.bounds,
                    best[0],
                )
            )
    hits.sort(key=lambda h: (-h.score, _KIND_RANK[h.kind], len(h.label_en)))
    return hits[:limit]


def _score(q: str, folded: str) -> int:
    if folded == q:
        return 3
    if folded.startswith(q) or f" {q}" in folded:
        return 2
    return 1 if q in folded else 0


@lru_cache(maxsize=4)
def _index(geodata: Geodata) -> tuple[_Entry, ...]:
    entries = []
    for f in geodata.features:
        names = (f.name_en, f.name_ar, *f.aliases_en, *f.aliases_ar)
        entries.append(_entry("feature", f.id, f.name_en, f.name_ar, names, f.geometry.bounds))
    for a in geodata.actors.values():
        geoms = [f.geometry for f in geodata.features if a.id in f.actors]
        if not geoms:
            continue
        names = (a.name_en, a.name_ar, *a.aliases_en, *a.aliases_ar)
        entries.append(_entry("actor", a.id, a.name_en, a.name_ar, names, _union_bounds(geoms)))
    for p in load_layer("places"):
        props = p["properties"]
        names = tuple(
            n
            for n in (props["name"], props.get("name_ar"), *(props.get("namealt") or "").split("|"))
            if n
        )
        geom = shape(p["geometry"])
        entries.append(
            _entry(
                "place",
                f"ne-{props['ne_id']}",
                props["name"],
                props.get("name_ar") or props["name"],
                names,
                geom.bounds,
            )
        )
    return tuple(entries)


def _entry(kind, ident, en, ar, names, bounds) -> _Entry:
    return _Entry(
        kind, ident, en, ar, tuple(names), tuple(normalize(n) for n in names), tuple(bounds)
    )


def _union_bounds(geoms) -> Bounds:
    bounds = [g.bounds for g in geoms]
    return (
        min(b[0] for b in bounds),
        min(b[1] for b in bounds),
        max(b[2] for b in bounds),
        max(b[3] for b in bounds),
    )
