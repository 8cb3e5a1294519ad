"""Exports of report features with the contract: GeoJSON (RFC 7946) and CSV (WKT + lon/lat).

Writes are atomic: a failed export leaves any existing file untouched.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from layers.atomic import write_text_atomic
from layers.boundary import GeodataError, load_geodata
from layers.contract import CONTRACT_FIELDS, OPTIONAL_FIELDS, dumps_collection, feature_dict
from layers.model import Feature

CSV_GEOMETRY_FIELDS = ("geometry_type", "lon", "lat", "wkt")
# Cells a spreadsheet would run as a formula; such text is prefixed with an apostrophe.
_FORMULA_START = ("=", "+", "@", "\t", "\r")


class ExportError(ValueError):
    """An export request that cannot be met (unknown layer id, …)."""


def geojson_text(features: Sequence[Feature]) -> str:
    return dumps_collection(feature_dict(f) for f in features)


def csv_text(features: Sequence[Feature]) -> str:
    """One row per feature: contract fields, lists joined with ';', citations as file#N."""
    columns = [*CONTRACT_FIELDS, *OPTIONAL_FIELDS, *CSV_GEOMETRY_FIELDS]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for f in features:
        props = feature_dict(f)["properties"]
        row = {key: _cell(props.get(key)) for key in (*CONTRACT_FIELDS, *OPTIONAL_FIELDS)}
        point = f.geometry if f.geometry.geom_type == "Point" else f.geometry.representative_point()
        row.update(
            geometry_type=f.geometry.geom_type,
            lon=f"{point.x:.5f}",
            lat=f"{point.y:.5f}",
            wkt=f.geometry.wkt,
        )
        writer.writerow(row)
    return buffer.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(_item(v) for v in value)
    return csv_safe(str(value))


def _item(value: Any) -> str:
    if isinstance(value, dict) and "report" in value:
        return f"{value['report']}#{value['paragraph']}"
    if isinstance(value, dict):  # conflicts
        return csv_safe(f"{value['field']}: {value['note_en']}")
    return csv_safe(str(value))


def csv_safe(text: str) -> str:
    """Stop a spreadsheet from running text as a formula (CSV injection)."""
    if text.startswith(_FORMULA_START) or (
        text.startswith("-") and len(text) > 1 and not text[1].isdigit() and text[1] != " "
    ):
        return "'" + text
    return text


def select_layers(
    features: Sequence[Feature], layer_ids: Sequence[str] | None, known: Sequence[str]
) -> list[Feature]:
    if not layer_ids:
        return list(features)
    unknown = [lid for lid in layer_ids if lid not in known]
    if unknown:
        raise ExportError(f"unknown layer id(s): {', '.join(unknown)}; known: {', '.join(known)}")
    wanted = set(layer_ids)
    return [f for f in features if f.layer in wanted]


def write_export(features: Sequence[Feature], fmt: str, out: Path) -> None:
    text = geojson_text(features) if fmt == "geojson" else csv_text(features)
    write_text_atomic(out, text)


def export_cli(args: Any) -> int:
    try:
        geodata = load_geodata(args.geodata)
        layer_ids = (
            [s.strip() for s in args.layers.split(",") if s.strip()] if args.layers else None
        )
        features = select_layers(geodata.features, layer_ids, list(geodata.layers))
        write_export(features, args.format, args.out)
    except (GeodataError, ExportError) as exc:
        print(f"briefmap export: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, ExportError) else 1
    except OSError as exc:
        print(f"briefmap export: cannot write {args.out}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {len(features)} features to {args.out}")
    return 0
