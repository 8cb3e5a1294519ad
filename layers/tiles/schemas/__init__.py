"""The tile schemas briefmap draws, one module each, and the detection that picks one.

An archive's schema is read from what it declares about itself — the tile type, the
`vector_layers` list (PMTiles metadata, MBTiles `json`), their field names, `pmap:` keys —
and, only when it declares no layers, from the layer names of one of its tiles. It is never
taken from one layer name two schemas share (`water` is in Protomaps and OpenMapTiles alike).

Each schema module (`protomaps_v4`, `protomaps_v3`, `openmaptiles`, `raster`) holds a
`SCHEMA`: its name and title, how it is recognised, and how its labelled points map onto the
layers and attributes briefmap's one style reads (the Protomaps v4 ones: `places` with
`kind`, `name`, `name:en`, `name:ar`, `min_zoom`, `capital`; `water` points). The browser's
half of each mapping is in `layers/assets/briefmap-schemas.js`, keyed by the same name.
A new schema is one module here, listed in SCHEMAS, plus at most one mapping there.

May import: `layers.tiles.archive_meta` (the error), `layers.boundary.problems`. Nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from layers.boundary.problems import show
from layers.errors import InputError

Props = dict[str, Any]
PointMap = Callable[[str, Props], "tuple[str, Props] | None"]


@dataclass(frozen=True)
class Evidence:
    """What an archive says about itself, gathered at the boundary."""

    tile_format: str  # mvt | png | jpeg | webp
    layers: tuple[str, ...]  # declared vector layers, else the sampled tile's
    fields: frozenset[str] = frozenset()  # every field name the layers declare or carry
    meta: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Schema:
    name: str  # the key the browser's mapping is found by
    title: str  # as a person names it, in messages and the README
    raster: bool
    recognise: Callable[[Evidence], bool]
    # a labelled point of a source layer → (our layer "places" | "water", our attributes)
    point: PointMap = lambda layer, props: None
    point_layers: tuple[str, ...] = ()  # the source layers `point` reads
    # the tables the browser's mapping reads (briefmap-schemas.js), so both halves agree
    browser: Mapping[str, Any] = field(default_factory=dict)


def fits(layers: tuple[str, ...], own: frozenset[str], distinctive: frozenset[str]) -> bool:
    """True when the archive's layers are mostly this schema's and include one only it has:
    a layer name two schemas share (water, landuse, landcover) never decides alone."""
    shared = set(layers) & own
    foreign = set(layers) - own
    return bool(shared & distinctive) and len(foreign) <= len(shared)


def _registry() -> tuple[Schema, ...]:
    from layers.tiles.schemas import openmaptiles, protomaps_v3, protomaps_v4, raster

    # v3 before v4: they share layer names, and v3 is told apart by its `pmap:` fields
    return (raster.SCHEMA, protomaps_v3.SCHEMA, protomaps_v4.SCHEMA, openmaptiles.SCHEMA)


def schemas() -> tuple[Schema, ...]:
    return _registry()


def by_name(name: str) -> Schema:
    for schema in _registry():
        if schema.name == name:
            return schema
    raise KeyError(name)


class SchemaRefused(InputError, ValueError):
    """No schema briefmap draws fits the archive; the message names its layers."""


def detect(path: Path, evidence: Evidence) -> Schema:
    for schema in _registry():
        if schema.recognise(evidence):
            return schema
    titles = ", ".join(s.title for s in sorted(_registry(), key=lambda s: s.raster))
    if evidence.layers:
        named = ", ".join(show(n) for n in evidence.layers[:12])
        more = f" and {len(evidence.layers) - 12} more" if len(evidence.layers) > 12 else ""
        what = f"its vector layers ({named}{more})"
    else:
        what = "it names no vector layers (none in its metadata or its first tile)"
    raise SchemaRefused(
        f"{path}: {what} fit no schema briefmap draws ({titles}); a layer name two schemas "
        "share, such as 'water', is not enough"
    )
