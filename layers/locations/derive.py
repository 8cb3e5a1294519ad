"""Rebuild the geometry a coord_source names, and measure how far a stored geometry is from it.

Distances are geodesic on WGS84 (pyproj): a buffer is drawn in an azimuthal equidistant
projection centred on the geometry, and the distance between two shapes is their Hausdorff
distance in that projection (the farthest any part of one is from the other).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import LineString, MultiLineString, Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points, unary_union

from layers.errors import InputError
from layers.locations.grammar import Call, CoordSource, Country, Number, Ref, parse

GEOD = Geod(ellps="WGS84")


class DerivationError(InputError, ValueError):
    """A coord_source that cannot be rebuilt: unknown id, wrong geometry for a function."""


@dataclass(frozen=True)
class Sources:
    """What a derivation may refer to."""

    natural_earth: Mapping[str, BaseGeometry]  # ne_id -> place, admin-1 unit or country
    countries: Mapping[str, BaseGeometry]  # ISO alpha-3 -> country polygon
    geonames: Mapping[str, tuple[float, float]] = field(default_factory=dict)  # id -> lon, lat
    features: Mapping[str, BaseGeometry] = field(default_factory=dict)  # feature id -> geometry


def natural_earth(
    basemap: Path,
    geonames: Mapping[str, tuple[float, float]] | None = None,
    features: Mapping[str, BaseGeometry] | None = None,
) -> Sources:
    """Sources from a basemap folder (places, admin1, countries), plus GeoNames and features."""
    by_ne: dict[str, BaseGeometry] = {}
    countries: dict[str, BaseGeometry] = {}
    for name in ("places", "admin1", "countries"):
        data = json.loads((basemap / f"{name}.geojson").read_text(encoding="utf-8"))
        for f in data["features"]:
            geom = shape(f["geometry"])
            by_ne[str(f["properties"]["ne_id"])] = geom
            iso = f["properties"].get("iso_a3")
            if name == "countries" and iso and iso != "-99":
                countries[iso] = geom
    return Sources(by_ne, countries, dict(geonames or {}), dict(features or {}))


def derive(source: str | CoordSource, sources: Sources) -> BaseGeometry:
    """The geometry a coord_source gives; DerivationError if it cannot be rebuilt."""
    parsed = parse(source) if isinstance(source, str) else source
    if parsed.expr is None:
        raise DerivationError(f"{parsed.prefix}: is drawn by hand and cannot be rebuilt")
    return _eval(parsed.expr, sources)


def distance_km(stored: BaseGeometry, derived: BaseGeometry) -> float:
    """Geodesic distance between two points, else the Hausdorff distance of two shapes."""
    if stored.geom_type == "Point" and derived.geom_type == "Point":
        return GEOD.inv(stored.x, stored.y, derived.x, derived.y)[2] / 1000
    if stored.geom_type.replace("Multi", "") != derived.geom_type.replace("Multi", ""):
        return float("inf")
    to_local, _ = _local(derived)
    a, b = _transform(to_local, stored), _transform(to_local, derived)
    return shapely.hausdorff_distance(a, b, densify=0.25) / 1000


def _local(geom: BaseGeometry) -> tuple[Transformer, Transformer]:
    """Transformers to and from an azimuthal equidistant projection centred on `geom`."""
    c = geom.centroid
    crs = f"+proj=aeqd +lat_0={c.y} +lon_0={c.x} +datum=WGS84 +units=m +no_defs"
    fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    back = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return fwd, back


def _transform(transformer: Transformer, geom: BaseGeometry) -> BaseGeometry:
    def move(coords: np.ndarray) -> np.ndarray:
        return np.column_stack(transformer.transform(coords[:, 0], coords[:, 1]))

    return shapely.transform(geom, move)


def _eval(node: object, src: Sources) -> BaseGeometry:
    if isinstance(node, Ref):
        return _ref(node, src)
    if not isinstance(node, Call):
        raise DerivationError(f"expected a geometry, got {node!r}")
    return _FUNCTIONS[node.name](node.args, src)


def _ref(ref: Ref, src: Sources) -> BaseGeometry:
    if ref.kind == "geonames":
        if ref.id not in src.geonames:
            raise DerivationError(f"no GeoNames entry {ref.id!r}")
        return Point(src.geonames[ref.id])
    table = src.natural_earth if ref.kind == "naturalearth" else src.features
    if ref.id not in table:
        raise DerivationError(f"no {ref.kind} entry {ref.id!r}")
    return table[ref.id]


def _country(arg: object, src: Sources) -> BaseGeometry:
    assert isinstance(arg, Country)
    if arg.code not in src.countries:
        raise DerivationError(f"no Natural Earth country {arg.code!r}")
    return src.countries[arg.code]


def _point(node: object, src: Sources) -> Point:
    geom = _eval(node, src)
    if geom.geom_type != "Point":
        raise DerivationError(f"expected a point, got a {geom.geom_type}")
    return geom  # type: ignore[return-value]


def _km(arg: object) -> float:
    assert isinstance(arg, Number)
    return arg.value


def _midpoint(args, src):
    a, b = _point(args[0], src), _point(args[1], src)
    azimuth, _, dist = GEOD.inv(a.x, a.y, b.x, b.y)
    lon, lat, _ = GEOD.fwd(a.x, a.y, azimuth, dist / 2)
    return Point(lon, lat)


def _border(args, src):
    a, b = _country(args[0], src), _country(args[1], src)
    shared = a.boundary.intersection(b.boundary)
    parts = [
        g
        for g in getattr(shared, "geoms", [shared])
        if g.geom_type == "LineString" and not g.is_empty
    ]
    if not parts:
        raise DerivationError(f"{args[0].code} and {args[1].code} share no boundary")
    return shapely.line_merge(MultiLineString(parts))


def _tripoint(args, src):
    where = _border(args[:2], src).intersection(_country(args[2], src).boundary)
    if where.is_empty:
        raise DerivationError(f"{', '.join(a.code for a in args)} do not meet")
    return where.centroid


def _nearest(args, src):
    return nearest_points(_eval(args[0], src), _point(args[1], src))[0]


def _along(args, src):
    line, start, km = _eval(args[0], src), _point(args[1], src), _km(args[2])
    if line.geom_type != "LineString":
        raise DerivationError(f"along() needs one line, got a {line.geom_type}")
    coords = list(line.coords)
    if Point(coords[-1]).distance(start) < Point(coords[0]).distance(start):
        coords.reverse()
    left = km * 1000
    for (x0, y0), (x1, y1) in zip(coords, coords[1:], strict=False):
        azimuth, _, step = GEOD.inv(x0, y0, x1, y1)
        if step >= left:
            lon, lat, _ = GEOD.fwd(x0, y0, azimuth, left)
            return Point(lon, lat)
        left -= step
    raise DerivationError(f"the line is shorter than {km} km")


def _line(args, src):
    return LineString([_point(a, src) for a in args])


def _buffer(args, src):
    geom, km = _eval(args[0], src), _km(args[1])
    to_local, back = _local(geom)
    return _transform(back, _transform(to_local, geom).buffer(km * 1000))


def _simplify(args, src):
    return _eval(args[0], src).simplify(args[1].value, preserve_topology=True)


_FUNCTIONS = {
    "point": lambda args, _src: Point(args[0].value, args[1].value),
    "midpoint": _midpoint,
    "border": _border,
    "tripoint": _tripoint,
    "nearest": _nearest,
    "along": _along,
    "line": _line,
    "countries": lambda args, src: unary_union([_country(a, src) for a in args]),
    "union": lambda args, src: unary_union([_eval(a, src) for a in args]),
    "buffer": _buffer,
    "clip": lambda args, src: _eval(args[0], src).intersection(_eval(args[1], src)),
    "simplify": _simplify,
}


# Public names for the other location checks (layers.locations.checks).
local_transformers = _local
transform_geometry = _transform
