"""Tile archives as the map serves them: ours, or a user's PMTiles / MBTiles extract.

`inspect_archive(path)` is the boundary for a user's file: it checks that it is a PMTiles (v3)
or MBTiles archive of vector tiles in the Protomaps basemap schema and returns what the map
needs (zooms, bounds, layers, the attribution its metadata carries, as plain text), or raises
`ArchiveError` naming the file and what is wrong. `serve_copy` puts it where the web server
serves it (MBTiles converted to PMTiles once). `embedded_tiles` extracts tiles for an offline
single-file page.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import math
import os
import shutil
import sqlite3
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from pmtiles.reader import MmapSource, Reader, all_tiles
from pmtiles.tile import Compression, TileType

# The layers of the Protomaps basemap schema that briefmap's style draws.
SCHEMA_LAYERS = ("earth", "water", "boundaries", "places", "roads", "landuse", "landcover")
PMTILES_MAGIC = b"PMTiles"
SQLITE_MAGIC = b"SQLite format 3\x00"


class ArchiveError(ValueError):
    """A tile archive briefmap cannot draw; the message names the file and the problem."""


@dataclass(frozen=True)
class ArchiveInfo:
    path: Path
    kind: str  # pmtiles | mbtiles
    min_zoom: int
    max_zoom: int
    bounds: tuple[float, float, float, float]  # west, south, east, north
    layers: tuple[str, ...]
    attribution: str  # plain text, from the archive's metadata

    def browser_spec(self, url: str) -> dict[str, Any]:
        return {
            "url": url,
            "max_zoom": self.max_zoom,
            "attribution": self.attribution,
            "bounds": list(self.bounds),
        }


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(html: str) -> str:
    """The text of an attribution given as HTML ("<a href=…>OpenStreetMap</a>" → its words)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def inspect_archive(path: Path) -> ArchiveInfo:
    if not path.is_file():
        raise ArchiveError(f"{path}: no such file")
    with path.open("rb") as f:
        head = f.read(16)
    if head.startswith(PMTILES_MAGIC):
        return _inspect_pmtiles(path)
    if head == SQLITE_MAGIC:
        return _inspect_mbtiles(path)
    raise ArchiveError(f"{path}: not a PMTiles or MBTiles archive (unknown file signature)")


def _inspect_pmtiles(path: Path) -> ArchiveInfo:
    with path.open("rb") as f:
        reader = Reader(MmapSource(f))
        header = reader.header()
        if header.get("version") != 3:
            raise ArchiveError(f"{path}: PMTiles version {header.get('version')}; need version 3")
        if header["tile_type"] != TileType.MVT:
            raise ArchiveError(f"{path}: tiles are {header['tile_type'].name}, not vector (MVT)")
        try:
            meta = reader.metadata()
        except ValueError as exc:
            raise ArchiveError(f"{path}: metadata is not valid JSON ({exc})") from exc
    keys = ("min_lon_e7", "min_lat_e7", "max_lon_e7", "max_lat_e7")
    bounds = tuple(header[k] / 1e7 for k in keys)
    return _info(path, "pmtiles", header["min_zoom"], header["max_zoom"], bounds, meta)


def _inspect_mbtiles(path: Path) -> ArchiveInfo:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            meta = dict(db.execute("SELECT name, value FROM metadata").fetchall())
            zooms = db.execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone()
    except sqlite3.Error as exc:
        raise ArchiveError(f"{path}: not a readable MBTiles database ({exc})") from exc
    if meta.get("format") != "pbf":
        raise ArchiveError(f"{path}: format {meta.get('format')!r}, not vector tiles ('pbf')")
    if zooms[0] is None:
        raise ArchiveError(f"{path}: the archive holds no tiles")
    try:
        bounds = tuple(float(v) for v in meta.get("bounds", "-180,-85,180,85").split(","))
        extra = json.loads(meta.get("json") or "{}")
    except ValueError as exc:
        raise ArchiveError(f"{path}: metadata 'bounds' or 'json' is malformed ({exc})") from exc
    return _info(path, "mbtiles", zooms[0], zooms[1], bounds, {**meta, **extra})


def _info(path: Path, kind: str, lo: int, hi: int, bounds, meta: dict[str, Any]) -> ArchiveInfo:
    layers = tuple(str(v.get("id")) for v in meta.get("vector_layers", []) if isinstance(v, dict))
    if layers and not set(layers) & set(SCHEMA_LAYERS):
        raise ArchiveError(
            f"{path}: its layers ({', '.join(layers)}) are not the Protomaps basemap schema "
            f"({', '.join(SCHEMA_LAYERS)}); make the extract with Protomaps' `pmtiles extract`"
        )
    if len(bounds) != 4:
        raise ArchiveError(f"{path}: bounds must be west,south,east,north")
    attribution = plain_text(str(meta.get("attribution") or ""))
    return ArchiveInfo(path, kind, int(lo), int(hi), tuple(bounds), layers, attribution)


def serve_copy(info: ArchiveInfo, folder: Path) -> Path:
    """The archive as a PMTiles file inside the served `folder` (a hard link where the file
    system allows, else a copy; MBTiles converted). Reused while the source is unchanged."""
    stat = info.path.stat()
    stamp = hashlib.sha256(f"{info.path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    target = folder / f"user-{stamp.hexdigest()[:12]}.pmtiles"
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(target.name + ".tmp")
    staged.unlink(missing_ok=True)
    if info.kind == "mbtiles":
        from pmtiles.convert import mbtiles_to_pmtiles

        mbtiles_to_pmtiles(str(info.path), str(staged), None)
    else:
        try:
            os.link(info.path, staged)
        except OSError:
            shutil.copyfile(info.path, staged)
    staged.replace(target)
    return target


def embedded_tiles(
    path: Path,
    max_zoom: int = 6,
    bounds: tuple[float, float, float, float] | None = None,
) -> dict[str, Any]:
    """Tiles of a PMTiles archive up to `max_zoom` (within `bounds` if given), decompressed
    and base64-encoded by "z/x/y", for a page that must draw the basemap with no server.

    The map reads them with `briefmap.memoryTiles` (layers/assets/briefmap-labels.js): give
    the result as `base_map(..., basemap_data=embedded_tiles(...))`. Zooms above `max_zoom`
    are drawn by over-zooming, as the live map does above the archive's own maximum.
    """
    tiles: dict[str, str] = {}
    with path.open("rb") as f:
        source = MmapSource(f)
        header = Reader(source).header()
        gz = header["tile_compression"] == Compression.GZIP
        for (z, x, y), data in all_tiles(source):
            if z > max_zoom or (bounds and not _tile_meets(z, x, y, bounds)):
                continue
            raw = gzip.decompress(data) if gz else bytes(data)
            tiles[f"{z}/{x}/{y}"] = base64.b64encode(raw).decode("ascii")
    return {"tiles": tiles, "max_zoom": max_zoom}


def _tile_meets(z: int, x: int, y: int, bounds: tuple[float, float, float, float]) -> bool:
    n = 2**z
    west, east = x / n * 360 - 180, (x + 1) / n * 360 - 180
    north = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / n))))
    south = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * (y + 1) / n))))
    w, s, e, nn = bounds
    return west <= e and east >= w and south <= nn and north >= s
