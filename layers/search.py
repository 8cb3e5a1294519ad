"""Find a place or actor by an English or Arabic name or alias, and where to fly to.

Matching folds case, diacritics, alef/yā' forms and punctuation (`layers.names.normalize`), so
"Al Hawl", "al-Hol" and "الهول" all find al-Hol camp; on top of that (`fold`) it ignores
apostrophes, ʿayn/hamza marks and the bare hamza, and the article (al-, el-, the assimilated
ad-/ar-/as-/ash-/…, and Arabic "ال"), so "Qaim", "al-Qaim" and "القائم" all find al-Qa'im.
Report features come first, then actors (framed by the features that name them), then
Natural Earth places from the basemap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from shapely.geometry import shape

from layers.i18n import pick
from layers.model import Geodata
from layers.names import normalize
from layers.render.basemap import load_layer

Bounds = tuple[float, float, float, float]  # west, south, east, north
_KIND_RANK = {"feature": 0, "actor": 1, "place": 2}
# apostrophes and the marks for ʿayn and hamza in Latin transliteration, and the bare hamza:
# deleted (not word breaks), so "Qa'im" and "Qaim" are one word
_MARKS = re.compile("['’‘`ʿʾʼʻء]")
# the Latin article as its own word (after normalize turned "al-" into "al "), including the
# forms assimilated to a "sun letter": ad-Dawr, ar-Raqqa, as-Sukhnah, ash-Sham, …
_LATIN_ARTICLES = frozenset("al el ad adh an ar as ash at ath az".split())
_ARABIC_ARTICLE = "ال"


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


def fold(text: str) -> str:
    """The search form of a name: `normalize`, without apostrophes, hamza and articles."""
    words = normalize(_MARKS.sub("", text)).split()
    out = []
    for i, word in enumerate(words):
        if word in _LATIN_ARTICLES and i + 1 < len(words):
            continue  # an article before another word
        if word.startswith(_ARABIC_ARTICLE) and len(word) > len(_ARABIC_ARTICLE) + 1:
            word = word[len(_ARABIC_ARTICLE) :]
        out.append(word)
    return " ".join(out)


def search(query: str, geodata: Geodata, limit: int = 8) -> list[Hit]:
    q = fold(query)
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
    return _Entry(kind, ident, en, ar, tuple(names), tuple(fold(n) for n in names), tuple(bounds))


def _union_bounds(geoms) -> Bounds:
    bounds = [g.bounds for g in geoms]
    return (
        min(b[0] for b in bounds),
        min(b[1] for b in bounds),
        max(b[2] for b in bounds),
        max(b[3] for b in bounds),
    )
