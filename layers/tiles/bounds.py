"""Archive tiles decompressed within a bound: a tile of a few hundred KB of gzip may unpack to
gigabytes (a "zip bomb"), which a reader that inflates it whole would try to hold in memory.

`inflated_size` streams a tile through zlib a chunk at a time (output discarded, never more
than CHUNK bytes held) and stops one byte past the cap; `inflate` returns the tile's bytes when
they fit. Every Python reader of a user's tiles goes through them (the print labels, the
offline page's embedded tiles, the MBTiles conversion), and at open `sample_*` checks, at each
zoom of the archive, its largest stored tiles: an archive with a tile over the cap is refused,
naming the tile (zoom/x/y) and the cap.

Deflate cannot expand data more than 1032 times (its longest match, 258 bytes, costs at least
two bits), so a stored tile of at most cap / MAX_RATIO bytes cannot pass the cap: those are not
unpacked to be checked.
"""

from __future__ import annotations

import sqlite3
import time
import zlib
from collections.abc import Callable
from pathlib import Path

from pmtiles.tile import Compression, tileid_to_zxy

from layers.tiles.archive_meta import ArchiveError

MAX_TILE_INFLATED = 16_000_000  # bytes of one unpacked tile (Protomaps' are well under 2 MB)
MAX_STORED_TILE = 8_000_000  # bytes of one tile as stored
MAX_RATIO = 1_100  # above deflate's own limit of 1032:1, so the shortcut above is safe
CHUNK = 1 << 20  # bytes of output held at a time while a tile is measured
SAMPLE_PER_ZOOM = 4  # the largest stored tiles of each zoom, checked at open
LEAF_SECONDS = 3.0  # CPU seconds for reading leaf directories at open
SAMPLE_SECONDS = 5.0  # CPU seconds for unpacking the sampled tiles
GZIP, ZLIB = b"\x1f\x8b", (b"\x78\x01", b"\x78\x5e", b"\x78\x9c", b"\x78\xda")


class TileTooLarge(ArchiveError):
    """A tile that unpacks past the cap; the message names the archive, the tile and the cap."""


def compressed(data: bytes) -> bool:
    """Whether stored tile bytes are gzip or zlib data (MBTiles tiles may be either, or none)."""
    return data[:2] == GZIP or data[:2] in ZLIB


def _too_large(path: Path, where: str, cap: int) -> TileTooLarge:
    return TileTooLarge(
        f"{path}: tile {where} unpacks to more than {cap:,} bytes (the cap for one tile): "
        "a damaged or hostile archive"
    )


def _inflater() -> zlib._Decompress:
    return zlib.decompressobj(32 + zlib.MAX_WBITS)  # gzip or zlib header, told by zlib


def inflated_size(path: Path, data: bytes, where: str, cap: int = MAX_TILE_INFLATED) -> int:
    """The unpacked size of gzip/zlib `data` (every gzip member), or TileTooLarge past `cap`,
    or ArchiveError when it is not valid compressed data. Holds at most CHUNK bytes."""
    if len(data) * MAX_RATIO <= cap:
        return 0  # cannot pass the cap (0: not measured)
    total, rest = 0, data
    while rest:
        inflater = _inflater()
        pending = rest
        while pending and not inflater.eof:
            try:
                out = inflater.decompress(pending, CHUNK)
            except zlib.error as exc:
                raise ArchiveError(f"{path}: tile {where} is not valid gzip data ({exc})") from None
            total += len(out)
            if total > cap:
                raise _too_large(path, where, cap)
            pending = inflater.unconsumed_tail
        if not inflater.eof:
            raise ArchiveError(f"{path}: tile {where} is cut short (its gzip data ends early)")
        rest = inflater.unused_data if inflater.unused_data[:2] == GZIP else b""
    return total


def inflate(path: Path, data: bytes, where: str, cap: int = MAX_TILE_INFLATED) -> bytes:
    """The tile unpacked (gzip, every member), or TileTooLarge: never more than cap + 1 bytes
    of output are made."""
    out: list[bytes] = []
    size, rest = 0, data
    while rest:
        inflater = _inflater()
        try:
            piece = inflater.decompress(rest, cap + 1 - size)
        except zlib.error as exc:
            raise ArchiveError(f"{path}: tile {where} is not valid gzip data ({exc})") from None
        size += len(piece)
        if size > cap or (not inflater.eof and inflater.unconsumed_tail):
            raise _too_large(path, where, cap)
        if not inflater.eof:
            raise ArchiveError(f"{path}: tile {where} is cut short (its gzip data ends early)")
        out.append(piece)
        rest = inflater.unused_data if inflater.unused_data[:2] == GZIP else b""
    return b"".join(out)


def _zoom_of(tile_id: int) -> int:
    return ((3 * tile_id + 1).bit_length() - 1) // 2


def _first_id(z: int) -> int:
    return ((1 << (2 * z)) - 1) // 3


class Sample:
    """Tiles checked at open within a CPU-time budget: past it the remaining zooms are left to
    the readers' own caps (a large valid archive must not be refused for being large)."""

    def __init__(self, path: Path):
        self.path = path
        self.deadline = time.thread_time() + SAMPLE_SECONDS
        self.zooms: list[int] = []  # the zooms whose tiles were checked

    @property
    def spent(self) -> bool:
        return time.thread_time() > self.deadline

    def check(self, where: str, length: int, read: Callable[[], bytes]) -> None:
        """Refuse a tile over MAX_STORED_TILE as stored (before reading it) or over the cap
        unpacked."""
        if length > MAX_STORED_TILE:
            raise ArchiveError(
                f"{self.path}: tile {where} is {length:,} bytes as stored (at most "
                f"{MAX_STORED_TILE:,})"
            )
        inflated_size(self.path, read(), where)


def sample_pmtiles(
    path: Path,
    header: dict,
    root: list[tuple[int, int, int, int]],
    read_leaf: Callable[[int, int], list],
    read_tile: Callable[[int, int], bytes],
) -> Sample:
    """Check the SAMPLE_PER_ZOOM largest tiles of each zoom the directories reach: the root,
    a leaf directory for each zoom the root does not reach, then the other leaves while
    LEAF_SECONDS of CPU last (all of them, for an archive of a few thousand tiles). Refused
    when one unpacks past the cap."""
    sample = Sample(path)
    if header["tile_compression"] != Compression.GZIP:
        return sample  # tiles are drawn as stored: nothing is unpacked
    tiles: dict[int, list] = {}
    leaves = _add(tiles, root)
    zooms = range(header["min_zoom"], header["max_zoom"] + 1)
    first = [_leaf_for(leaves, z) for z in zooms if z not in tiles]
    rest = [(offset, length) for _id, offset, length, _after in leaves]
    read: set[tuple[int, int]] = set()
    deadline = time.thread_time() + LEAF_SECONDS
    for leaf in [*first, *rest]:
        if leaf is None or leaf in read:
            continue
        if time.thread_time() > deadline:
            break
        read.add(leaf)
        _add(tiles, read_leaf(*leaf))
    for z in zooms:
        if sample.spent:
            break
        for tile_id, length, offset in largest(tiles.get(z, ())):
            z_, x, y = tileid_to_zxy(tile_id)
            sample.check(f"{z_}/{x}/{y}", length, lambda o=offset, n=length: read_tile(o, n))
        sample.zooms.append(z)
    return sample


def _add(tiles: dict[int, list], entries: list) -> list[tuple[int, int, int, int]]:
    """File the tile entries of a directory by zoom; its leaf entries as (first id, offset,
    length, next id) are returned."""
    leaves = []
    for n, (tile_id, offset, run, length) in enumerate(entries):
        if run:
            tiles.setdefault(_zoom_of(tile_id), []).append((tile_id, length, offset))
        else:
            after = entries[n + 1][0] if n + 1 < len(entries) else 1 << 64
            leaves.append((tile_id, offset, length, after))
    return leaves


def _leaf_for(leaves: list, z: int) -> tuple[int, int] | None:
    """(offset, length) of the first leaf directory holding tiles of zoom `z`."""
    lo, hi = _first_id(z), _first_id(z + 1)
    for first, offset, length, after in leaves:
        if first < hi and after > lo:
            return offset, length
    return None


def largest(tiles) -> list:
    """The SAMPLE_PER_ZOOM entries (tile id, stored length, offset) of most stored bytes."""
    return sorted(tiles, key=lambda t: -t[1])[:SAMPLE_PER_ZOOM]


def sample_mbtiles(path: Path, db: sqlite3.Connection, lo: int, hi: int) -> Sample:
    """Check the SAMPLE_PER_ZOOM largest stored tiles of each zoom from `lo` to `hi` of an
    MBTiles database (tiles that are not gzip or zlib data are drawn as stored). A query
    still running when the sample's CPU budget is spent is interrupted, and the sample ends
    there: a large valid archive is not refused for being large."""
    sample = Sample(path)
    db.set_progress_handler(lambda: int(sample.spent), 10_000)
    for z in range(lo, hi + 1):
        if sample.spent:
            break
        try:
            rows = db.execute(
                "SELECT tile_column, tile_row, tile_data FROM tiles WHERE zoom_level = ? "
                "ORDER BY length(tile_data) DESC LIMIT ?",
                (z, SAMPLE_PER_ZOOM),
            ).fetchall()
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                break
            raise
        for x, y, data in rows:
            if isinstance(data, bytes) and compressed(data):
                sample.check(f"{z}/{x}/{y}", len(data), lambda d=data: d)
        sample.zooms.append(z)
    return sample
