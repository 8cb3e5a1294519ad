"""A user's PMTiles (v3) file read at the boundary, within bounds: the 127-byte header, every
section inside the file, gzip unpacked with an output cap, the metadata as a JSON object, and
the root directory (and its first leaf) decoded and checked to address tiles inside the tile
data at the header's zooms, so a file of garbage is refused rather than drawn as empty sea;
then the largest tiles of each zoom are unpacked within a cap (`layers.tiles.bounds`).

The `pmtiles` package reads our own archive; it is not used on a user's file before these
checks pass (it raises IndexError, EOFError or unbounded output on malformed input)."""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

from pmtiles.tile import Compression, TileType, deserialize_header, tileid_to_zxy

from layers.tiles.archive_meta import (
    MAX_METADATA_BYTES,
    ArchiveError,
    ArchiveInfo,
    metadata_object,
)
from layers.tiles.archive_schema import summary
from layers.tiles.bounds import inflate, sample_pmtiles

HEADER_BYTES = 127
ROOT_LIMIT = 16_384  # the spec: header and root directory lie in the first 16 KiB
MAX_DIRECTORY_BYTES = 2_000_000  # one directory, unpacked
MAX_LEAF_BYTES = 4_000_000  # one leaf directory as stored
MAX_STORED_METADATA = 4_000_000
READABLE = (Compression.NONE, Compression.GZIP)
TILE_FORMATS = {
    TileType.MVT: "mvt",
    TileType.PNG: "png",
    TileType.JPEG: "jpeg",
    TileType.WEBP: "webp",
}
MAX_SAMPLE_BYTES = 8_000_000  # the one tile read to tell the schema, stored and unpacked
SECTIONS = (
    ("root directory", "root_offset", "root_length"),
    ("metadata", "metadata_offset", "metadata_length"),
    ("leaf directories", "leaf_directory_offset", "leaf_directory_length"),
    ("tile data", "tile_data_offset", "tile_data_length"),
)


def read_pmtiles(path: Path) -> ArchiveInfo:
    size = path.stat().st_size
    with path.open("rb") as f:
        head = f.read(ROOT_LIMIT)
        header = _header(path, head[:HEADER_BYTES], size)
        root = head[header["root_offset"] : header["root_offset"] + header["root_length"]]
        entries = directory(path, header, root, "root directory")
        meta_raw = _section(f, header["metadata_offset"], header["metadata_length"])
        leaves = [e for e in entries if e[2] == 0]
        if leaves:  # the first leaf: addressed tiles are checked one level down too
            _tile, offset, _run, length = leaves[0]
            if length > MAX_LEAF_BYTES:
                raise ArchiveError(f"{path}: a leaf directory of {length:,} bytes is too large")
            leaf = _section(f, header["leaf_directory_offset"] + offset, length)
            entries_all = directory(path, header, leaf, "first leaf directory") + entries
        else:
            entries_all = entries
        sample = _first_tile(path, f, header, entries_all)
        compression = header["internal_compression"]
        raw = unpack(path, meta_raw, compression, "metadata", MAX_METADATA_BYTES)
        meta = metadata_object(path, raw)
        keys = ("min_lon_e7", "min_lat_e7", "max_lon_e7", "max_lat_e7")
        bounds = tuple(header[k] / 1e7 for k in keys)
        zooms = (header["min_zoom"], header["max_zoom"])
        kind = TILE_FORMATS[header["tile_type"]]
        info = summary(path, "pmtiles", zooms, bounds, meta, kind, sample)
        tiles = _tile_reader(f, header)
        sample_pmtiles(path, header, entries, _leaf_reader(path, f, header), tiles)
    return info


def _leaf_reader(path: Path, f: Any, header: dict[str, Any]):
    def read(offset: int, length: int) -> list:
        if length > MAX_LEAF_BYTES:
            raise ArchiveError(f"{path}: a leaf directory of {length:,} bytes is too large")
        leaf = _section(f, header["leaf_directory_offset"] + offset, length)
        return directory(path, header, leaf, "a leaf directory")

    return read


def _tile_reader(f: Any, header: dict[str, Any]):
    return lambda offset, length: _section(f, header["tile_data_offset"] + offset, length)


def _first_tile(path: Path, f: Any, header: dict[str, Any], entries: list) -> bytes | None:
    """The first tile a directory addresses, unpacked within MAX_SAMPLE_BYTES (the schema is
    told from it when the metadata lists no layers, and a raster tile must be its image)."""
    tiles = [e for e in entries if e[2] > 0]
    if not tiles:
        return None
    _tile, offset, _run, length = tiles[0]
    if length > MAX_SAMPLE_BYTES:
        raise ArchiveError(
            f"{path}: its first tile is {length:,} bytes (at most {MAX_SAMPLE_BYTES:,})"
        )
    raw = _section(f, header["tile_data_offset"] + offset, length)
    if header["tile_compression"] == Compression.GZIP:  # within the one tile cap, named
        z, x, y = tileid_to_zxy(_tile)
        return inflate(path, raw, f"{z}/{x}/{y}")
    return unpack(path, raw, header["tile_compression"], "its first tile", MAX_SAMPLE_BYTES)


def _section(f: Any, offset: int, length: int) -> bytes:
    f.seek(offset)
    return f.read(length)


def _header(path: Path, raw: bytes, size: int) -> dict[str, Any]:
    """The header, after the bytes the `pmtiles` parser would trip on are checked."""
    if len(raw) < HEADER_BYTES:
        raise ArchiveError(
            f"{path}: truncated: a PMTiles header is {HEADER_BYTES} bytes, the file has {len(raw)}"
        )
    if raw[7] != 3:
        raise ArchiveError(f"{path}: PMTiles version {raw[7]}; need version 3")
    for pos, enum, what in (
        (97, Compression, "metadata compression"),
        (98, Compression, "tile compression"),
        (99, TileType, "tile type"),
    ):
        try:
            enum(raw[pos])
        except ValueError:
            raise ArchiveError(f"{path}: unknown {what} (code {raw[pos]}) in the header") from None
    header = dict(deserialize_header(raw))
    if header["tile_type"] not in TILE_FORMATS:
        raise ArchiveError(
            f"{path}: tiles are {header['tile_type'].name}; briefmap draws vector (MVT) or "
            "PNG, JPEG and WEBP tiles"
        )
    for field in ("internal_compression", "tile_compression"):
        if header[field] not in READABLE:
            name = field.replace("internal", "metadata").replace("_", " ")
            raise ArchiveError(f"{path}: {name} {header[field].name}; need gzip or none")
    _check_sections(path, header, size)
    return header


def _check_sections(path: Path, header: dict[str, Any], size: int) -> None:
    for name, start, length in SECTIONS:
        end = header[start] + header[length]
        if end > size:
            raise ArchiveError(
                f"{path}: the header puts the {name} at bytes {header[start]:,} to {end:,}, past "
                f"the end of the file ({size:,} bytes): truncated, or not a PMTiles archive"
            )
    if not 0 < header["root_length"] or header["root_offset"] < HEADER_BYTES:
        raise ArchiveError(f"{path}: the header gives no root directory after the header")
    if header["root_offset"] + header["root_length"] > ROOT_LIMIT:
        raise ArchiveError(f"{path}: the root directory ends past the first {ROOT_LIMIT:,} bytes")
    if header["metadata_length"] > MAX_STORED_METADATA:
        raise ArchiveError(
            f"{path}: metadata is {header['metadata_length']:,} bytes (at most "
            f"{MAX_STORED_METADATA:,})"
        )
    if header["tile_data_length"] == 0:
        raise ArchiveError(f"{path}: the archive holds no tile data")


def unpack(path: Path, raw: bytes, compression: Compression, what: str, cap: int = 0) -> bytes:
    """Gzip-decompress `raw` into at most `cap` bytes (default MAX_DIRECTORY_BYTES): a small
    bomb is stopped at the cap, not unpacked to gigabytes."""
    cap = cap or MAX_DIRECTORY_BYTES
    if compression == Compression.NONE:
        return raw
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(raw, cap + 1)
    except zlib.error as exc:
        raise ArchiveError(f"{path}: {what} is not valid gzip data ({exc})") from None
    if len(out) > cap:
        raise ArchiveError(f"{path}: {what} unpacks to more than {cap:,} bytes")
    if not inflater.eof:
        raise ArchiveError(f"{path}: {what} is cut short (its gzip data ends early)")
    return out


def _varints(path: Path, data: bytes, what: str):
    """The unsigned varints of `data` in order; ArchiveError on one cut short or over 64 bits."""
    value = shift = 0
    for byte in data:
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            yield value
            value = shift = 0
        elif shift > 63:
            raise ArchiveError(f"{path}: {what} does not decode (a number over 64 bits)")
    if shift:
        raise ArchiveError(f"{path}: {what} does not decode (it ends inside a number)")


def _entries(path: Path, data: bytes, what: str) -> list[tuple[int, int, int, int]]:
    """(tile_id, offset, run_length, length) of each directory entry, as the spec lays them
    out: count, then tile-id deltas, run lengths, lengths and offsets, one column at a time."""
    numbers = list(_varints(path, data, what))
    count = numbers[0] if numbers else 0
    if count == 0 or len(numbers) != 1 + 4 * count:
        raise ArchiveError(
            f"{path}: {what} does not decode (it announces {count:,} entries in "
            f"{len(numbers):,} numbers)"
        )
    ids, runs = numbers[1 : 1 + count], numbers[1 + count : 1 + 2 * count]
    lengths, raw_offsets = numbers[1 + 2 * count : 1 + 3 * count], numbers[1 + 3 * count :]
    entries, tile_id, offset, length = [], 0, 0, 0
    for i in range(count):
        if i and ids[i] == 0:
            raise ArchiveError(f"{path}: {what} lists tile id {tile_id} twice")
        tile_id += ids[i]
        offset = offset + length if i and raw_offsets[i] == 0 else raw_offsets[i] - 1
        length = lengths[i]
        entries.append((tile_id, offset, runs[i], length))
    return entries


def _zoom(tile_id: int) -> int:
    return ((3 * tile_id + 1).bit_length() - 1) // 2


def directory(path: Path, header: dict[str, Any], raw: bytes, what: str) -> list:
    """The entries of one directory, each checked: tiles at the header's zooms lying in the
    tile data, leaves lying in the leaf directories."""
    data = unpack(path, raw, header["internal_compression"], what)
    entries = _entries(path, data, what)
    lo, hi = header["min_zoom"], header["max_zoom"]
    for tile_id, offset, run, length in entries:
        last = tile_id + max(run, 1) - 1
        if length == 0 or offset < 0:
            raise ArchiveError(f"{path}: {what} has an entry of no bytes (tile id {tile_id})")
        if _zoom(tile_id) < lo or _zoom(last) > hi:
            raise ArchiveError(
                f"{path}: {what} addresses tiles at zoom {_zoom(tile_id)} to {_zoom(last)}, "
                f"outside the header's zooms {lo} to {hi}"
            )
        section = "tile_data_length" if run else "leaf_directory_length"
        if offset + length > header[section]:
            where = "tile data" if run else "leaf directories"
            raise ArchiveError(
                f"{path}: {what} points past the end of the {where} (tile id {tile_id})"
            )
    return entries
