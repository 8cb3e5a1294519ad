"""Timeline annotations for a view: which to show, in what order, and where they are."""

from __future__ import annotations

from layers.dates import day_precise
from layers.model import Annotation, Geodata
from layers.table import feature_type
from layers.view import View

Bounds = tuple[float, float, float, float]


def visible_annotations(view: View, geodata: Geodata) -> list[Annotation]:
    """The annotations the current filters let through, dated ones in date order first.

    An annotation follows the filters through its own actors and dates, and through the layers
    and types of the features it is about (one with no features follows actors and dates only).
    """
    layers = set(view.visible_layers(geodata))
    actors = view.actor_closure(geodata) if view.actors else None
    out = []
    for a in geodata.annotations:
        if actors is not None and actors.isdisjoint(a.actors):
            continue
        if a.date is None:
            if not view.include_undated:
                continue
        elif not a.date.overlaps(view.date_from, view.date_to):
            continue
        features = [geodata.feature(fid) for fid in a.features]
        if features and not any(f.layer in layers for f in features):
            continue
        if view.types and not any(feature_type(f) in view.types for f in features):
            continue
        out.append(a)
    return sorted(out, key=_order)


def _order(a: Annotation) -> tuple:
    """Open starts first, then by start; within a month a dated day comes before a period
    that merely starts that month ('8 Dec 2024' before 'December 2024 – November 2025')."""
    if a.date is None:
        return (2, 0, 0, 0, 0, a.id)
    if a.date.start is None:
        return (0, 0, 0, 0, 0, a.id)
    start = a.date.start
    return (1, start.year, start.month, 0 if day_precise(a.date) else 1, start.day, a.id)


def annotation_bounds(annotation: Annotation, geodata: Geodata) -> Bounds | None:
    geoms = [geodata.feature(fid).geometry for fid in annotation.features]
    if not geoms:
        return None
    b = [g.bounds for g in geoms]
    return (min(x[0] for x in b), min(x[1] for x in b), max(x[2] for x in b), max(x[3] for x in b))
