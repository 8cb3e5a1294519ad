"""The vector basemap shipped in `geodata/basemap/` (Natural Earth), prepared for the web map.

Full-resolution polygons cost time in the browser on every redraw; the web copy is simplified
(about 1 km at the scale of the region) and rounded to 3 decimals. Print exports keep full detail
by reading the shipped files directly.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape

from layers.atomic import write_text_atomic
from layers.paths import basemap_dir

# (name, source file, how to draw it, simplify tolerance in degrees, Leaflet pane, style).
# "outline" draws polygon boundaries as lines, without the edges of the clipping box.
WEB_LAYERS = (
    (
        "world",
        "world110m",
        "fill",
        0.0,
        "bm-land",
        {"color": "#c9c4b8", "weight": 0.6, "fillColor": "#ebe7de", "fillOpacity": 1},
    ),
    (
        "countries",
        "countries",
        "fill",
        0.01,
        "bm-land",
        {"stroke": False, "fillColor": "#f4f1ea", "fillOpacity": 1},
    ),
    (
        "lakes",
        "lakes",
        "fill",
        0.005,
        "bm-land",
        {"color": "#9cc0d6", "weight": 0.6, "fillColor": "#c9dce8", "fillOpacity": 1},
    ),
    (
        "admin1",
        "admin1",
        "outline",
        0.02,
        "bm-lines",
        {"color": "#b9b2a4", "weight": 0.7, "fill": False, "dashArray": "3 3"},
    ),
    (
        "rivers",
        "rivers",
        "line",
        0.005,
        "bm-lines",
        {"color": "#86b3d1", "weight": 1.1, "fill": False},
    ),
    (
        "borders",
        "countries",
        "outline",
        0.01,
        "bm-lines",
        {"color": "#7d7d7d", "weight": 1.3, "fill": False},
    ),
)
PRECISION = 1e-3


def source_files(folder: Path | None = None) -> list[Path]:
    base = folder or basemap_dir()
    return [
        base / f"{name}.geojson"
        for name in ("countries", "admin1", "rivers", "lakes", "places", "world110m")
    ]


def load_layer(name: str, folder: Path | None = None) -> list[dict[str, Any]]:
    """Features of one shipped basemap file, full resolution (for print and tests)."""
    path = (folder or basemap_dir()) / f"{name}.geojson"
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def web_basemap(folder: Path | None = None) -> dict[str, Any]:
    """Simplified layers and labels for the browser, keyed by layer name."""
    folder = folder or basemap_dir()
    return _web_basemap(str(folder), _stamp(folder))


def _stamp(folder: Path) -> str:
    h = hashlib.sha256()
    for path in source_files(folder):
        stat = path.stat()
        h.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return h.hexdigest()[:12]


@lru_cache(maxsize=4)
def _web_basemap(folder: str, stamp: str) -> dict[str, Any]:
    base = Path(folder)
    out: dict[str, Any] = {"stamp": stamp}
    countries = load_layer("countries", base)
    clip_edge = _clip_edge(countries)
    for name, source, mode, tol, _pane, _style in WEB_LAYERS:
        features = load_layer(source, base)
        if mode == "outline":
            features = [
                {"geometry": mapping(shape(f["geometry"]).boundary.difference(clip_edge))}
                for f in features
            ]
        out[name] = _simplified(features, tol)
    out["labels"] = _labels(countries, load_layer("places", base))
    return out


def print_layers(folder: Path | None = None) -> list[tuple[str, str, dict[str, Any], list]]:
    """Full-detail basemap for print, in draw order: (name, mode, web style, geometries).

    The same layers and styles as the web map (WEB_LAYERS), without simplification; borders
    and coasts are cut where the shared data was clipped, exactly as on screen.
    """
    folder = folder or basemap_dir()
    return _print_layers(str(folder), _stamp(folder))


@lru_cache(maxsize=2)
def _print_layers(folder: str, stamp: str) -> list[tuple[str, str, dict[str, Any], list]]:
    base = Path(folder)
    clip_edge = _clip_edge(load_layer("countries", base))
    out = []
    for name, source, mode, _tol, _pane, style in WEB_LAYERS:
        geoms = [shape(f["geometry"]) for f in load_layer(source, base)]
        if mode == "outline":
            geoms = [g.boundary.difference(clip_edge) for g in geoms]
        out.append((name, mode, style, [g for g in geoms if not g.is_empty]))
    return out


def labels(folder: Path | None = None) -> list[dict[str, Any]]:
    """Country and place labels (both names, kind, the zoom they appear from), as on screen."""
    folder = folder or basemap_dir()
    return web_basemap(folder)["labels"]


def _clip_edge(countries: list[dict[str, Any]]) -> shapely.Geometry:
    """The frame the shared basemap was clipped to: its edges are not borders or coasts."""
    union = shapely.union_all([shape(f["geometry"]) for f in countries])
    return shapely.box(*union.bounds).boundary.buffer(1e-4)


def _simplified(features: list[dict[str, Any]], tol: float) -> dict[str, Any]:
    geoms = []
    for f in features:
        geom = shape(f["geometry"])
        if tol:
            geom = geom.simplify(tol, preserve_topology=True)
        g = shapely.set_precision(geom, PRECISION)
        if not g.is_empty:
            geoms.append({"type": "Feature", "properties": {}, "geometry": mapping(g)})
    return {"type": "FeatureCollection", "features": geoms}


def _labels(countries: list[dict[str, Any]], places: list[dict[str, Any]]) -> list[dict]:
    labels = []
    for f in countries:
        p = f["properties"]
        if p.get("iso_a3") is None:  # buffer zones and bases: no label
            continue
        pt = shape(f["geometry"]).representative_point()
        labels.append(
            {
                "lon": round(pt.x, 3),
                "lat": round(pt.y, 3),
                "en": p["name"],
                "ar": p.get("name_ar"),
                "kind": "country",
                "min_zoom": 5,
            }
        )
    for f in places:
        p = f["properties"]
        capital = p["featurecla"] == "Admin-0 capital"
        rank = p["scalerank"]
        min_zoom = 5 if capital else 6 if rank <= 4 else 7 if rank <= 7 else 8
        lon, lat = f["geometry"]["coordinates"]
        labels.append(
            {
                "lon": lon,
                "lat": lat,
                "en": p["name"],
                "ar": p.get("name_ar"),
                "kind": "capital" if capital else "place",
                "min_zoom": min_zoom,
            }
        )
    return labels


def layer_specs() -> list[dict[str, Any]]:
    return [{"name": n, "pane": pane, "style": style} for n, _s, _m, _t, pane, style in WEB_LAYERS]


def write_web_basemap(static_dir: Path, folder: Path | None = None) -> tuple[Path, str]:
    """Write the web basemap JSON into the static folder; return (path, version stamp).

    The stamp (sizes and times of the source files) is kept beside the JSON, so a process that
    finds it up to date (the app after `briefmap serve` prepared it) does no work.
    """
    folder = folder or basemap_dir()
    stamp = _stamp(folder)
    target = static_dir / "basemap" / "basemap.json"
    stamp_file = target.with_suffix(".stamp")
    if target.is_file() and stamp_file.is_file() and stamp_file.read_text() == stamp:
        return target, stamp
    data = web_basemap(folder)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    write_text_atomic(target, text, make_parents=True)
    write_text_atomic(stamp_file, stamp, make_parents=True)
    return target, stamp
