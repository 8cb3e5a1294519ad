"""One tile at a time out of a checked archive (PMTiles or MBTiles), for print: the raster
background of a snapshot (`layers.snapshot.raster`) and the labelled points of a vector one
(`layers.tiles.places`). Reads only archives `archive.inspect_archive` has accepted; a vector
tile is unpacked within the cap of `layers.tiles.bounds`."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pmtiles.reader import MmapSource, Reader

from layers.tiles.bounds import inflate

TileGet = Callable[[int, int, int], "bytes | None"]
SQLITE_MAGIC = b"SQLite format 3\x00"
GZIP_MAGIC = b"\x1f\x8b"


def is_mbtiles(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(16) == SQLITE_MAGIC


@contextmanager
def tile_reader(path: Path) -> Iterator[tuple[int, TileGet]]:
    """(the archive's deepest zoom, (z, x, y) -> the tile's bytes as stored, XYZ rows)."""
    if not is_mbtiles(path):
        with path.open("rb") as handle:
            reader = Reader(MmapSource(handle))
            yield reader.header()["max_zoom"], lambda z, x, y: reader.get(z, x, y) or None
        return
    db = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        query = "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?"

        def get(z: int, x: int, y: int) -> bytes | None:
            row = db.execute(query, (z, x, (1 << z) - 1 - y)).fetchone()
            return row[0] if row and isinstance(row[0], bytes) else None

        deepest = db.execute("SELECT MAX(zoom_level) FROM tiles").fetchone()[0]
        yield int(deepest or 0), get
    finally:
        db.close()


def vector_tile(path: Path, data: bytes, where: str = "a tile") -> bytes:
    """A stored vector tile's MVT bytes (gzip unpacked within the one tile cap of
    `layers.tiles.bounds`, never inflated past it)."""
    if data[:2] == GZIP_MAGIC:
        return inflate(path, data, where)
    return data
