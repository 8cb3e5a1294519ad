"""OpenMapTiles (the schema of MapTiler, tileserver-gl and planetiler's default profile),
drawn with briefmap's own colours and label rules: its layers and `class` values are mapped
onto the Protomaps v4 layers and kinds our style reads (here for print labels; in
`layers/assets/briefmap-schemas.js` for the browser, by the same table).

Names: `name:ar` for Arabic, `name:en`, `name_en` or `name:latin` for English, `name` as
the local name. Places: `class` country/state/city/town/village/hamlet/…; `capital` 2 is a
national capital, 3–4 a regional one; `rank` orders them (lower first)."""

from __future__ import annotations

from layers.tiles.schemas.definition import Evidence, Props, Schema, fits

LAYERS = frozenset(
    {
        "water",
        "waterway",
        "landcover",
        "landuse",
        "mountain_peak",
        "park",
        "boundary",
        "aeroway",
        "transportation",
        "building",
        "water_name",
        "transportation_name",
        "place",
        "housenumber",
        "poi",
        "aerodrome_label",
    }
)
DISTINCTIVE = frozenset(
    {
        "waterway",
        "transportation",
        "transportation_name",
        "place",
        "boundary",
        "water_name",
        "mountain_peak",
        "park",
        "aeroway",
        "building",
        "housenumber",
        "poi",
        "aerodrome_label",
    }
)
# the Leaflet zoom from which a place of each class is named (a capital from its country's)
PLACE_ZOOM = {"city": 4, "town": 7, "village": 9, "hamlet": 11}
LOCALITIES = frozenset({"city", "town", "village", "hamlet", "suburb", "neighbourhood"})
COUNTRY_ZOOM, CAPITAL_ZOOM, REGION_CAPITAL_ZOOM, OTHER_ZOOM = 2, 2, 5, 12
# `class` values onto the kinds our style paints (others are left undrawn)
ROADS = {
    "motorway": "highway",
    "trunk": "highway",
    "primary": "major_road",
    "secondary": "major_road",
    "tertiary": "minor_road",
    "minor": "minor_road",
    "service": "minor_road",
    "track": "minor_road",
}
LANDCOVER = {"wood": "wood", "forest": "forest", "grass": "grass", "park": "park"}
LANDUSE = {
    "residential": "residential",
    "industrial": "industrial",
    "commercial": "industrial",
    "retail": "industrial",
}


def recognise(e: Evidence) -> bool:
    return e.tile_format == "mvt" and fits(e.layers, LAYERS, DISTINCTIVE)


def names(props: Props) -> Props:
    english = props.get("name:en") or props.get("name_en") or props.get("name:latin")
    out: Props = {"name": props.get("name") or english or ""}
    if english:
        out["name:en"] = english
    if props.get("name:ar"):
        out["name:ar"] = props["name:ar"]
    return out


def place(props: Props) -> Props | None:
    cls = props.get("class")
    if cls == "country":
        return {**names(props), "kind": "country", "min_zoom": COUNTRY_ZOOM}
    if cls not in LOCALITIES:
        return None
    capital = props.get("capital")
    out = {**names(props), "kind": "locality", "min_zoom": PLACE_ZOOM.get(cls, OTHER_ZOOM)}
    if capital == 2:
        out.update(capital="yes", min_zoom=CAPITAL_ZOOM)
    elif capital in (3, 4):
        out.update(region_capital="yes", min_zoom=min(out["min_zoom"], REGION_CAPITAL_ZOOM))
    if isinstance(props.get("rank"), int):
        out["population"] = -props["rank"]  # orders places as population does ours
    return out


def point(layer: str, props: Props) -> tuple[str, Props] | None:
    if layer == "place":
        mapped = place(props)
        return ("places", mapped) if mapped else None
    if layer == "water_name":
        return "water", {**names(props), "kind": props.get("class") or "lake", "min_zoom": 5}
    return None


# the same tables for the browser's half of the mapping (layers/assets/briefmap-schemas.js)
BROWSER = {
    "place_zoom": PLACE_ZOOM,
    "localities": sorted(LOCALITIES),
    "zooms": {
        "country": COUNTRY_ZOOM,
        "capital": CAPITAL_ZOOM,
        "region_capital": REGION_CAPITAL_ZOOM,
        "other": OTHER_ZOOM,
    },
    "roads": ROADS,
    "landcover": LANDCOVER,
    "landuse": LANDUSE,
}

SCHEMA = Schema(
    name="openmaptiles",
    title="OpenMapTiles",
    raster=False,
    recognise=recognise,
    point=point,
    point_layers=("place", "water_name"),
    browser=BROWSER,
)
