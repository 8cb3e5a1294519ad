"""The basemap for print (static snapshots, issue 11): Natural Earth at full detail, in the
colours of the web map's style (`layers.render.basemap.STYLE`). Labels come from the archive's
own tiles (`layers.snapshot.labels`), as the web map's do.

The web map draws the PMTiles archive; print draws the shipped GeoJSON it was built from, so
a slide and the screen show the same land, water and borders in the same colours.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape

from layers.paths import basemap_dir
from layers.render.basemap import STYLE, load_layer, source_files

# (name, source file, how to draw it, style). "outline" draws polygon boundaries as lines,
# without the edges of the box the shipped 1:10m set was clipped to.
PRINT_LAYERS = (
    (
        "world",
        "world110m",
        "fill",
        {"color": "#c9c4b8", "weight": 0.6, "fillColor": STYLE["earth"], "fillOpacity": 1},
    ),
    (
        "countries",
        "countries",
        "fill",
        {"stroke": False, "fillColor": STYLE["earth"], "fillOpacity": 1},
    ),
    (
        "lakes",
        "lakes",
        "fill",
        {"color": STYLE["river"], "weight": 0.6, "fillColor": STYLE["water"], "fillOpacity": 1},
    ),
    (
        "admin1",
        "admin1",
        "outline",
        {
            "color": STYLE["region_border"],
            "weight": STYLE["region_border_width"],
            "fill": False,
            "dashArray": " ".join(map(str, STYLE["region_border_dash"])),
        },
    ),
    ("rivers", "rivers", "line", {"color": STYLE["river"], "weight": 1.1, "fill": False}),
    (
        "borders",
        "countries",
        "outline",
        {"color": STYLE["country_border"], "weight": STYLE["country_border_width"], "fill": False},
    ),
)


def _stamp(folder: Path) -> str:
    h = hashlib.sha256()
    for path in source_files(folder):
        stat = path.stat()
        h.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return h.hexdigest()[:12]


def _clip_edge(countries: list[dict[str, Any]]) -> shapely.Geometry:
    """The frame the shared basemap was clipped to: its edges are not borders or coasts."""
    union = shapely.union_all([shape(f["geometry"]) for f in countries])
    return shapely.box(*union.bounds).boundary.buffer(1e-4)


def print_layers(folder: Path | None = None) -> list[tuple[str, str, dict[str, Any], list]]:
    """Full-detail basemap for print, in draw order: (name, mode, style, geometries)."""
    folder = folder or basemap_dir()
    return _print_layers(str(folder), _stamp(folder))


@lru_cache(maxsize=2)
def _print_layers(folder: str, stamp: str) -> list[tuple[str, str, dict[str, Any], list]]:
    base = Path(folder)
    clip_edge = _clip_edge(load_layer("countries", base))
    out = []
    for name, source, mode, style in PRINT_LAYERS:
        geoms = [shape(f["geometry"]) for f in load_layer(source, base)]
        if mode == "outline":
            geoms = [g.boundary.difference(clip_edge) for g in geoms]
        out.append((name, mode, style, [g for g in geoms if not g.is_empty]))
    return out
