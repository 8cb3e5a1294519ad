"""The events layer for the folium map: density hexagons when many events are in view,
canvas points (and dashed areas for imprecise places) when at most POINT_LIMIT are.

What reaches the browser is compact: integer coordinates, delta-encoded, and class numbers;
labels are set with textContent by `briefmap-events.js`, and popup HTML is made on the server
only for the clicked place (`EventPopup`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import folium
import numpy as np
from folium.elements import MacroElement
from folium.template import Template

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


class EventsLayer(MacroElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        briefmapEvents.layer({{ this._parent.get_name() }}, {{ this.data|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict[str, Any]):
        super().__init__()
        self._name = "EventsLayer"
        self.data = data


class EventPopup(MacroElement):
    """Opens the server-built popup of a clicked place once (keyed by a nonce)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        briefmapEvents.popup({{ this._parent.get_name() }}, {{ this.spec|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, lat: float, lon: float, html: str, nonce: int):
        super().__init__()
        self._name = "EventPopup"
        self.spec = {"lat": lat, "lon": lon, "html": html, "nonce": nonce}


@dataclass(frozen=True)
class EventsRender:
    group: folium.FeatureGroup
    mode: str  # "hex" or "points"
    in_view: int  # events in the view (before padding)
    payload_bytes: int  # JSON handed to the browser for this layer


def padded(bounds: tuple[float, float, float, float], share: float = PAD):
    w_, s, e, n = bounds
    dx, dy = (e - w_) * share, (n - s) * share
    return (w_ - dx, s - dy, e + dx, n + dy)


def render_events(
    index: EventIndex,
    mask: np.ndarray,
    bounds: tuple[float, float, float, float],
    zoom: float,
    lang: str = "en",
) -> EventsRender:
    """The layer for the events of `mask` within `bounds` (west, south, east, north)."""
    in_view = mask & in_box(index, bounds)
    count = int(in_view.sum())
    if count <= POINT_LIMIT:
        near = mask & in_box(index, padded(bounds))
        rows = near if int(near.sum()) <= POINT_LIMIT * 1.3 else in_view
        data, mode = points_payload(index, rows, lang), "points"
    else:
        near = mask & in_box(index, padded(bounds, 0.3))
        data, mode = hex_payload(index, near, grid.resolution(zoom), lang), "hex"
    data["in_view"] = count
    data["dir"] = "rtl" if lang == "ar" else "ltr"
    group = folium.FeatureGroup(name=w("layer", lang), control=False)
    EventsLayer(data).add_to(group)
    size = len(json.dumps(data, separators=(",", ":")))
    return EventsRender(group, mode, count, size)


def hex_payload(index: EventIndex, rows: np.ndarray, res: int, lang: str) -> dict[str, Any]:
    hx = grid.hexagons(index, rows, res)
    keep = hx.counts >= 0.05  # a sliver of a spread event is not worth a shape
    cells, counts = hx.cells[keep], hx.counts[keep]
    upper = grid.breaks(counts)
    classes = np.searchsorted(np.asarray(upper), counts, side="left") if upper else []
    shapes: list[int] = []
    for cell in cells.tolist():
        shapes.extend(grid.boundary(cell))
    labels, lo = [], None
    for hi in upper:
        labels.append(f"≤ {_num(hi)}" if lo is None else f"{_num(lo)} – {_num(hi)}")
        lo = hi
    return {
        "mode": "hex",
        "shapes": shapes,
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


def events_at(
    index: EventIndex, mask: np.ndarray, lat: float, lon: float, tolerance: float = 2e-5
) -> np.ndarray:
    """Rows of the shown events at exactly this place (a clicked point or area centre),
    newest first."""
    here = mask & (np.abs(index.lat - lat) <= tolerance) & (np.abs(index.lon - lon) <= tolerance)
    rows = np.flatnonzero(here)
    return rows[np.argsort(-index.day_start[rows], kind="stable")]


def popup_group(lat: float, lon: float, html: str, nonce: int) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name="event-popup", control=False)
    EventPopup(lat, lon, html, nonce).add_to(group)
    return group
