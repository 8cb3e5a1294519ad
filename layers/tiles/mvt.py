"""Read the point features of a Mapbox Vector Tile (MVT 2.1), in pure Python.

Enough of the format to take the labels out of a tile: layers by name, each feature's type,
its attributes (keys and values, dictionary-encoded per layer) and, for points, its
coordinates in tile units (0 … extent, the tile's buffer may go beyond). Lines and polygons
are skipped. The protobuf wire format is read directly (varints, length-delimited fields):
the schema is small and fixed (`vector_tile.proto`: Tile.layers = 3; Layer.name = 1,
features = 2, keys = 3, values = 4, extent = 5; Feature.id = 1, tags = 2, type = 3,
geometry = 4; Value: string 1, float 2, double 3, int 4, uint 5, sint 6, bool 7).

A malformed tile raises `TileError`; nothing here reads a file or the network.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from layers.errors import InputError

POINT = 1
VARINT, FIXED64, BYTES, FIXED32 = 0, 1, 2, 5
MOVE_TO = 1


class TileError(InputError, ValueError):
    """A tile that is not valid MVT."""


@dataclass(frozen=True)
class PointFeature:
    x: int  # tile units, 0 … extent
    y: int  # from the tile's top
    props: dict[str, Any]


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        if i >= len(buf):
            raise TileError("truncated varint")
        byte = buf[i]
        i += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, i
        shift += 7
        if shift > 63:
            raise TileError("varint longer than 64 bits")


def _fields(buf: bytes) -> Iterator[tuple[int, int, Any]]:
    """(field number, wire type, value): ints for varints, bytes for the rest."""
    i, end = 0, len(buf)
    while i < end:
        key, i = _varint(buf, i)
        number, wire = key >> 3, key & 7
        if wire == VARINT:
            value, i = _varint(buf, i)
        elif wire == BYTES:
            length, i = _varint(buf, i)
            if i + length > end:
                raise TileError("length-delimited field runs past its message")
            value, i = buf[i : i + length], i + length
        elif wire == FIXED64:
            value, i = buf[i : i + 8], i + 8
        elif wire == FIXED32:
            value, i = buf[i : i + 4], i + 4
        else:
            raise TileError(f"unsupported wire type {wire}")
        yield number, wire, value


def _packed(buf: bytes) -> list[int]:
    out, i = [], 0
    while i < len(buf):
        value, i = _varint(buf, i)
        out.append(value)
    return out


def _zigzag(n: int) -> int:
    return (n >> 1) ^ -(n & 1)


def _value(buf: bytes) -> Any:
    for number, _wire, raw in _fields(buf):
        if number == 1:
            return bytes(raw).decode("utf-8")
        if number == 2:
            return struct.unpack("<f", raw)[0]
        if number == 3:
            return struct.unpack("<d", raw)[0]
        if number == 4:
            return raw - (1 << 64) if raw >= 1 << 63 else raw
        if number == 5:
            return raw
        if number == 6:
            return _zigzag(raw)
        if number == 7:
            return bool(raw)
    return None


def _points(geometry: list[int]) -> list[tuple[int, int]]:
    """The MoveTo positions of a point geometry (cumulative, zigzag-encoded deltas)."""
    out, i, x, y = [], 0, 0, 0
    while i < len(geometry):
        command, count = geometry[i] & 7, geometry[i] >> 3
        i += 1
        if command != MOVE_TO:
            raise TileError(f"point geometry with command {command}")
        for _ in range(count):
            if i + 1 >= len(geometry):
                raise TileError("point geometry ends inside a position")
            x += _zigzag(geometry[i])
            y += _zigzag(geometry[i + 1])
            i += 2
            out.append((x, y))
    return out


def point_layer(tile: bytes, name: str) -> tuple[int, list[PointFeature]]:
    """The extent and the point features of layer `name` ((4096, []) if the tile has none)."""
    for number, wire, raw in _fields(tile):
        if number != 3 or wire != BYTES:
            continue
        parts = list(_fields(raw))
        if next((bytes(v).decode("utf-8") for n, _w, v in parts if n == 1), None) != name:
            continue
        keys = [bytes(v).decode("utf-8") for n, _w, v in parts if n == 3]
        values = [_value(v) for n, _w, v in parts if n == 4]
        extent = next((v for n, _w, v in parts if n == 5), 4096)
        features = []
        for n, _w, raw_feature in parts:
            if n == 2:
                features.extend(_point_feature(raw_feature, keys, values))
        return extent, features
    return 4096, []


def _point_feature(buf: bytes, keys: list[str], values: list[Any]) -> list[PointFeature]:
    kind, tags, geometry = 0, [], []
    for number, _wire, raw in _fields(buf):
        if number == 2:
            tags = _packed(raw)
        elif number == 3:
            kind = raw
        elif number == 4:
            geometry = _packed(raw)
    if kind != POINT:
        return []
    if len(tags) % 2:
        raise TileError("odd number of feature tags")
    try:
        props = {keys[tags[k]]: values[tags[k + 1]] for k in range(0, len(tags), 2)}
    except IndexError as exc:
        raise TileError("feature tag points past the layer's keys or values") from exc
    return [PointFeature(x, y, props) for x, y in _points(geometry)]


def layer_fields(tile: bytes) -> dict[str, frozenset[str]]:
    """Each layer's name and the attribute keys its features may carry (a schema's evidence
    when the archive's metadata lists no layers)."""
    out: dict[str, frozenset[str]] = {}
    for number, wire, raw in _fields(tile):
        if number != 3 or wire != BYTES:
            continue
        parts = list(_fields(raw))
        name = next((bytes(v).decode("utf-8") for n, _w, v in parts if n == 1), None)
        if name is None:
            raise TileError("layer without a name")
        out[name] = frozenset(bytes(v).decode("utf-8") for n, _w, v in parts if n == 3)
    return out
