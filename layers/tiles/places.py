"""The labelled points of a vector-tile basemap (towns, capitals, countries, lake names) as the
web map has them at a zoom: read from the archive's own tiles, so print labels the same set of
places, by the same zoom thresholds, as the screen.

The web map (Leaflet, 256-px zoom Z) draws the 512-px tiles of zoom Z - 1, and shows a place
from Leaflet zoom `min_zoom + 1` on (`layers/assets/briefmap-basemap.js`). A tile of our
archive holds every place whose `min_zoom` is at most the tile's zoom (`--drop-rate=1`), so
the places of tile zoom Z - 1 are exactly the places the map can label at Z.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from layers.tiles.mvt import point_layer
from layers.tiles.schemas import by_name
from layers.tiles.tile_read import tile_reader, vector_tile

Bounds = tuple[float, float, float, float]  # west, south, east, north
MAX_TILES = 64  # a print frame needs a handful; more means the zoom is wrong for the frame


@dataclass(frozen=True)
class TilePlace:
    lon: float
    lat: float
    props: dict[str, Any]  # the tile's attributes: kind, name, name:en, name:ar, min_zoom …


def tile_zoom(leaflet_zoom: float, max_zoom: int) -> int:
    """The archive zoom whose tiles the web map draws at this (Leaflet) zoom."""
    return max(0, min(max_zoom, round(leaflet_zoom) - 1))


def tiles_over(bounds: Bounds, z: int) -> list[tuple[int, int]]:
    """(x, y) of the tiles of zoom `z` that cover `bounds`."""
    west, south, east, north = bounds
    n = 2**z
    x0, x1 = _tile_x(west, n), _tile_x(east, n)
    y0, y1 = _tile_y(north, n), _tile_y(south, n)
    return [(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


def _tile_x(lon: float, n: int) -> int:
    return min(n - 1, max(0, int((lon + 180) / 360 * n)))


def _tile_y(lat: float, n: int) -> int:
    lat = max(-85.0511, min(85.0511, lat))
    s = math.sin(math.radians(lat))
    y = 0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)
    return min(n - 1, max(0, int(y * n)))


def places(
    archive: Path, bounds: Bounds, leaflet_zoom: float, schema: str = "protomaps-v4"
) -> list[TilePlace]:
    """Every point of the `places` and `water` layers the web map can label at `leaflet_zoom`
    within `bounds`, each once (a tile's buffer repeats its neighbours' points: only the
    points inside a tile's own square are taken from it). An archive of another `schema`
    (a name of `layers.tiles.schemas`) has its labelled points mapped onto those layers."""
    stat = archive.stat()
    with tile_reader(archive) as (max_zoom, _get):
        pass
    z = tile_zoom(leaflet_zoom, max_zoom)
    tiles = tiles_over(bounds, z)
    if len(tiles) > MAX_TILES:
        raise ValueError(f"{len(tiles)} tiles at zoom {z} for one frame: zoom and frame disagree")
    west, south, east, north = bounds
    out = []
    for x, y in tiles:
        for p in _tile_places(str(archive), stat.st_size, stat.st_mtime_ns, z, x, y, schema):
            if west <= p.lon <= east and south <= p.lat <= north:
                out.append(p)
    return out


@lru_cache(maxsize=256)
def _tile_places(
    path: str, _size: int, _mtime: int, z: int, x: int, y: int, schema: str = "protomaps-v4"
) -> tuple:
    mapping = by_name(schema)
    with tile_reader(Path(path)) as (_deepest, get):
        stored = get(z, x, y)
    if not stored:
        return ()
    data = vector_tile(Path(path), bytes(stored), f"{z}/{x}/{y}")
    out = []
    for source in mapping.point_layers:
        extent, points = point_layer(bytes(data), source)
        for p in points:
            if not (0 <= p.x < extent and 0 <= p.y < extent):
                continue  # the buffer: this point belongs to a neighbouring tile
            mapped = mapping.point(source, p.props)
            if mapped is None:
                continue
            layer, props = mapped
            lon, lat = _lonlat(z, x + p.x / extent, y + p.y / extent)
            out.append(TilePlace(round(lon, 5), round(lat, 5), {"layer": layer, **props}))
    return tuple(out)


def _lonlat(z: int, tx: float, ty: float) -> tuple[float, float]:
    n = 2**z
    lon = tx / n * 360 - 180
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * ty / n))))
    return lon, lat
