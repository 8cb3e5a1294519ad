"""A raster basemap (PNG, JPEG or WEBP tiles of a user's PMTiles or MBTiles archive) as the
background image of a snapshot's map.

The tiles are Web Mercator pictures; the snapshot is drawn in its own projection (a Lambert
conformal conic for a region: `layers.snapshot.projection`). Laying the mosaic on the axes
as it is would bend every straight line of the page against the picture (Mercator's scale
drifts ~16 % across Iraq and Syria), so the mosaic is resampled: each pixel of the image
put on the axes is taken back to longitude and latitude by the snapshot's projection, then to
the pixel of the tile mosaic that shows that spot. The report shapes drawn over it then sit
where the picture shows their ground. Tiles are read at the zoom whose scale matches the
page (the web map's zoom for the frame), fewer if the frame would need too many.

Tiles are decoded by Pillow within bounds: at most MAX_TILES tiles, each at most 1024 px a
side (a larger picture is refused, not decoded). Nothing here reads the network.
"""

from __future__ import annotations

import io
import math

import numpy as np
from matplotlib.axes import Axes
from PIL import Image

from layers.snapshot.projection import Projection
from layers.tiles.archive import ArchiveError, ArchiveInfo
from layers.tiles.tile_read import TileGet, tile_reader

Extent = tuple[float, float, float, float]  # projected metres: xmin, ymin, xmax, ymax
MAX_TILES = 144  # a print frame needs a few dozen at the page's zoom
MAX_SIDE = 1024  # pixels of one tile image
IMAGE_PX = 1800  # the resampled image's longer side
Z_RASTER = 0.5  # under the land layer's place: the picture is the land


def _decode(data: bytes, where: str) -> Image.Image:
    """One tile's picture; ArchiveError if it is not an image or not a tile-sized square
    (its size is read from the header before any pixel is decoded)."""
    try:
        img = Image.open(io.BytesIO(data))
        if max(img.size) > MAX_SIDE or img.size[0] != img.size[1]:
            w, h = img.size
            raise ArchiveError(f"tile {where} is {w}x{h} px; need a square of <= {MAX_SIDE} px")
        return img.convert("RGBA")
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        if isinstance(exc, ArchiveError):
            raise
        raise ArchiveError(f"tile {where} is not a readable image ({exc})") from None


def _mercator(lon: np.ndarray, lat: np.ndarray, z: int) -> tuple[np.ndarray, np.ndarray]:
    """World pixel coordinates (256-px tiles) of zoom `z`."""
    n = 256 * 2**z
    lat = np.clip(lat, -85.0511, 85.0511)
    s = np.sin(np.radians(lat))
    return (lon + 180) / 360 * n, (0.5 - np.log((1 + s) / (1 - s)) / (4 * math.pi)) * n


def _tile_range(bounds: Extent, z: int) -> tuple[int, int, int, int]:
    west, south, east, north = bounds
    gx, gy = _mercator(np.array([west, east]), np.array([north, south]), z)
    top = 2**z - 1
    return (
        max(0, int(gx[0] // 256)),
        min(top, int(gx[1] // 256)),
        max(0, int(gy[0] // 256)),
        min(top, int(gy[1] // 256)),
    )


def pick_zoom(info: ArchiveInfo, bounds: Extent, zoom: float) -> int:
    """The archive zoom nearest the page's, lowered until the frame needs <= MAX_TILES."""
    z = max(info.min_zoom, min(info.max_zoom, round(zoom)))
    while z > info.min_zoom:
        x0, x1, y0, y1 = _tile_range(bounds, z)
        if (x1 - x0 + 1) * (y1 - y0 + 1) <= MAX_TILES:
            break
        z -= 1
    return z


def mosaic(get: TileGet, bounds: Extent, z: int) -> tuple[np.ndarray, int, int]:
    """The tiles over `bounds` at zoom `z` as one RGBA array (transparent where the archive
    has none), and the world pixel of its top-left corner."""
    x0, x1, y0, y1 = _tile_range(bounds, z)
    out = np.zeros(((y1 - y0 + 1) * 256, (x1 - x0 + 1) * 256, 4), dtype=np.uint8)
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            data = get(z, x, y)
            if not data:
                continue
            img = _decode(bytes(data), f"{z}/{x}/{y}").resize((256, 256), Image.BILINEAR)
            out[(y - y0) * 256 : (y - y0 + 1) * 256, (x - x0) * 256 : (x - x0 + 1) * 256] = img
    return out, x0 * 256, y0 * 256


def resampled(
    proj: Projection, extent: Extent, tiles: np.ndarray, origin: tuple[int, int], z: int
) -> np.ndarray:
    """The mosaic as seen through the snapshot's projection: one RGBA pixel per cell of a
    grid over `extent` (rows from the top), nearest tile pixel, transparent off the mosaic."""
    xmin, ymin, xmax, ymax = extent
    scale = IMAGE_PX / max(xmax - xmin, ymax - ymin)
    w, h = max(2, round((xmax - xmin) * scale)), max(2, round((ymax - ymin) * scale))
    xs = xmin + (np.arange(w) + 0.5) * (xmax - xmin) / w
    ys = ymax - (np.arange(h) + 0.5) * (ymax - ymin) / h
    gx, gy = np.meshgrid(xs, ys)
    lon, lat = proj._lonlat(gx.ravel(), gy.ravel())
    px, py = _mercator(np.asarray(lon), np.asarray(lat), z)
    col = np.floor(px - origin[0]).astype(np.int64)
    row = np.floor(py - origin[1]).astype(np.int64)
    inside = (col >= 0) & (col < tiles.shape[1]) & (row >= 0) & (row < tiles.shape[0])
    out = np.zeros((h * w, 4), dtype=np.uint8)
    out[inside] = tiles[row[inside], col[inside]]
    return out.reshape(h, w, 4)


def lonlat_bounds(proj: Projection, extent: Extent) -> Extent:
    xmin, ymin, xmax, ymax = extent
    xs = np.linspace(xmin, xmax, 17)
    ys = np.linspace(ymin, ymax, 17)
    ex = np.concatenate([xs, xs, np.full(17, xmin), np.full(17, xmax)])
    ey = np.concatenate([np.full(17, ymin), np.full(17, ymax), ys, ys])
    lon, lat = proj._lonlat(ex, ey)
    return float(np.min(lon)), float(np.min(lat)), float(np.max(lon)), float(np.max(lat))


def draw_raster(ax: Axes, proj: Projection, extent: Extent, info: ArchiveInfo, zoom: float) -> int:
    """Draw the archive's pictures as the map's background; return the tile zoom used."""
    bounds = lonlat_bounds(proj, extent)
    z = pick_zoom(info, bounds, zoom)
    with tile_reader(info.path) as (_deepest, get):
        tiles, ox, oy = mosaic(get, bounds, z)
    image = resampled(proj, extent, tiles, (ox, oy), z)
    ax.imshow(
        image,
        extent=(extent[0], extent[2], extent[1], extent[3]),
        origin="upper",
        interpolation="bilinear",
        zorder=Z_RASTER,
    )
    ax.set_xlim(extent[0], extent[2])  # imshow resets the limits; keep the frame
    ax.set_ylim(extent[1], extent[3])
    return z
