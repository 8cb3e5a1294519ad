"""Protomaps basemap schema v3 (extracts made before 2024): the same idea as v4 with
`pmap:`-prefixed attributes (`pmap:kind`, `pmap:kind_detail`, `pmap:min_zoom`,
`pmap:min_admin_level`) and a few other layers (`natural`, `physical_point`,
`physical_line`). Recognised by those fields or layers; read as v4 by renaming them."""

from __future__ import annotations

from layers.tiles.schemas.definition import Evidence, Props, Schema, fits

LAYERS = frozenset(
    {
        "earth",
        "water",
        "landuse",
        "natural",
        "roads",
        "transit",
        "boundaries",
        "places",
        "pois",
        "buildings",
        "physical_point",
        "physical_line",
    }
)
DISTINCTIVE = frozenset(
    {
        "earth",
        "roads",
        "places",
        "boundaries",
        "pois",
        "buildings",
        "transit",
        "natural",
        "physical_point",
        "physical_line",
    }
)
ONLY_V3 = frozenset({"natural", "physical_point", "physical_line"})
RENAMED = {"pmap:kind": "kind", "pmap:kind_detail": "kind_detail", "pmap:min_zoom": "min_zoom"}
ROADS = {"medium_road": "major_road"}  # v3's middle class; v4 folds it into major roads
WATER_POINTS = ("ocean", "sea", "lake", "bay", "strait", "water")  # physical_point kept


def recognise(e: Evidence) -> bool:
    if e.tile_format != "mvt" or not fits(e.layers, LAYERS, DISTINCTIVE):
        return False
    pmap = any(f.startswith("pmap:") for f in e.fields) or any(
        str(k).startswith("pmap:") for k in e.meta
    )
    return pmap or bool(set(e.layers) & ONLY_V3)


def as_v4(props: Props) -> Props:
    """The attributes under their v4 names (a v4 name already present is kept)."""
    out = dict(props)
    for old, new in RENAMED.items():
        if old in props and new not in props:
            out[new] = props[old]
    return out


def point(layer: str, props: Props) -> tuple[str, Props] | None:
    if layer == "places":
        return "places", as_v4(props)
    if layer == "water" or (layer == "physical_point" and props.get("pmap:kind") in WATER_POINTS):
        return "water", as_v4(props)
    return None


SCHEMA = Schema(
    name="protomaps-v3",
    title="Protomaps v3",
    raster=False,
    recognise=recognise,
    point=point,
    point_layers=("places", "water", "physical_point"),
    browser={"renamed": RENAMED, "roads": ROADS, "water_points": list(WATER_POINTS)},
)
