"""What a tile schema is (`Schema`), what an archive tells about itself (`Evidence`), and the
rule of thumb the vector schemas recognise themselves by (`fits`). The schema modules of
`layers.tiles.schemas` import this, never the package, so the package may list them.

May import: nothing of briefmap."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

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
