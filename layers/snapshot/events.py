"""Imported incidents on a snapshot, drawn from the very payload the web map draws
(`layers.events.payload`): the same choice of points or density hexagons at the print's
equivalent zoom, the same classes, colours and legend words, the same stacking (hexagons under
the report features, points above their lines and areas, below their markers)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.patches import PathPatch
from shapely.geometry import box

from layers.events.shown import ShownEvents
from layers.render.legend import LegendItem
from layers.snapshot.draw import Z, dash_style, polygon_path, pt
from layers.snapshot.projection import Bounds, Projection, geodesic_circle

HEX_Z, POINT_Z = Z["halo"] + 0.5, Z["line"] + 0.5
EVENTS = "events"  # the legend items' layer


@dataclass(frozen=True)
class EventsDrawn:
    data: dict[str, Any]  # the payload
    legend: tuple[LegendItem, ...]
    keys: tuple[str, ...]
    datasets: tuple[str, ...] = ("ACLED",)  # where the events in view come from, as credited

    @property
    def in_view(self) -> int:
        return int(self.data["in_view"])


def lonlat_bounds(proj: Projection, extent: Bounds) -> Bounds:
    """The longitudes and latitudes a projected extent covers."""
    outline = shapely.segmentize(box(*extent), (extent[2] - extent[0]) / 40)
    return proj.unproject(outline).bounds


def events_for(
    shown: ShownEvents, proj: Projection, extent: Bounds, zoom: float, lang: str
) -> EventsDrawn | None:
    """What the map would draw of `shown` over this extent (None if no event is in it)."""
    data = shown.payload(lonlat_bounds(proj, extent), zoom, lang)
    if not data["in_view"]:
        return None
    words = data["legend"]
    items = [LegendItem(EVENTS, words["title"], "#222222", (), None, data["in_view"])]
    if data["mode"] == "hex":
        items += [
            LegendItem(EVENTS, label, colour, ("hex",), None, 0)
            for label, colour in zip(words["labels"], data["colours"], strict=True)
        ]
    else:
        items += [
            LegendItem(EVENTS, name, colour, ("event",), None, 0) for name, colour in words["items"]
        ]
    keys = (words["note"],) if words["note"] else ()
    datasets = shown.datasets(lonlat_bounds(proj, extent))
    return EventsDrawn(data, tuple(items), keys, datasets)


def draw_events(ax: Axes, proj: Projection, drawn: EventsDrawn) -> None:
    if drawn.data["mode"] == "hex":
        _hexagons(ax, proj, drawn.data)
    else:
        _points(ax, proj, drawn.data)


def _hexagons(ax: Axes, proj: Projection, data: dict[str, Any]) -> None:
    if not data["corners"]:
        return
    rings, at = [], 0
    for corners in data["corners"]:  # centre, then each corner's offset, in 1/1000 degree
        cell = np.asarray(data["shapes"][at : at + 2 + 2 * corners], dtype=np.float64)
        at += 2 + 2 * corners
        x, y = proj.points((cell[1] + cell[3::2]) / 1000, (cell[0] + cell[2::2]) / 1000)
        rings.append(np.stack([x, y], axis=1))
    style = data["style"]
    faces = [to_rgba(data["colours"][c], style["fillOpacity"]) for c in data["classes"]]
    ax.add_collection(
        PolyCollection(
            rings,
            facecolors=faces,
            edgecolors=style["color"],
            linewidths=pt(style["weight"]),
            zorder=HEX_Z,
            gid="bm-events-hex",
        )
    )


def _points(ax: Axes, proj: Projection, data: dict[str, Any]) -> None:
    style, area = data["style"], data["area_style"]
    for lat_e5, lon_e5, radius_m, _n, _tip in data["areas"]:
        lon, lat = lon_e5 / 1e5, lat_e5 / 1e5
        ring = proj.project(geodesic_circle(lon, lat, radius_m))
        ax.add_patch(
            PathPatch(
                polygon_path([ring]),
                facecolor=to_rgba(area["color"], area["fillOpacity"]),
                edgecolor=area["color"],
                linewidth=pt(area["weight"]),
                linestyle=dash_style(area["dashArray"]),
                zorder=POINT_Z,
            )
        )
        x, y = proj.point(lon, lat)
        ax.plot(
            [x],
            [y],
            marker="o",
            markersize=2 * pt(7),
            markerfacecolor=to_rgba("#ffffff", 0.9),
            markeredgecolor=area["color"],
            markeredgewidth=pt(1.5),
            linestyle="none",
            zorder=POINT_Z,
        )
    if not data["dlat"]:
        return
    lat = np.cumsum(data["dlat"]) / 1e5
    lon = np.cumsum(data["dlon"]) / 1e5
    x, y = proj.points(lon, lat)
    faces = [to_rgba(data["colours"][str(t)], style["fillOpacity"]) for t in data["type"]]
    ax.scatter(
        x,
        y,
        s=(2 * pt(style["radius"])) ** 2,
        c=faces,
        edgecolors=style["color"],
        linewidths=pt(style["weight"]),
        zorder=POINT_Z,
        gid="bm-events-points",
    )
