"""The export contract: a Feature record as GeoJSON properties, and the canonical file layout.

Other tools and the tests rely on these property names; `geodata/features/*.geojson` are
written in the same layout (one property per line, geometry on one line) so that a change
to the data reads well in a diff.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from layers.dates import iso
from layers.model import Citation, Conflict, Feature

# Order of the properties in every exported or shipped feature.
CONTRACT_FIELDS = (
    "id",
    "layer",
    "kind",
    "name_en",
    "name_ar",
    "summary_en",
    "summary_ar",
    "actors",
    "incident_type",
    "date",
    "date_start",
    "date_end",
    "date_basis",
    "precision",
    "claim_type",
    "originator",
    "grade",
    "sources",
)
OPTIONAL_FIELDS = (
    "references",
    "conflicts",
    "date_note_en",
    "date_note_ar",
    "coord_source",
    "location_note_en",
    "location_note_ar",
    "aliases_en",
    "aliases_ar",
    "status",
    "status_as_of",
)
COORD_DECIMALS = 5


def citation_dict(c: Citation) -> dict[str, Any]:
    return {"report": c.report, "paragraph": c.paragraph}


def conflict_dict(c: Conflict) -> dict[str, Any]:
    return {
        "field": c.field,
        "note_en": c.note_en,
        "note_ar": c.note_ar,
        "sources": [citation_dict(s) for s in c.sources],
    }


def feature_properties(f: Feature) -> dict[str, Any]:
    """The contract properties of one feature, in contract order (optional ones if set)."""
    props: dict[str, Any] = {
        "id": f.id,
        "layer": f.layer,
        "kind": f.kind,
        "name_en": f.name_en,
        "name_ar": f.name_ar,
        "summary_en": f.summary_en,
        "summary_ar": f.summary_ar,
        "actors": list(f.actors),
        "incident_type": f.incident_type,
        "date": f.date.edtf if f.date else None,
        "date_start": iso(f.date.start) if f.date else None,
        "date_end": iso(f.date.end) if f.date else None,
        "date_basis": f.date_basis.value if f.date_basis else None,
        "precision": f.precision.value,
        "claim_type": f.claim_type.value,
        "originator": f.originator,
        "grade": f.grade,
        "sources": [citation_dict(c) for c in f.sources],
    }
    optional = {
        "references": list(f.references),
        "conflicts": [conflict_dict(c) for c in f.conflicts],
        "date_note_en": f.date_note_en,
        "date_note_ar": f.date_note_ar,
        "coord_source": f.coord_source,
        "location_note_en": f.location_note_en,
        "location_note_ar": f.location_note_ar,
        "aliases_en": list(f.aliases_en),
        "aliases_ar": list(f.aliases_ar),
        "status": f.status,
        "status_as_of": f.status_as_of,
    }
    props.update({k: v for k, v in optional.items() if v not in (None, [], ())})
    return props


def geometry_dict(geom: BaseGeometry) -> dict[str, Any]:
    """GeoJSON geometry rounded to the data's 5-decimal grid (about 1 m), vertex order kept."""
    return _round(mapping(geom))


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, COORD_DECIMALS)
    if isinstance(value, list | tuple):
        return [_round(v) for v in value]
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    return value


def feature_dict(f: Feature) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": feature_properties(f),
        "geometry": geometry_dict(f.geometry),
    }


def dumps_collection(
    features: Iterable[dict[str, Any]], members: dict[str, Any] | None = None
) -> str:
    """Write a FeatureCollection: one property per line, each geometry on one line."""
    out = ["{", '  "type": "FeatureCollection",']
    for key, value in (members or {}).items():
        out.append(f"  {json.dumps(key)}: {_one_line(value)},")
    out.append('  "features": [')
    items = list(features)
    for i, feature in enumerate(items):
        out.append("    {")
        out.append('      "type": "Feature",')
        out.append('      "properties": {')
        props = list(feature["properties"].items())
        for j, (key, value) in enumerate(props):
            comma = "," if j < len(props) - 1 else ""
            out.append(f"        {json.dumps(key)}: {_one_line(value)}{comma}")
        out.append("      },")
        geometry = json.dumps(feature["geometry"], separators=(",", ":"))
        out.append(f'      "geometry": {geometry}')
        out.append("    }" + ("," if i < len(items) - 1 else ""))
    out.append("  ]")
    out.append("}")
    return "\n".join(out) + "\n"


def _one_line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
