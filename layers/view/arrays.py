"""The numpy side of the filters: predicates on the columns of an `EventIndex`
(`layers.events.index`), which this module knows only by its attributes (lat, lon, day_start,
day_end, event_type and actors as dictionary-encoded codes)."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

_EPOCH = date(1970, 1, 1)


def day_number(day: date) -> int:
    return (day - _EPOCH).days


def in_box(index: Any, box: tuple[float, float, float, float]) -> np.ndarray:
    w, s, e, n = box
    return (index.lon >= w) & (index.lon <= e) & (index.lat >= s) & (index.lat <= n)


def types_in(index: Any, types: frozenset[str]) -> np.ndarray:
    allowed = np.array([name in types for name in index.event_type.names], dtype=bool)
    if not len(allowed):
        return np.zeros(index.size, dtype=bool)
    return allowed[index.event_type.codes]


def actor_mask(index: Any, actor_ids, geodata: Any) -> np.ndarray:
    """Events naming one of these actors (by its ACLED names) while that actor existed."""
    out = np.zeros(index.size, dtype=bool)
    for actor_id in sorted(actor_ids):
        actor = geodata.actors.get(actor_id)
        if actor is None or not actor.acled_names:
            continue
        names = frozenset(actor.acled_names)
        named = np.zeros(index.size, dtype=bool)
        for column, codes in index.actors.items():
            named |= _names_hit(index, column, names)[codes.codes]
        if actor.valid_from is not None:
            named &= index.day_end >= day_number(actor.valid_from)
        if actor.valid_to is not None:
            named &= index.day_start <= day_number(actor.valid_to)
        out |= named
    return out


def _names_hit(index: Any, column: str, names: frozenset[str]) -> np.ndarray:
    """Per dictionary entry of a column: does it name one of `names`? (lists split on ';')."""
    key = (column, names)
    hit = index._memo.get(key)
    if hit is None:
        entries = index.actors[column].names
        hit = np.array(
            [any(part.strip() in names for part in entry.split(";")) for entry in entries],
            dtype=bool,
        )
        if not len(hit):
            hit = np.zeros(1, dtype=bool)
        index._memo[key] = hit
    return hit
