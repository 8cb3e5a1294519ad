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
HEX_PAD = 0.3  # hexagons are cheap: a wider margin, so more pans need no new payload


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
        box = padded(bounds)
        near = mask & in_box(index, box)
        if int(near.sum()) > POINT_LIMIT * 1.3:
            near, box = in_view, bounds
        data = points_payload(index, near, lang)
        zooms = [0, 30]  # points are the same at any zoom; a wider view leaves the box
    else:
        box = padded(bounds, HEX_PAD)
        res = grid.resolution(zoom)
        data = hex_payload(index, mask & in_box(index, box), res, lang)
        same = [z for z in range(31) if grid.resolution(z) == res]
        zooms = [min(same), max(same)] if same else [round(zoom), round(zoom)]
    data["in_view"] = count
    # What the payload covers: the browser reports no move that stays inside it
    data["box"] = [round(v, 5) for v in box]
    data["zooms"] = zooms
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
    areas = _centres(index, rows, lang)
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
        "words": {"cluster": w("cluster", lang, n="{n}")},
        "legend": {
            "title": w("points_title", lang),
            "items": [[names[c], type_colour(names[c])] for c in present],
            "note": w("area_key", lang) if areas else "",  # print: dashed areas
            "web_note": w("area_key_web", lang) if areas else "",  # web: counted circles
        },
    }


def _centres(index: EventIndex, rows: np.ndarray, lang: str) -> list[list]:
    """Imprecise events as one entry per admin centre, whatever their precision level: the
    centre, the radius of the widest area they may lie in, their count and its words."""
    vague = np.flatnonzero(rows & (index.geo_precision >= min(SPREAD_KM)))
    if not len(vague):
        return []
    places, inverse = np.unique(
        np.stack([index.lat[vague], index.lon[vague]], axis=1), axis=0, return_inverse=True
    )
    inverse = inverse.reshape(-1)
    counts = np.bincount(inverse, minlength=len(places))
    km_of = np.vectorize(lambda g: SPREAD_KM.get(int(g), 0.0))(index.geo_precision[vague])
    widest = np.zeros(len(places))
    np.maximum.at(widest, inverse, km_of)
    areas = []
    for (alat, alon), n, km in zip(places.tolist(), counts.tolist(), widest.tolist(), strict=True):
        tip = w("area_tip", lang, n=n, km=int(km))
        areas.append([round(alat * 1e5), round(alon * 1e5), int(km * 1000), int(n), tip])
    return areas


def _deltas(values: np.ndarray) -> list[int]:
    if not len(values):
        return []
    return np.diff(values, prepend=0).tolist()
