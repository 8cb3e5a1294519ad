"""Feature files: RFC 7946 GeoJSON FeatureCollections in lon/lat, with the export contract."""

from __future__ import annotations

import re
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from layers.boundary.claims import Known, optional_text, read_claim
from layers.boundary.problems import Fields, ProblemLog, show
from layers.contract import CONTRACT_FIELDS, OPTIONAL_FIELDS
from layers.locations import GrammarError
from layers.locations import parse as parse_coord_source
from layers.model import FEATURE_KINDS, LINE_KINDS, Feature, Precision

AREA_KINDS = frozenset({"area", "corridor", "region", "governorate", "country"})
POINT_KINDS = frozenset({"place", "capital", "camp", "crossing", "facility"})
PIPELINE_STATUS = frozenset(
    {"operating", "idle", "damaged", "proposed-rehabilitation", "planned", "hypothetical"}
)
GEOMETRY_TYPES = frozenset(
    {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
)

# A feature may carry exactly the export contract's properties (layers.contract).
PROPERTIES = frozenset((*CONTRACT_FIELDS, *OPTIONAL_FIELDS))


def read_feature_collection(
    data: Any, file: str, known: Known, log: ProblemLog, aoi: tuple[float, float, float, float]
) -> list[Feature]:
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        log.add(file, "", "type", "expected a GeoJSON FeatureCollection")
        return []
    if "crs" in data:
        log.add(
            file, "", "crs", "RFC 7946 GeoJSON has no 'crs' member: coordinates are WGS84 lon/lat"
        )
    entries = data.get("features")
    if not isinstance(entries, list):
        log.add(file, "", "features", "expected a list of features")
        return []
    out = []
    for i, entry in enumerate(entries):
        feature = read_feature(entry, i, file, known, log, aoi)
        if feature is not None:
            out.append(feature)
    return out


def feature_item(index: int, entry: Any) -> str:
    props = entry.get("properties") if isinstance(entry, dict) else None
    ident = props.get("id") if isinstance(props, dict) else None
    return f"features[{index}]" + (f" (id {show(ident)})" if isinstance(ident, str) else "")


def read_feature(
    entry: Any,
    index: int,
    file: str,
    known: Known,
    log: ProblemLog,
    aoi: tuple[float, float, float, float],
) -> Feature | None:
    item = feature_item(index, entry)
    if not isinstance(entry, dict) or entry.get("type") != "Feature":
        log.add(file, item, "type", "expected a GeoJSON Feature")
        return None
    props = entry.get("properties")
    if not isinstance(props, dict):
        log.add(file, item, "properties", "expected an object")
        return None
    f = log.at(file, item, props)
    f.unknown(PROPERTIES)
    ident, layer, kind = f.ident("id"), f.text("layer"), f.choice("kind", FEATURE_KINDS)
    if layer is not None and layer not in known.layers:
        f.problem("layer", f"unknown layer {show(layer)} (see layers.json)")
    geometry = _geometry(entry.get("geometry"), f, kind, aoi)
    claim = read_claim(f, known, derived_dates=True)
    precision = f.choice("precision", {p.value for p in Precision})
    texts = _texts(f)
    extras = _extras(f, kind, precision)
    if not f.ok or claim is None or geometry is None:
        return None
    return Feature(
        id=ident,
        layer=layer,
        kind=kind,
        geometry=geometry,  # type: ignore[arg-type]
        name_en=texts["name_en"],
        name_ar=texts["name_ar"],
        summary_en=texts["summary_en"],
        summary_ar=texts["summary_ar"],
        actors=claim.actors,
        incident_type=props.get("incident_type"),
        date=claim.date,
        date_basis=claim.date_basis,
        precision=Precision(precision),
        claim_type=claim.claim_type,
        originator=claim.originator,
        grade=claim.grade,
        sources=claim.sources,
        references=claim.references,
        conflicts=claim.conflicts,
        **extras,
    )


def _texts(f: Fields) -> dict[str, str]:
    out = {}
    for base in ("name", "summary"):
        for lang in ("en", "ar"):
            out[f"{base}_{lang}"] = f.text(f"{base}_{lang}", lang=lang)
    incident = f.data.get("incident_type")
    if incident is not None and not (
        isinstance(incident, str) and re.fullmatch(r"[a-z][a-z0-9-]{0,63}", incident)
    ):
        f.problem("incident_type", f"expected null or a lower-case type id, got {show(incident)}")
    return out  # type: ignore[return-value]


def _extras(f: Fields, kind: str | None, precision: str | None) -> dict[str, Any]:
    coord_source = f.text("coord_source")
    if coord_source is not None:
        try:
            parse_coord_source(coord_source)
        except GrammarError as exc:
            f.problem("coord_source", f"{exc} (grammar: README, 'Where every datum comes from')")
    notes = {
        k: optional_text(f.data, f, k, k[-2:])
        for k in ("location_note_en", "location_note_ar", "date_note_en", "date_note_ar")
    }
    if precision not in (None, Precision.EXACT) and not (
        notes["location_note_en"] and notes["location_note_ar"]
    ):
        f.problem(
            "location_note_en",
            f"a {precision} location needs a note in both "
            "languages saying what the geometry stands for",
        )
    status = f.choice("status", PIPELINE_STATUS, required=kind == "pipeline")
    as_of = f.text("status_as_of", required=kind == "pipeline")
    if status is not None and as_of is None:
        f.problem("status_as_of", "a status needs the date it was last known")
    return {
        "coord_source": coord_source,
        "aliases_en": f.text_list("aliases_en"),
        "aliases_ar": f.text_list("aliases_ar", lang="ar"),
        "status": status,
        "status_as_of": as_of,
        **notes,
    }


def _geometry(
    raw: Any, f: Fields, kind: str | None, aoi: tuple[float, float, float, float]
) -> BaseGeometry | None:
    kind_of = raw.get("type") if isinstance(raw, dict) else None
    if not isinstance(kind_of, str) or kind_of not in GEOMETRY_TYPES:
        got = raw.get("type") if isinstance(raw, dict) else raw
        f.problem(
            "geometry",
            f"expected a GeoJSON geometry ({', '.join(sorted(GEOMETRY_TYPES))}), got {show(got)}",
        )
        return None
    bad = _bad_coordinate(raw["type"], raw.get("coordinates"))
    if bad is not None:
        f.problem("geometry", bad)
        return None
    try:
        geom = shape(raw)
    except (ValueError, TypeError, AttributeError, IndexError, shapely.errors.GEOSException) as exc:
        f.problem("geometry", f"cannot be read as {raw['type']}: {exc}")
        return None
    if geom.is_empty:
        f.problem("geometry", "is empty")
        return None
    if not geom.is_valid:
        f.problem("geometry", f"is not valid: {shapely.is_valid_reason(geom)}")
        return None
    _check_shape_for_kind(f, geom, kind)
    w, s, e, n = aoi
    minx, miny, maxx, maxy = geom.bounds
    if minx < w or maxx > e or miny < s or maxy > n:
        f.problem(
            "geometry",
            f"lies outside the area of interest {list(aoi)} "
            f"(bounds {[round(v, 3) for v in geom.bounds]}): are lon and lat "
            "swapped?",
        )
    return geom


def _check_shape_for_kind(f: Fields, geom: BaseGeometry, kind: str | None) -> None:
    wanted = None
    if kind in LINE_KINDS and geom.geom_type not in ("LineString", "MultiLineString"):
        wanted = "a LineString or MultiLineString"
    elif kind in AREA_KINDS and geom.geom_type not in ("Polygon", "MultiPolygon"):
        wanted = "a Polygon or MultiPolygon"
    elif kind in POINT_KINDS and geom.geom_type != "Point":
        wanted = "a Point"
    if wanted:
        f.problem("geometry", f"a {kind} must be {wanted}, got {geom.geom_type}")


# How many levels of lists stand above the positions of each geometry type (RFC 7946 3.1).
_LEVELS = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}


def _flatten(coords: Any, levels: int) -> list[Any] | None:
    """The items `levels` lists down (iteratively: no recursion on hostile nesting)."""
    items = [coords]
    for _ in range(levels):
        below: list[Any] = []
        for item in items:
            if not isinstance(item, list) or not item:
                return None
            below.extend(item)
        items = below
    return items


def _bad_position(pos: Any) -> str | None:
    if (
        not isinstance(pos, list)
        or len(pos) not in (2, 3)
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in pos)
    ):
        return f"expected positions [lon, lat], found {show(pos)}"
    lon, lat = pos[0], pos[1]
    # compared before any float(): a 400-digit int would overflow, NaN fails every test
    if not (-180 <= lon <= 180 and -90 <= lat <= 90) or not -1e7 < pos[-1] < 1e7:
        return f"position {show(pos)} is out of range (lon -180..180, lat -90..90)"
    return None


def _bad_coordinate(kind: str, coords: Any) -> str | None:
    """Say what is wrong with the coordinates of a `kind` geometry, or None if all is fine:
    nesting, positions, lines of two or more positions, closed rings of four or more."""
    levels = _LEVELS[kind]
    positions = _flatten(coords, levels)
    if positions is None or not positions:
        depth = (
            "[lon, lat]" if not levels else "[" * levels + "[lon, lat], ...]" + "]" * (levels - 1)
        )
        return f"a {kind} has coordinates like {depth}; got {show(coords)}"
    for pos in positions:
        bad = _bad_position(pos)
        if bad:
            return bad
    if kind in ("LineString", "MultiLineString"):
        for line in [coords] if kind == "LineString" else coords:
            if len(line) < 2:
                return "a line needs at least two positions"
    if kind in ("Polygon", "MultiPolygon"):
        rings = coords if kind == "Polygon" else _flatten(coords, 1) or []
        for ring in rings:
            if len(ring) < 4 or ring[0] != ring[-1]:
                return (
                    "a polygon ring must be closed (its last position repeats its first) "
                    f"and have at least four positions (RFC 7946); got {len(ring)} positions"
                )
    return None
