"""Tile archives with one tile that unpacks far past the cap (a "zip bomb"), built in code for
tests/test_archive_bounds.py and bench/boundary.py: a PMTiles archive (the bomb at a chosen
zoom, reached through the root or a leaf directory) and an MBTiles database."""

from __future__ import annotations

import contextlib
import gzip
import sqlite3
import zlib
from pathlib import Path
from unittest import mock

from pmtiles import writer as pmtiles_writer
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer

from tests.archive_builders import GOOD_META, mbtiles

HEADER = {
    "tile_type": TileType.MVT,
    "tile_compression": Compression.GZIP,
    "min_lon_e7": 300_000_000,
    "min_lat_e7": 220_000_000,
    "max_lon_e7": 580_000_000,
    "max_lat_e7": 420_000_000,
}


def bomb(megabytes: int, wrapper: str = "gzip") -> bytes:
    """Compressed zeros: `megabytes` MB unpacked, about 1/1000 of that stored."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31 if wrapper == "gzip" else 15)
    chunk = bytes(1 << 20)
    return b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()


def bomb_pmtiles(
    path: Path, megabytes: int = 64, at: tuple[int, int, int] = (2, 2, 1), leaves: bool = False
) -> Path:
    """Tiles at zooms 0 to 2 and four at zoom 8; the tile `at` is the bomb. With `leaves`, the
    root directory holds only leaf directories of two entries each (the writer would keep so
    few tiles in the root)."""
    tiles = {(0, 0, 0), (1, 1, 0), (2, 2, 1), (8, 160, 100), (8, 161, 100), (8, 160, 101), at}
    with path.open("wb") as f, _leaves_of(2 if leaves else 0):
        writer = Writer(f)
        for z, x, y in sorted(tiles, key=lambda t: zxy_to_tileid(*t)):
            data = bomb(megabytes) if (z, x, y) == at else gzip.compress(f"{z}/{x}/{y}".encode())
            writer.write_tile(zxy_to_tileid(z, x, y), data)
        writer.finalize(HEADER, GOOD_META)
    return path


def _leaves_of(size: int):
    if not size:
        return contextlib.nullcontext()
    forced = lambda entries, _target: pmtiles_writer.build_roots_leaves(entries, size)  # noqa: E731
    return mock.patch.object(pmtiles_writer, "optimize_directories", forced)


def bomb_mbtiles(path: Path, megabytes: int = 64, wrapper: str = "gzip") -> Path:
    """The good MBTiles of tests/archive_builders.py with tile 2/1/1 a bomb."""
    mbtiles(path)
    with sqlite3.connect(path) as db:
        db.execute(
            "UPDATE tiles SET tile_data = ? WHERE zoom_level = 2 AND tile_column = 1 "
            "AND tile_row = 1",
            (bomb(megabytes, wrapper),),
        )
    return path
