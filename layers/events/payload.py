"""What the events layer draws for a frame, as plain data: density hexagons when more than
`POINT_LIMIT` events are in view, else points (and dashed areas for imprecise places). The
folium layer (`layers.events.layer`), the offline HTML and the print snapshots
(`layers.snapshot.events`) all draw from this one payload, so they show the same hexagons,
classes, colours and legend.

Compact for the browser: integer coordinates (hexagon corners in thousandths of a degree,
points delta-encoded in 1e-5 degrees) and class numbers. No folium, no drawing here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from layers.events import grid
from layers.events.index import EventIndex, in_box
from layers.events.schema import SPREAD_KM
from layers.events.words import w
from layers.render.event_style import (
    AREA_STYLE,
    HEX_STYLE,
    POINT_STYLE,
    ramp,
    type_colour,
)

POINT_LIMIT = 10_000
PAD = 0.15  # share of the view added on each side, so a small pan still has data


def padded(bounds: tuple[float, float, float, float], share: float = PAD):
    w_, s, e, n = bounds
    dx, dy = (e - w_) * share, (n - s) * share
    return (w_ - dx, s - dy, e + dx, n + dy)


def payload(
    index: EventIndex,
    mask: np.ndarray,
    bounds: tuple[float, float, float, float],
    zoom: float,
    lang: str = "en",
) -> dict[str, Any]:
    """What to draw for the events of `mask` within `bounds` (west, south, east, north) at a
    map zoom of `zoom` (a print's equivalent zoom for a snapshot)."""
    in_view = mask & in_box(index, bounds)
    count = int(in_view.sum())
    if count <= POINT_LIMIT:
        near = mask & in_box(index, padded(bounds))
        rows = near if int(near.sum()) <= POINT_LIMIT * 1.3 else in_view
        data = points_payload(index, rows, lang)
    else:
        near = mask & in_box(index, padded(bounds, 0.3))
        data = hex_payload(index, near, grid.resolution(zoom), lang)
    data["in_view"] = count
    data["dir"] = "rtl" if lang == "ar" else "ltr"
    return data


def hex_payload(index: EventIndex, rows: np.ndarray, res: int, lang: str) -> dict[str, Any]:
    hx = grid.hexagons(index, rows, res)
    keep = hx.counts >= 0.05  # a sliver of a spread event is not worth a shape
    cells, counts = hx.cells[keep], hx.counts[keep]
    upper = grid.breaks(counts)
    classes = np.searchsorted(np.asarray(upper), counts, side="left") if upper else []
    shapes: list[int] = []
    corners: list[int] = []  # six, or more for a cell an icosahedron edge bends (res 3 here)
    for cell in cells.tolist():
        outline = grid.boundary(cell)
        shapes.extend(outline)
        corners.append((len(outline) - 2) // 2)
    labels, lo = [], None
    for hi in upper:
        labels.append(f"≤ {_num(hi)}" if lo is None else f"{_num(lo)} – {_num(hi)}")
        lo = hi
    return {
        "mode": "hex",
        "shapes": shapes,
        "corners": corners,
        "classes": [int(c) for c in classes],
        "counts": [round(float(c), 1) for c in counts],
        "colours": ramp(len(upper)),
        "style": HEX_STYLE,
        "legend": {
            "title": w("hex_title", lang),
            "labels": labels,
            "note": w("hex_note", lang, d2=int(SPREAD_KM[2]), d3=int(SPREAD_KM[3])),
        },
        "words": {"about": w("about", lang, n="{n}")},
    }


def _num(x: float) -> str:
    return f"{x:,.0f}" if x >= 1 or x == 0 else f"{x:.1f}"


def points_payload(index: EventIndex, rows: np.ndarray, lang: str) -> dict[str, Any]:
    exact = np.flatnonzero(rows & (index.geo_precision <= 1))
    lat = np.round(index.lat[exact].astype(np.float64) * 1e5).astype(np.int64)
    lon = np.round(index.lon[exact].astype(np.float64) * 1e5).astype(np.int64)
    names = index.event_type.names
    areas = []
    for level, km in SPREAD_KM.items():
        vague = np.flatnonzero(rows & (index.geo_precision == level))
        if not len(vague):
            continue
        places, counts = np.unique(
            np.stack([index.lat[vague], index.lon[vague]], axis=1), axis=0, return_counts=True
        )
        for (alat, alon), n in zip(places.tolist(), counts.tolist(), strict=True):
            tip = w("area_tip", lang, n=n, km=int(km))
            areas.append([round(alat * 1e5), round(alon * 1e5), int(km * 1000), int(n), tip])
    present = sorted(set(index.event_type.codes[exact].tolist()))
    return {
        "mode": "points",
        "dlat": _deltas(lat),
        "dlon": _deltas(lon),
        "type": index.event_type.codes[exact].tolist(),
        "colours": {str(c): type_colour(names[c]) for c in present},
        "style": POINT_STYLE,
        "areas": areas,
        "area_style": AREA_STYLE,
        "legend": {
            "title": w("points_title", lang),
            "items": [[names[c], type_colour(names[c])] for c in present],
            "note": w("area_key", lang) if areas else "",
        },
    }


def _deltas(values: np.ndarray) -> list[int]:
    if not len(values):
        return []
    return np.diff(values, prepend=0).tolist()
