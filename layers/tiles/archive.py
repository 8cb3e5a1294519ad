"""Tile archives as the map serves them: ours, or a user's PMTiles / MBTiles extract.

`inspect_archive(path)` is the boundary for a user's file: it checks that it is a PMTiles (v3)
or MBTiles archive of vector tiles in the Protomaps basemap schema and returns what the map
needs (zooms, bounds, layers, the attribution its metadata carries, as plain text), or raises
`ArchiveError` naming the file and what is wrong (`pmtiles_file` and `mbtiles_file` read each
kind within bounds). `served_archive` says which file the web server sends (a PMTiles archive
itself; an MBTiles converted to PMTiles once, in a cache folder; at most MAX_ARCHIVE_BYTES).
`embedded_tiles` extracts tiles of our own archive for an offline single-file page.
"""

from __future__ import annotations

import base64
import hashlib
import math
import shutil
from functools import partial
from pathlib import Path
from typing import Any

from pmtiles.reader import MmapSource, Reader, all_tiles
from pmtiles.tile import Compression

from layers.atomic import write_with_atomic
from layers.boundary.regular import FileRefused, open_regular
from layers.tiles.archive_meta import SCHEMA_LAYERS, ArchiveError, ArchiveInfo, plain_text
from layers.tiles.bounds import inflate
from layers.tiles.mbtiles_file import convert_mbtiles, read_mbtiles
from layers.tiles.pmtiles_file import read_pmtiles

__all__ = ["SCHEMA_LAYERS", "ArchiveError", "ArchiveInfo", "inspect_archive", "plain_text"]
PMTILES_MAGIC = b"PMTiles"
SQLITE_MAGIC = b"SQLite format 3\x00"
MAX_ARCHIVE_BYTES = 4_000_000_000  # a user's archive; Iraq and Syria to zoom 15 is far less
SPARE_BYTES = 200_000_000  # left free on the cache folder's disk after a conversion
USER_PREFIX = "user-"


LFS_POINTER = b"version https://git-lfs.github.com/spec/"


def inspect_archive(path: Path) -> ArchiveInfo:
    try:
        with open_regular(path) as f:  # a folder, FIFO or device is named as what it is
            head = f.read(64)
        if head.startswith(PMTILES_MAGIC):
            return read_pmtiles(path)
        if head[:16] == SQLITE_MAGIC:
            return read_mbtiles(path)
    except FileNotFoundError:
        raise ArchiveError(f"{path}: no such file") from None
    except FileRefused as exc:
        raise ArchiveError(str(exc)) from None
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if head.startswith(LFS_POINTER):
        raise ArchiveError(
            f"{path}: this is a Git LFS pointer, not the archive: fetch the file with "
            "`git lfs pull`"
        )
    raise ArchiveError(f"{path}: not a PMTiles or MBTiles archive (unknown file signature)")


def served_archive(info: ArchiveInfo, cache: Path | None) -> Path:
    """The archive as the browser reads it: a PMTiles file is served where it is (no copy, no
    link); an MBTiles archive is converted once into `cache` (a folder outside the code, named
    by the source's path, size and time, so a changed source is converted again and two
    servers never remove each other's file). A failed conversion leaves nothing behind."""
    stat = info.path.stat()
    if stat.st_size > MAX_ARCHIVE_BYTES:
        raise ArchiveError(
            f"{info.path}: {stat.st_size / 1e9:.1f} GB; briefmap serves archives of at most "
            f"{MAX_ARCHIVE_BYTES / 1e9:.0f} GB (cut a smaller area with `pmtiles extract --bbox`)"
        )
    if info.kind == "pmtiles":
        return info.path
    if cache is None:
        raise ArchiveError(f"{info.path}: an MBTiles archive needs a cache folder to convert into")
    stamp = hashlib.sha256(f"{info.path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    target = cache / f"{USER_PREFIX}{stamp.hexdigest()[:12]}.pmtiles"
    if not target.is_file():
        write_with_atomic(target, partial(_convert, info, size=stat.st_size), make_parents=True)
    return target


def _convert(info: ArchiveInfo, staged: Path, size: int) -> None:
    staged.unlink(missing_ok=True)
    _need_space(info.path, staged.parent, size)
    convert_mbtiles(info, staged)


def _need_space(path: Path, folder: Path, size: int) -> None:
    free = shutil.disk_usage(folder).free
    if free < size + SPARE_BYTES:
        raise ArchiveError(
            f"{path}: converting it ({size / 1e6:,.0f} MB) would leave the cache folder's disk "
            f"nearly full ({free / 1e6:,.0f} MB free); free some space, or convert it to "
            "PMTiles yourself (`pmtiles convert`), which is served where it is"
        )


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
            raw = inflate(path, data, f"{z}/{x}/{y}") if gz else bytes(data)  # capped
            tiles[f"{z}/{x}/{y}"] = base64.b64encode(raw).decode("ascii")
    return {"tiles": tiles, "max_zoom": max_zoom}


def _tile_meets(z: int, x: int, y: int, bounds: tuple[float, float, float, float]) -> bool:
    n = 2**z
    west, east = x / n * 360 - 180, (x + 1) / n * 360 - 180
    north = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / n))))
    south = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * (y + 1) / n))))
    w, s, e, nn = bounds
    return west <= e and east >= w and south <= nn and north >= s
