"""Natural Earth as Protomaps basemap layers: earth, water, boundaries and country labels.

The shipped 1:10m set covers a box around the region (`DETAIL_BOX`); the world is Natural
Earth 1:110m (pyogrio's `naturalearth_lowres` fixture, checked by its SHA-256). Below
`DETAIL_ZOOM` the whole world is 1:110m; from it on, the box is 1:10m and the rest 1:110m,
merged into one land geometry so no edge or seam shows where they meet.

Each feature is GeoJSON with a `tippecanoe` member (layer, minzoom, maxzoom). Zooms are tile
zooms of 512-px tiles (MapLibre's zoom), as in Protomaps' own `min_zoom`: a map in Leaflet's
256-px zoom Z shows tile zoom Z - 1.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import shapely
import shapely.ops
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from layers.paths import basemap_dir
from layers.tiles.arabic_names import country_names

DETAIL_BOX = (33.0, 28.0, 53.0, 40.5)
DETAIL_ZOOM = 4  # tile zoom from which the 1:10m box is drawn
REGION_BOUNDARY_ZOOM = 5
WORLD_SHA256 = "08e341606e8391e458c3f08deb312de664b56bfae376064c5aa0aee6681a5f55"
GRID = 1e-5


def tile_feature(
    layer: str, geom: BaseGeometry, props: dict[str, Any], minzoom: int = 0, maxzoom: int = 15
) -> dict[str, Any]:
    tip: dict[str, Any] = {"layer": layer, "minzoom": minzoom}
    if maxzoom < 15:
        tip["maxzoom"] = maxzoom
    return {"type": "Feature", "tippecanoe": tip, "properties": props, "geometry": mapping(geom)}


def world_path() -> Path:
    import pyogrio

    return (
        Path(pyogrio.__file__).parent
        / "tests"
        / "fixtures"
        / "naturalearth_lowres"
        / "naturalearth_lowres.shp"
    )


@cache
def world_countries() -> tuple[tuple[str, str, BaseGeometry], ...]:
    """(name, iso_a3, geometry) of Natural Earth 1:110m, whole world, checked by SHA-256."""
    path = world_path()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != WORLD_SHA256:
        raise ValueError(f"{path}: SHA-256 {digest} is not the recorded Natural Earth 1:110m")
    import pyogrio

    _meta, _fids, geometries, fields = pyogrio.raw.read(path, columns=["name", "iso_a3"])
    geoms = shapely.from_wkb(geometries)
    return tuple(
        (str(name), str(iso), shapely.make_valid(g))
        for name, iso, g in zip(fields[0], fields[1], geoms, strict=True)
    )


def load(name: str, folder: Path | None = None) -> list[dict[str, Any]]:
    path = (folder or basemap_dir()) / f"{name}.geojson"
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def _union(geoms: list[BaseGeometry]) -> BaseGeometry:
    return shapely.set_precision(shapely.union_all(geoms), GRID)


def _borders(polygons: list[BaseGeometry], land: BaseGeometry) -> BaseGeometry:
    """Lines shared by two polygons: every polygon edge that is not on the coast."""
    edges = shapely.union_all([p.boundary for p in polygons])
    return edges.difference(land.boundary.buffer(GRID * 5))


def earth(folder: Path | None = None) -> Iterator[dict[str, Any]]:
    world = _union([g for _n, _i, g in world_countries()])
    yield tile_feature("earth", world, {"kind": "earth"}, maxzoom=DETAIL_ZOOM - 1)
    detail = _union([shape(f["geometry"]) for f in load("countries", folder)])
    box = shapely.box(*DETAIL_BOX)
    merged = _union([world.difference(box), detail])
    yield tile_feature("earth", merged, {"kind": "earth"}, minzoom=DETAIL_ZOOM)


def boundaries(folder: Path | None = None) -> Iterator[dict[str, Any]]:
    """Country borders (kind_detail 2) and first-level divisions (kind_detail 4)."""
    countries = [g for _n, _i, g in world_countries()]
    world_lines = _borders(countries, _union(countries))
    country = {"kind": "country", "kind_detail": 2}
    yield tile_feature("boundaries", world_lines, country, maxzoom=DETAIL_ZOOM - 1)
    box = shapely.box(*DETAIL_BOX)
    yield tile_feature("boundaries", world_lines.difference(box), country, minzoom=DETAIL_ZOOM)
    detail = [shape(f["geometry"]) for f in load("countries", folder)]
    land = _union(detail)
    detail_lines = _borders(detail, land)
    yield tile_feature("boundaries", detail_lines, country, minzoom=DETAIL_ZOOM)
    regions = [shape(f["geometry"]) for f in load("admin1", folder)]
    region_lines = _borders(regions, land).difference(detail_lines.buffer(GRID * 20))
    yield tile_feature(
        "boundaries",
        region_lines,
        {"kind": "region", "kind_detail": 4},
        minzoom=REGION_BOUNDARY_ZOOM,
    )


def water(folder: Path | None = None) -> Iterator[dict[str, Any]]:
    """Lakes (polygons and a label point each) and named rivers. The sea is the background."""
    for f in load("lakes", folder):
        p, geom = f["properties"], shape(f["geometry"])
        names = _names(p.get("name_en") or p.get("name"), p.get("name_ar"))
        yield tile_feature("water", geom, {"kind": "lake", **names}, minzoom=DETAIL_ZOOM)
        if names:
            rank = p.get("scalerank") or 9
            yield tile_feature(
                "water",
                geom.representative_point(),
                {"kind": "lake", "min_zoom": 5 if rank <= 4 else 6, **names},
                minzoom=5 if rank <= 4 else 6,
            )
    for f in load("rivers", folder):
        p = f["properties"]
        rank = p.get("scalerank") or 9
        minzoom = DETAIL_ZOOM if rank <= 4 else 5 if rank <= 7 else 6
        names = _names(p.get("name_en") or p.get("name"), p.get("name_ar"))
        geom = shapely.line_merge(shape(f["geometry"]))
        props = {"kind": "river", "min_zoom": minzoom, **names}
        yield tile_feature("water", geom, props, minzoom=minzoom)


def country_labels(folder: Path | None = None) -> Iterator[dict[str, Any]]:
    """One label point per country: world names, with Natural Earth 1:10m's Arabic names
    (the shipped box's file, else names_ar.csv for the rest of the world)."""
    detail = {f["properties"]["iso_a3"]: f for f in load("countries", folder)}
    arabic = country_names()  # Natural Earth 1:10m's Arabic names of the world's countries
    seen = set()
    for name, iso, geom in world_countries():
        ne = detail.get(iso) if iso != "-99" else None
        en = ne["properties"]["name"] if ne else name
        ar = ne["properties"].get("name_ar") if ne else None
        ar = ar or arabic.get(iso if iso != "-99" else name)
        seen.add(iso)
        yield _country(en, ar, geom)
    for _iso, f in sorted((k, v) for k, v in detail.items() if k and k not in seen):
        p = f["properties"]
        ar = p.get("name_ar") or arabic.get(p["name"])
        yield _country(p["name"], ar, shape(f["geometry"]))


def _country(en: str, ar: str | None, geom: BaseGeometry) -> dict[str, Any]:
    main = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
    point = shapely.ops.polylabel(main, tolerance=0.05) if main.area > 0.05 else main.centroid
    area = geom.area
    min_zoom = 2 if area > 60 else 3 if area > 10 else 4 if area > 1 else 5
    props = {"kind": "country", "min_zoom": min_zoom, **_names(en, ar)}
    return tile_feature("places", point, props, minzoom=min_zoom)


def _names(en: str | None, ar: str | None) -> dict[str, str]:
    out = {}
    if en:
        out["name"] = en
        out["name:en"] = en
    if ar:
        out["name:ar"] = ar
    return out
