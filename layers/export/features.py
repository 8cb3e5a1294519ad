"""Report features as text with the export contract: GeoJSON (RFC 7946) and CSV (WKT + lon/lat,
every cell safe from a spreadsheet's formulas), and the command line's filters read as a view.
The files are made by `layers.export.builders` and written atomically by the surface.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Sequence
from typing import Any

from layers.contract import CONTRACT_FIELDS, OPTIONAL_FIELDS, dumps_collection, feature_dict
from layers.errors import ExportError  # the family's; importable from here as before
from layers.i18n import pick
from layers.model import Feature, Geodata
from layers.view import View
from layers.view.options import query_from_args
from layers.view.url import from_query

CSV_GEOMETRY_FIELDS = ("geometry_type", "lon", "lat", "wkt")
# A cell a spreadsheet may evaluate starts with one of these (OWASP's list, plus line feed and
# the full-width forms some spreadsheets accept); unless it is a plain number it gets a leading
# apostrophe, which spreadsheets show as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _labelled(f: Feature, lang: str) -> dict[str, Any]:
    """Contract properties plus `name` and `summary` in the chosen language."""
    props = feature_dict(f)["properties"]
    props["name"] = pick(f.name_en, f.name_ar, lang)
    props["summary"] = pick(f.summary_en, f.summary_ar, lang)
    return props


def geojson_text(
    features: Sequence[Feature],
    lang: str | None = None,
    extra: Iterable[dict[str, Any]] = (),
    members: dict[str, Any] | None = None,
) -> str:
    """RFC 7946 FeatureCollection; with `lang`, label properties in that language are added.
    `extra`: more GeoJSON features after ours (imported incidents); `members`: top-level
    members (e.g. the marking)."""
    if lang is None:
        ours = (feature_dict(f) for f in features)
    else:
        ours = (
            {
                "type": "Feature",
                "properties": _labelled(f, lang),
                "geometry": feature_dict(f)["geometry"],
            }
            for f in features
        )
    return dumps_collection(itertools.chain(ours, extra), members)


def csv_text(features: Sequence[Feature], lang: str = "en") -> str:
    """One row per feature: label columns in `lang`, the contract (both languages), lists
    joined with ';', citations as file#N, then geometry as lon/lat and WKT."""
    columns = ["name", "summary", *CONTRACT_FIELDS, *OPTIONAL_FIELDS, *CSV_GEOMETRY_FIELDS]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for f in features:
        props = _labelled(f, lang)
        row = {key: _cell(props.get(key)) for key in columns[: -len(CSV_GEOMETRY_FIELDS)]}
        geom = f.geometry
        point = geom if geom.geom_type == "Point" else geom.representative_point()
        row.update(
            geometry_type=geom.geom_type, lon=f"{point.x:.5f}", lat=f"{point.y:.5f}", wkt=geom.wkt
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
    """Stop a spreadsheet from running text as a formula (CSV injection): `-2+3+cmd|…` is a
    formula although it starts with a minus and a digit; `-12.5` is a number and stays one."""
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def view_from_args(args: Any, geodata: Geodata, event_types: tuple[str, ...] = ()) -> View:
    """The CLI's filters read exactly like a link's (`layers.view.options`, `layers.view.url`),
    so `briefmap export` with given filters writes what the app shows with the same filters.
    Unlike a link, a bad value is an error here, not something to skip. `event_types`: the
    imported incidents' types, also valid in --types (with --events)."""
    params = query_from_args(args, geodata)
    if args.lang:
        params["lang"] = args.lang
    view = from_query(params, geodata, event_types=event_types)
    if view.notes:
        raise ExportError("; ".join(view.notes))
    return view
