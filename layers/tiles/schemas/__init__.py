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
What a schema is (`Schema`, `Evidence`, `fits`) is in `definition`, which the schema modules
import; this package imports them only when it is first asked for its list (`_registry`).
A new schema is one module here, listed in `_registry`, plus at most one mapping there.

May import: `layers.errors`, `layers.boundary.problems`. Nothing else.
"""

from __future__ import annotations

from pathlib import Path

from layers.boundary.problems import show
from layers.errors import InputError
from layers.tiles.schemas.definition import Evidence, PointMap, Props, Schema, fits

__all__ = ["Evidence", "PointMap", "Props", "Schema", "SchemaRefused", "by_name", "detect", "fits"]


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
