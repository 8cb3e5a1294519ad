"""Map labels: who wins a place on the map, what each label says, and how big it is.

Every renderer (the Leaflet map, the static snapshot, the offline HTML) labels from here, so a
slide never names things differently from the screen.

- `Priority`: when two labels would overlap, the lower value stays. What the current scene
  highlights comes first, then report features, then the basemap's capitals, towns and
  countries (`PRIORITIES` lists them in that order). Within each of the first two, the labeller
  places the names of places before those of lines and areas (a route's name can move along it).
- `feature_label(feature, lang)`: the text of a report feature's label. A feature on a named
  place (its `coord_source` is a point of the alias table) is labelled with that place's one
  spelling ("Qusayr", not "Iraqi factions and Quds Force in Qusayr"); places, camps and
  crossings, lines and areas carry their own name, and a name written "context: subject"
  ("Scenario 2, limited cooperation: covert operations …") its subject, since the layer and
  the popup say the context.
- `label_style(priority, mode)`: size, weight, colours and halo, in CSS pixels, for the
  analyst's screen (`"screen"`) or the projector (`"projector"`: every label ≥ 16 px at
  1920×1080; there governorate seats and other towns appear one zoom later than on the
  screen, as the larger type needs the room).
- `label_items(...)` / `marker_obstacles(...)`: the report labels and the marker footprints
  as the browser's labeller takes them (`layers/assets/briefmap-basemap.js`).

The placing itself is not done here: the map hands these to protomaps-leaflet's collision-aware
labeller, which also places the basemap's own labels, in this priority order.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass
from enum import IntEnum
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from layers.aliases import AliasTable, load_aliases
from layers.i18n import pick
from layers.model import Feature, Geodata


class Priority(IntEnum):
    """Label priority: lower wins a contested spot."""

    HIGHLIGHT = 0  # what the current scene (or a search) highlights
    FEATURE = 1  # report features, and the places the reports name (the alias table)
    CAPITAL = 2  # basemap: national capitals and governorate seats
    TOWN = 3  # basemap: other towns and villages, rivers and lakes
    COUNTRY = 4  # basemap: country names


PRIORITIES = tuple(Priority)
# Kinds labelled with their own name even when they sit on an aliased place.
OWN_NAME_KINDS = frozenset({"place", "capital", "camp", "crossing"})
# A line or area is labelled from the zoom at which it spans this many CSS pixels.
MIN_SPAN_PX = 90
MAX_LABEL_ZOOM = 12
HALO_RADIUS = 16 + 5 / 2  # the highlight halo's radius plus half its stroke (see briefmap.js)
HALO_LINE_RADIUS = 9 / 2 + 2  # half the highlight's line width, plus a margin
LINE_SAMPLE_DEGREES = 0.04


@dataclass(frozen=True, slots=True)
class LabelStyle:
    """How a label looks. Lengths in CSS pixels."""

    size: float
    weight: int
    colour: str
    halo: str
    halo_width: float
    uppercase: bool = False
    letter_spacing: float = 0.0


_SCREEN = {
    Priority.HIGHLIGHT: LabelStyle(14, 700, "#111111", "#fff6b0", 3),
    Priority.FEATURE: LabelStyle(13, 600, "#1f1f1f", "#ffffff", 2.5),
    Priority.CAPITAL: LabelStyle(13, 700, "#2b2b2b", "#ffffff", 2),
    Priority.TOWN: LabelStyle(11.5, 400, "#3d3d3d", "#ffffff", 2),
    Priority.COUNTRY: LabelStyle(12, 600, "#6d6a63", "#f4f1ea", 2, True, 1.5),
}
_PROJECTOR = {
    Priority.HIGHLIGHT: LabelStyle(22, 700, "#111111", "#fff6b0", 4),
    Priority.FEATURE: LabelStyle(19, 600, "#1f1f1f", "#ffffff", 3.5),
    Priority.CAPITAL: LabelStyle(18, 700, "#2b2b2b", "#ffffff", 3),
    Priority.TOWN: LabelStyle(16, 400, "#3d3d3d", "#ffffff", 3),
    Priority.COUNTRY: LabelStyle(17, 600, "#6d6a63", "#f4f1ea", 3, True, 1.5),
}
STYLES = {"screen": _SCREEN, "projector": _PROJECTOR}


def label_style(priority: Priority, mode: str = "screen") -> LabelStyle:
    return STYLES[mode][priority]


def styles_for_browser(mode: str) -> dict[str, dict[str, Any]]:
    """Every priority's style, keyed by name ("HIGHLIGHT" …), for the map's labeller."""
    return {p.name: asdict(label_style(p, mode)) for p in PRIORITIES}


def feature_label(feature: Feature, lang: str, aliases: AliasTable | None = None) -> str:
    """The text of a report feature's map label, in `lang`."""
    table = aliases or load_aliases()
    place = table.by_source(feature.coord_source)
    if place is not None and feature.kind not in OWN_NAME_KINDS:
        return place.name(lang)
    name = pick(feature.name_en, feature.name_ar, lang)
    _context, colon, subject = name.partition(": ")
    return subject if colon and subject else name


def place_key(feature: Feature, lang: str, aliases: AliasTable | None = None) -> str | None:
    """The alias key of the place a feature's label names (the basemap then leaves that
    town unlabelled, so a name never shows twice); None when the label says something else
    ("al-Hol camp" leaves the town of al-Hol its own label)."""
    table = aliases or load_aliases()
    place = table.by_source(feature.coord_source)
    if place is None or feature_label(feature, lang, table) != place.name(lang):
        return None
    return place.key


def anchor(geometry: BaseGeometry) -> tuple[float, float]:
    """Where a label hangs: the point, the middle of a line, a point inside an area."""
    kind = geometry.geom_type
    if kind == "Point":
        return geometry.x, geometry.y
    if "Line" in kind:
        line = max(getattr(geometry, "geoms", [geometry]), key=lambda g: g.length)
        pt = line.interpolate(0.5, normalized=True)
        return pt.x, pt.y
    pt = geometry.representative_point()
    return pt.x, pt.y


# Where else along a line (fractions of its length) its name may hang when the middle is
# taken, nearest the middle first.
LINE_ALTERNATIVES = (0.35, 0.65, 0.2, 0.8)
# An area's other anchors: points inside it, on a grid of this many cells a side.
AREA_GRID = 4


def alternatives(geometry: BaseGeometry) -> list[tuple[float, float]]:
    """Other places a line's or an area's label may hang when its anchor is taken (a thin
    highlighted strip crossed by a highlighted route leaves its middle no room): points along
    the line, or points inside the area nearest its anchor first. Points: none."""
    kind = geometry.geom_type
    if kind == "Point" or geometry.is_empty:
        return []
    if "Line" in kind:
        line = max(getattr(geometry, "geoms", [geometry]), key=lambda g: g.length)
        points = [line.interpolate(t, normalized=True) for t in LINE_ALTERNATIVES]
        return [(round(p.x, 5), round(p.y, 5)) for p in points]
    west, south, east, north = geometry.bounds
    first = anchor(geometry)
    cells = [
        shapely.box(
            west + (east - west) * i / AREA_GRID,
            south + (north - south) * j / AREA_GRID,
            west + (east - west) * (i + 1) / AREA_GRID,
            south + (north - south) * (j + 1) / AREA_GRID,
        ).intersection(geometry)
        for i in range(AREA_GRID)
        for j in range(AREA_GRID)
    ]
    points = [c.representative_point() for c in cells if c.area > 0]
    points.sort(key=lambda p: (p.x - first[0]) ** 2 + (p.y - first[1]) ** 2)
    return [(round(p.x, 5), round(p.y, 5)) for p in points]


def span_min_zoom(geometry: BaseGeometry) -> int:
    """The first zoom at which a line or area spans MIN_SPAN_PX (points: 0, always)."""
    if geometry.geom_type == "Point":
        return 0
    west, south, east, north = geometry.bounds
    lat = math.radians((south + north) / 2)
    degrees = max(east - west, (north - south) / max(math.cos(lat), 0.2))
    if degrees <= 0:
        return 0
    zoom = math.log2(MIN_SPAN_PX * 360 / (256 * degrees))
    return max(0, min(MAX_LABEL_ZOOM, math.ceil(zoom)))


def label_items(
    features: Iterable[Feature],
    lang: str,
    highlight: Collection[str] = (),
    aliases: AliasTable | None = None,
) -> list[dict[str, Any]]:
    """Report labels for the browser, one per text and place (highest priority kept).

    Each item: text, lon, lat, priority (int), shape (point/line/area), min_zoom, key (the
    alias key of the place it names, or null), id (of one feature it labels), alt (other
    anchors [lon, lat] to try, see `alternatives`).
    """
    table = aliases or load_aliases()
    best: dict[tuple[str, float, float], dict[str, Any]] = {}
    for f in features:
        lon, lat = anchor(f.geometry)
        text = feature_label(f, lang, table)
        priority = Priority.HIGHLIGHT if f.id in highlight else Priority.FEATURE
        item = {
            "id": f.id,
            "text": text,
            "lon": round(lon, 5),
            "lat": round(lat, 5),
            "priority": int(priority),
            "shape": _shape(f.geometry),
            "min_zoom": span_min_zoom(f.geometry),
            "key": place_key(f, lang, table),
            "alt": alternatives(f.geometry),
        }
        where = (text, round(lon, 3), round(lat, 3))
        if where not in best or best[where]["priority"] > item["priority"]:
            best[where] = item
    return sorted(best.values(), key=lambda i: (i["priority"], i["min_zoom"], i["id"]))


def marker_obstacles(
    features: Iterable[Feature], geodata: Geodata, highlight: Collection[str] = ()
) -> list[dict[str, float]]:
    """Footprints of the point markers (and highlight halos): no label is placed under one."""
    out = []
    for f in features:
        if f.geometry.geom_type != "Point":
            continue
        style = geodata.layers[f.layer].style
        radius = style.radius + max(2.0, style.weight) / 2 + 1
        if f.id in highlight:
            radius = max(radius, HALO_RADIUS)
        out.append({"lon": round(f.geometry.x, 5), "lat": round(f.geometry.y, 5), "r": radius})
    return out


def halo_obstacles(features: Iterable[Feature]) -> list[dict[str, float]]:
    """Footprints of the highlight halos: a disc per highlighted point, and discs along
    highlighted lines and area outlines, so no label hides under the yellow."""
    out = []
    for f in features:
        geom = f.geometry
        if geom.geom_type == "Point":
            out.append({"lon": round(geom.x, 5), "lat": round(geom.y, 5), "r": HALO_RADIUS})
            continue
        line = geom if "Line" in geom.geom_type else geom.boundary
        steps = max(2, int(line.length / LINE_SAMPLE_DEGREES))
        for i in range(steps + 1):
            pt = line.interpolate(i / steps, normalized=True)
            out.append({"lon": round(pt.x, 4), "lat": round(pt.y, 4), "r": HALO_LINE_RADIUS})
    return out


def _shape(geometry: BaseGeometry) -> str:
    kind = geometry.geom_type
    return "point" if "Point" in kind else "line" if "Line" in kind else "area"
