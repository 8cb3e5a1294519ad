"""Protomaps basemap schema v4: what briefmap builds and ships (`layers.tiles.build`), and
Protomaps' own extracts since 2024. Features carry `kind`, `kind_detail`, `min_zoom`; the
style in `layers/assets/briefmap-basemap.js` is written for this schema, so no mapping."""

from __future__ import annotations

from layers.tiles.schemas.definition import Evidence, Props, Schema, fits

LAYERS = frozenset(
    {
        "earth",
        "water",
        "landuse",
        "landcover",
        "roads",
        "transit",
        "boundaries",
        "places",
        "pois",
        "buildings",
    }
)
DISTINCTIVE = frozenset({"earth", "roads", "places", "boundaries", "pois", "buildings", "transit"})


def recognise(e: Evidence) -> bool:
    return e.tile_format == "mvt" and fits(e.layers, LAYERS, DISTINCTIVE)


def point(layer: str, props: Props) -> tuple[str, Props] | None:
    return (layer, props) if layer in ("places", "water") else None


SCHEMA = Schema(
    name="protomaps-v4",
    title="Protomaps v4",
    raster=False,
    recognise=recognise,
    point=point,
    point_layers=("places", "water"),
)
