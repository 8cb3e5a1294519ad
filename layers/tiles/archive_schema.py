"""Which schema a checked archive is in (`layers.tiles.schemas`), from the evidence the
boundary readers gather: the tile type their header or `format` row declares, the declared
`vector_layers` and their fields, and one tile of the archive (its first), already
decompressed within a bound by the reader. A raster archive's tile must be the image its
type says; a vector archive that lists no layers is judged by the layers of that tile.
`summary` puts the checked metadata and the schema together into an `ArchiveInfo`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from layers.boundary.problems import show
from layers.tiles.archive_meta import (
    ArchiveError,
    ArchiveInfo,
    attribution,
    checked_bounds,
    zoom_range,
)
from layers.tiles.mvt import TileError, layer_fields
from layers.tiles.schemas import Evidence, Schema, SchemaRefused, detect
from layers.tiles.schemas.raster import FORMATS, sniff

GZIP_MAGIC = b"\x1f\x8b"


def declared_layers(path: Path, meta: dict[str, Any]) -> tuple[tuple[str, ...], frozenset[str]]:
    """The `vector_layers` ids and every field name they declare; refused unless a list of
    {"id": text} (absent: none declared)."""
    raw = meta.get("vector_layers", [])
    if not isinstance(raw, list) or not all(
        isinstance(v, dict) and isinstance(v.get("id"), str) for v in raw
    ):
        raise ArchiveError(
            f"{path}: metadata 'vector_layers' is {show(raw)}; need a list of objects each "
            "with an 'id' text"
        )
    fields: set[str] = set()
    for v in raw:
        if isinstance(v.get("fields"), dict):
            fields.update(str(k) for k in v["fields"])
    return tuple(v["id"] for v in raw), frozenset(fields)


def sampled_format(sample: bytes | None) -> str | None:
    """What a tile's bytes are when the archive does not say: an image format, or mvt."""
    if not sample:
        return None
    return sniff(sample) or "mvt"


def identify(
    path: Path, tile_format: str, meta: dict[str, Any], sample: bytes | None
) -> tuple[Schema, tuple[str, ...]]:
    """The schema of the archive and its layers; ArchiveError naming what does not fit."""
    layers, fields = declared_layers(path, meta)
    if tile_format in FORMATS:
        found = sniff(sample or b"")
        if sample is not None and found != tile_format:
            raise ArchiveError(
                f"{path}: the archive says its tiles are {tile_format.upper()}, but its first "
                f"tile is {found.upper() if found else 'not an image'}"
            )
    elif sample and sniff(sample):
        raise ArchiveError(
            f"{path}: the archive says its tiles are vector (MVT), but its first tile is a "
            f"{sniff(sample).upper()} image (set its format to {sniff(sample)!r})"
        )
    elif not layers and sample:
        try:
            tile = layer_fields(sample)
        except (TileError, UnicodeDecodeError):
            raise ArchiveError(
                f"{path}: its metadata lists no vector layers and its first tile is not a "
                "vector tile (MVT)"
            ) from None
        layers = tuple(tile)
        fields = frozenset().union(*tile.values()) if tile else frozenset()
    try:
        schema = detect(path, Evidence(tile_format, layers, fields, meta))
    except SchemaRefused as exc:
        raise ArchiveError(str(exc)) from None
    return schema, layers


def summary(
    path: Path,
    kind: str,
    zooms: tuple[Any, Any],
    bounds: tuple[float, ...],
    meta: dict,
    tile_format: str = "mvt",
    sample: bytes | None = None,
) -> ArchiveInfo:
    """The checked summary of an archive, or ArchiveError naming the first problem. The
    schema is read from the metadata, the tile type and one `sample` tile (decompressed):
    `identify` above."""
    lo, hi = zoom_range(path, *zooms)
    box = checked_bounds(path, bounds)
    schema, layers = identify(path, tile_format, meta, sample)
    credit = attribution(path, meta)
    return ArchiveInfo(path, kind, lo, hi, box, layers, credit, schema.name, tile_format)
