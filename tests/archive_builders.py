"""Small PMTiles and MBTiles archives built in code, and hostile variants of them: header
bytes changed, metadata replaced (gzip bombs, wrong JSON), directories of garbage, SQLite files
with wrong types, NULL tiles and recursive views."""

from __future__ import annotations

import gzip
import json
import sqlite3
import zlib
from pathlib import Path

from pmtiles.tile import (
    Compression,
    Entry,
    TileType,
    deserialize_header,
    serialize_directory,
    serialize_header,
    zxy_to_tileid,
)
from pmtiles.writer import Writer

GOOD_META = {
    "name": "fixture",
    "vector_layers": [{"id": "earth"}, {"id": "roads"}],
    "attribution": '<a href="https://www.openstreetmap.org/copyright">© OpenStreetMap</a>',
}
TILES = [(0, 0, 0), (1, 1, 0), (2, 2, 1)]


def good_pmtiles(path: Path, meta: dict | None = None) -> Path:
    with path.open("wb") as f:
        writer = Writer(f)
        for z, x, y in TILES:
            writer.write_tile(zxy_to_tileid(z, x, y), gzip.compress(f"tile {z}".encode()))
        header = {
            "tile_type": TileType.MVT,
            "tile_compression": Compression.GZIP,
            "min_lon_e7": 300_000_000,
            "min_lat_e7": 220_000_000,
            "max_lon_e7": 580_000_000,
            "max_lat_e7": 420_000_000,
        }
        writer.finalize(header, GOOD_META if meta is None else meta)
    return path


def _raw(tmp: Path) -> bytes:
    return good_pmtiles(tmp / "base.pmtiles").read_bytes()


def with_header(raw: bytes, **changes) -> bytes:
    header = dict(deserialize_header(raw[:127]))
    header.update(changes)
    return serialize_header(header) + raw[127:]


def with_byte(raw: bytes, offset: int, value: int) -> bytes:
    return raw[:offset] + bytes([value]) + raw[offset + 1 :]


def with_metadata(raw: bytes, blob: bytes, compression=Compression.GZIP) -> bytes:
    """The archive with its metadata section replaced by `blob` (appended at the end)."""
    return with_header(
        raw + blob,
        metadata_offset=len(raw),
        metadata_length=len(blob),
        internal_compression=compression,
    )


def gzip_bomb(megabytes: int = 1024) -> bytes:
    """About 1 MB of gzip that unpacks to `megabytes` MB of zeros."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"0" * (1 << 20)
    return b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()


def with_root(raw: bytes, entries: list[Entry] | bytes) -> bytes:
    """The archive with its root directory replaced (written after the header)."""
    blob = entries if isinstance(entries, bytes) else serialize_directory(entries)
    header = dict(deserialize_header(raw[:127]))
    rest = raw[header["root_offset"] + header["root_length"] :]
    shift = len(blob) - header["root_length"]
    moved = {
        key: header[key] + shift
        for key in ("metadata_offset", "leaf_directory_offset", "tile_data_offset")
    }
    return with_header(raw[:127] + blob + rest, root_length=len(blob), **moved)


def pmtiles_cases(tmp: Path) -> dict[str, bytes]:
    raw = _raw(tmp)
    meta = lambda obj: with_metadata(raw, gzip.compress(json.dumps(obj).encode()))  # noqa: E731
    zoom9 = zxy_to_tileid(9, 0, 0)
    return {
        "magic-only": b"PMTiles",
        "header-cut-short": b"PMTiles\x03" + b"\x00" * 10,
        "version-2": with_byte(raw, 7, 2),
        "file-cut-short": raw[:140],
        "tile-type-unknown": with_byte(raw, 99, 200),
        "tile-type-png": with_byte(raw, 99, TileType.PNG.value),
        "metadata-compression-unknown": with_byte(raw, 97, 9),
        "tile-compression-unknown": with_byte(raw, 98, 9),
        "tile-compression-brotli": with_byte(raw, 98, Compression.BROTLI.value),
        "zooms-inverted": with_header(raw, min_zoom=255, max_zoom=0),
        "max-zoom-255": with_header(raw, max_zoom=255),
        "bounds-int32-extremes": with_header(
            raw, min_lon_e7=-(2**31), min_lat_e7=-(2**31), max_lon_e7=2**31 - 1
        ),
        "bounds-inverted": with_header(raw, min_lon_e7=500_000_000, max_lon_e7=300_000_000),
        "metadata-past-end": with_header(raw, metadata_offset=2**62, metadata_length=100),
        "metadata-length-2^63": with_header(raw, metadata_length=2**63),
        "metadata-not-gzip": with_metadata(raw, b"{}"[:2] + b"  not gzip"),
        "metadata-gzip-cut-short": with_metadata(raw, gzip.compress(b'{"a": 1}' * 100)[:-12]),
        "metadata-list": meta([1, 2]),
        "metadata-null": meta(None),
        "metadata-string": meta("x"),
        "metadata-not-utf8": with_metadata(raw, gzip.compress(b'{"a": "\xff"}')),
        "metadata-deep": with_metadata(raw, gzip.compress(b"[" * 100_000 + b"]" * 100_000)),
        "metadata-nan": with_metadata(raw, gzip.compress(b'{"a": NaN}')),
        "metadata-gzip-bomb": with_metadata(raw, gzip_bomb()),
        "vector-layers-number": meta({"vector_layers": 5}),
        "vector-layers-text": meta({"vector_layers": "earth"}),
        "vector-layers-foreign": meta(
            {"vector_layers": [{"id": n} for n in ("water", "contours", "hillshade", "trails")]}
        ),
        "attribution-object": meta({**GOOD_META, "attribution": {"a": [1]}}),
        "attribution-huge": meta({**GOOD_META, "attribution": "A" * 100_000}),
        "root-is-the-header": with_header(raw, root_offset=0, root_length=127),
        "root-past-16k": with_header(raw, root_length=2**40),
        "root-garbage-gzip": with_root(raw, gzip.compress(bytes(range(256)) * 8)),
        "root-garbage-plain": with_root(raw, b"\xff" * 40),
        "root-zoom-outside": with_root(raw, [Entry(zoom9, 0, 10, 1)]),
        "root-past-tile-data": with_root(raw, [Entry(0, 10_000, 10, 1)]),
        "root-leaf-past-end": with_root(raw, [Entry(0, 0, 500, 0)]),
        "no-tile-data": with_header(raw, tile_data_length=0),
        "not-an-archive": b"hello world" * 10,
        "empty-file": b"",
    }


FOREVER = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)"
METADATA_VIEWS = {
    "metadata-recursive-view": f"{FOREVER} SELECT 'k' || x AS name, 'v' AS value FROM c",
    "metadata-view-never-answers": f"{FOREVER} SELECT 'format', x FROM c WHERE x < 0",
    "metadata-giant-value-view": "SELECT 'format' AS name, hex(zeroblob(400000000)) AS value",
}
TILES_VIEW = (
    f"{FOREVER} SELECT 1 AS zoom_level, 0 AS tile_column, 0 AS tile_row, x'00' AS tile_data FROM c"
)


def mbtiles(path: Path, name: str = "good") -> Path:
    """An MBTiles file, or the hostile variant `name` (see MBTILES_CASES in the tests)."""
    db = sqlite3.connect(path)
    if name == "no-tables":
        db.execute("CREATE TABLE x (a)")
    elif name in METADATA_VIEWS:
        db.execute(f"CREATE VIEW metadata (name, value) AS {METADATA_VIEWS[name]}")
    else:
        db.execute("CREATE TABLE metadata (name, value)")
        db.executemany("INSERT INTO metadata VALUES (?, ?)", _metadata(name).items())
        if name == "many-metadata-rows":
            rows = [(f"k{i}",) for i in range(1100)]
            db.executemany("INSERT INTO metadata VALUES (?, 'v')", rows)
        if name == "metadata-name-number":
            db.execute("INSERT INTO metadata VALUES (5, 'x')")
    if name == "tiles-recursive-view":
        db.execute(f"CREATE VIEW tiles AS {TILES_VIEW}")
    elif name != "no-tables":
        db.execute("CREATE TABLE tiles (zoom_level, tile_column, tile_row, tile_data)")
        db.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)", _tiles(name))
    db.commit()
    db.close()
    return path


def _metadata(name: str) -> dict:
    meta = {
        "name": "fixture",
        "format": "pbf",
        "minzoom": "0",
        "maxzoom": "2",
        "bounds": "30,22,58,42",
        "attribution": "© OpenStreetMap",
        "json": json.dumps({"vector_layers": [{"id": "earth"}, {"id": "water"}]}),
    }
    changes = {
        "no-minzoom": {"minzoom": None, "maxzoom": None},
        "no-format": {"format": None},
        "minzoom-text": {"minzoom": "abc"},
        "bounds-number": {"bounds": 5},
        "bounds-nan": {"bounds": "nan,nan,nan,nan"},
        "bounds-three": {"bounds": "1,2,3"},
        "bounds-text": {"bounds": "a,b,c,d"},
        "json-null": {"json": "null"},
        "json-list": {"json": "[1]"},
        "json-deep": {"json": "[" * 50_000 + "]" * 50_000},
        "json-layers-number": {"json": '{"vector_layers": 5}'},
        "format-png": {"format": "png"},
        "format-unknown": {"format": "grib"},
        "format-blob": {"format": b"pbf"},
        "value-too-long": {"attribution": "A" * 5_000_000},
        "center-bad": {"center": "a,b,c"},
    }.get(name, {})
    meta.update(changes)
    return {k: v for k, v in meta.items() if v is not None}


def _tiles(name: str) -> list[tuple]:
    tile = gzip.compress(b"tile")
    rows = [(0, 0, 0, tile), (1, 0, 0, tile), (2, 1, 1, gzip.compress(b"other"))]
    return {
        "zoom-text": [("a", 0, 0, tile)],
        "zoom-40": [(40, 0, 0, tile)],
        "tile-null": [(0, 0, 0, None)],
        "tile-null-later": [*rows, (2, 3, 3, None)],
        "column-out-of-range": [(1, 5, 0, tile)],
        "row-negative": [(1, 0, -1, tile)],
        "column-text": [(1, "x", 0, tile)],
        "duplicate-tiles": rows + rows,
        "no-tiles": [],
    }.get(name, rows)
