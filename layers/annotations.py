"""Timeline annotations for a view: which to show, in what order, and where they are."""

from __future__ import annotations

from layers.dates import day_precise
from layers.model import Annotation, Geodata
from layers.view import View

Bounds = tuple[float, float, float, float]


def visible_annotations(view: View, geodata: Geodata) -> list[Annotation]:
    """The annotations the current filters let through, dated ones in date order first.

    An annotation follows the filters through its own actors and dates, and through the layers
    and types of the features it is about (one with no features follows actors and dates only).
    """
    keep = view.filter.keeps_annotation  # each filter's rule (`layers.view.filters`)
    out = [a for a in geodata.annotations if keep(a, geodata)]
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
