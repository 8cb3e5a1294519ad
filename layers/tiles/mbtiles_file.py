"""A user's MBTiles (SQLite) file read at the boundary and converted to PMTiles, within bounds.

Every query runs read-only under a CPU-time budget (SQLite's progress handler interrupts it)
with SQLite's string/blob length limit lowered, and reads a capped number of rows, so a
recursive view, a huge table or a giant value ends in ArchiveError, not in a hung server.
Metadata values are checked for type before use; each tile row is checked (whole-number
zoom, column and row inside the zoom's grid, data present, unpacking within the cap of
`layers.tiles.bounds`) as it is converted; at open the largest tiles of each zoom are unpacked."""

from __future__ import annotations

import gzip
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer

from layers.boundary.problems import show
from layers.tiles.archive_meta import (
    MAX_METADATA_BYTES,
    MAX_ZOOM,
    ArchiveError,
    ArchiveInfo,
    metadata_object,
)
from layers.tiles.archive_schema import GZIP_MAGIC, sampled_format, summary
from layers.tiles.bounds import compressed, inflated_size, sample_mbtiles
from layers.tiles.pmtiles_file import unpack

INSPECT_SECONDS = 10.0  # metadata and the tile count
CONVERT_SECONDS = 300.0  # reading every tile once
MAX_TILES = 1_000_000  # about a country to zoom 15
MAX_TILE_BYTES = 8_000_000  # one stored tile (Protomaps' are under 500 KB)
MAX_METADATA_ROWS = 1_000
WORLD = (-180.0, -85.05112878, 180.0, 85.05112878)


@contextmanager
def _database(path: Path, seconds: float) -> Iterator[sqlite3.Connection]:
    """The file opened read-only; a query using more than `seconds` of this thread's CPU time
    from now is interrupted (CPU, not wall-clock: a busy machine must not refuse a good file)."""
    db = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, max(MAX_TILE_BYTES, MAX_METADATA_BYTES) + 1)
    deadline = time.thread_time() + seconds
    db.set_progress_handler(lambda: int(time.thread_time() > deadline), 10_000)
    try:
        yield db
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            raise ArchiveError(
                f"{path}: reading the database took more than {seconds:g} s of CPU time "
                "(a view that never ends, or far too many rows)"
            ) from None
        raise ArchiveError(f"{path}: not a readable MBTiles database ({exc})") from None
    except sqlite3.Error as exc:
        raise ArchiveError(f"{path}: not a readable MBTiles database ({exc})") from None
    finally:
        db.close()


def read_mbtiles(path: Path) -> ArchiveInfo:
    with _database(path, INSPECT_SECONDS) as db:
        meta = _metadata(path, db)
        lo, hi, _count = _tile_range(path, db)
        sample = _first_tile(path, db)
        tile_format = _tile_format(path, meta.get("format"), sample)
    for key in ("minzoom", "maxzoom"):
        if key in meta and not (meta[key].isascii() and meta[key].strip().isdigit()):
            raise ArchiveError(f"{path}: metadata {key!r} is {show(meta[key])}; need a zoom")
    extra = {}
    if "json" in meta:
        extra = metadata_object(path, meta["json"].encode(), "metadata 'json'")
    box = _bounds(path, meta)
    info = summary(path, "mbtiles", (lo, hi), box, {**meta, **extra}, tile_format, sample)
    with _database(path, INSPECT_SECONDS) as db:  # the largest tiles of each zoom, unpacked
        sample_mbtiles(path, db, info.min_zoom, info.max_zoom)
    return info


FORMATS = {"pbf": "mvt", "mvt": "mvt", "png": "png", "jpg": "jpeg", "jpeg": "jpeg", "webp": "webp"}


def _tile_format(path: Path, declared: str | None, sample: bytes | None) -> str:
    """The tiles' format from the `format` row (the MBTiles spec: pbf, png, jpg, webp), or,
    when the row is missing (QGIS and other kits leave it out), from the first tile's bytes."""
    if declared is None:
        found = sampled_format(sample)
        if found is None:
            raise ArchiveError(f"{path}: no 'format' in its metadata and no tile to tell it by")
        return found
    if declared.strip().lower() not in FORMATS:
        raise ArchiveError(
            f"{path}: format {show(declared)}; briefmap reads 'pbf' (vector) and 'png', 'jpg', "
            "'webp' (raster) tiles"
        )
    return FORMATS[declared.strip().lower()]


def _first_tile(path: Path, db: sqlite3.Connection) -> bytes | None:
    """One tile's bytes, gzip unpacked within MAX_TILE_BYTES (None if it holds no bytes)."""
    row = db.execute("SELECT tile_data FROM tiles LIMIT 1").fetchone()
    data = row[0] if row else None
    if not isinstance(data, bytes) or not data:
        return None
    if data[:2] == GZIP_MAGIC:
        return unpack(path, data, Compression.GZIP, "its first tile", MAX_TILE_BYTES)
    return data


def _metadata(path: Path, db: sqlite3.Connection) -> dict[str, str]:
    """The metadata table as name -> text; numbers are taken as their text, null as absent."""
    rows = db.execute(
        "SELECT typeof(name), substr(name, 1, 100), typeof(value), "
        "CASE WHEN length(CAST(value AS BLOB)) <= ? THEN value END FROM metadata LIMIT ?",
        (MAX_METADATA_BYTES, MAX_METADATA_ROWS + 1),
    ).fetchall()
    if len(rows) > MAX_METADATA_ROWS:
        raise ArchiveError(f"{path}: metadata has more than {MAX_METADATA_ROWS:,} rows")
    meta: dict[str, str] = {}
    for number, (name_type, name, value_type, value) in enumerate(rows, 1):
        if name_type != "text":
            raise ArchiveError(f"{path}: metadata row {number}: the name is {name_type}, not text")
        if name in meta:
            raise ArchiveError(f"{path}: metadata names {show(name)} twice")
        if value_type == "null":
            continue
        if value_type not in ("text", "integer", "real"):
            raise ArchiveError(f"{path}: metadata {show(name)} is a {value_type}, not text")
        if value is None:
            too_long = f"is over {MAX_METADATA_BYTES:,} bytes"
            raise ArchiveError(f"{path}: metadata {show(name)} {too_long}")
        meta[name] = str(value)
    return meta


def _tile_range(path: Path, db: sqlite3.Connection) -> tuple[Any, Any, int]:
    lo, hi, count, odd = db.execute(
        "SELECT MIN(zoom_level), MAX(zoom_level), COUNT(*), "
        "TOTAL(typeof(zoom_level) != 'integer') FROM tiles"
    ).fetchone()
    if not count:
        raise ArchiveError(f"{path}: the archive holds no tiles")
    if odd:
        raise ArchiveError(f"{path}: {int(odd):,} tiles have a zoom_level that is not a number")
    if count > MAX_TILES:
        raise ArchiveError(
            f"{path}: {count:,} tiles (briefmap converts at most {MAX_TILES:,}); make a smaller "
            "extract or convert it to PMTiles with the `pmtiles` tool"
        )
    return lo, hi, count


def _bounds(path: Path, meta: dict[str, str]) -> tuple[float, ...]:
    if "bounds" not in meta:
        return WORLD
    try:
        return tuple(float(v) for v in meta["bounds"].split(","))
    except ValueError:
        raise ArchiveError(
            f"{path}: metadata 'bounds' is {show(meta['bounds'])}; need west,south,east,north"
        ) from None


def _tile_id(path: Path, info: ArchiveInfo, row: tuple[Any, ...]) -> tuple[int, bytes]:
    """The PMTiles id and stored bytes of one tile row (TMS row flipped to XYZ), checked."""
    z, x, y, data = row
    where = f"tile {show(z)}/{show(x)}/{show(y)}"
    if not all(isinstance(v, int) for v in (z, x, y)):
        raise ArchiveError(f"{path}: {where}: zoom, column and row must be whole numbers")
    if not (info.min_zoom <= z <= min(info.max_zoom, MAX_ZOOM) and 0 <= x < 2**z and 0 <= y < 2**z):
        raise ArchiveError(f"{path}: {where}: column or row outside the zoom's grid")
    if not isinstance(data, bytes) or not data:
        raise ArchiveError(f"{path}: {where}: tile_data is {show(data)}, not tile bytes")
    if len(data) > MAX_TILE_BYTES:
        raise ArchiveError(f"{path}: {where}: {len(data):,} bytes (at most {MAX_TILE_BYTES:,})")
    return zxy_to_tileid(z, x, (1 << z) - 1 - y), data


def convert_mbtiles(info: ArchiveInfo, target: Path) -> None:
    """Write the checked MBTiles `info` as PMTiles at `target`; ArchiveError on a bad tile row
    or when reading runs past CONVERT_SECONDS (the caller removes a partial `target`)."""
    path = info.path
    with _database(path, CONVERT_SECONDS) as db, target.open("wb") as out:
        meta = _metadata(path, db)
        extra = metadata_object(path, meta.pop("json").encode()) if "json" in meta else {}
        writer = Writer(out)
        seen = 0
        last = -1
        rows = db.execute(
            "SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles "
            "ORDER BY zoom_level, tile_column, tile_row LIMIT ?",
            (MAX_TILES + 1,),
        )
        for row in rows:
            tile_id, data = _tile_id(path, info, row)
            seen += 1
            if seen > MAX_TILES:
                raise ArchiveError(f"{path}: more than {MAX_TILES:,} tiles")
            if tile_id == last:
                raise ArchiveError(f"{path}: tile {row[0]}/{row[1]}/{row[2]} appears twice")
            last = tile_id
            if compressed(data):  # every tile served is within the cap
                inflated_size(path, data, f"{row[0]}/{row[1]}/{row[2]}")
            if info.tile_format == "mvt" and data[:2] != GZIP_MAGIC:
                data = gzip.compress(data)
            writer.write_tile(tile_id, data)
        writer.finalize(_header(info), {**meta, **extra})


TILE_TYPES = {
    "mvt": TileType.MVT,
    "png": TileType.PNG,
    "jpeg": TileType.JPEG,
    "webp": TileType.WEBP,
}


def _header(info: ArchiveInfo) -> dict[str, Any]:
    west, south, east, north = info.bounds
    raster = info.tile_format != "mvt"
    return {
        "tile_type": TILE_TYPES[info.tile_format],
        "tile_compression": Compression.NONE if raster else Compression.GZIP,
        "min_lon_e7": int(west * 1e7),
        "min_lat_e7": int(south * 1e7),
        "max_lon_e7": int(east * 1e7),
        "max_lat_e7": int(north * 1e7),
        "center_zoom": info.min_zoom,
        "center_lon_e7": int((west + east) / 2 * 1e7),
        "center_lat_e7": int((south + north) / 2 * 1e7),
    }
