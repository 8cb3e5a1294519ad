"""The shown events as an ACLED-shaped CSV (the same columns, so it imports again), with every
text cell a spreadsheet could run as a formula neutralised (`layers.export.csv_safe`), or as
GeoJSON point features (the same columns as properties) to follow the report features."""

from __future__ import annotations

import csv
import io

from layers.events.backend import Selection
from layers.events.schema import ACLED_COLUMNS
from layers.export.features import csv_safe

KIND = "imported_incident"  # the `kind` property of an event in a GeoJSON of the view


def events_csv(selection: Selection) -> str:
    """The shown events of a query (its `selection`) as ACLED CSV."""
    table = selection.rows(ACLED_COLUMNS)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(ACLED_COLUMNS)
    columns = [table.column(name).to_pylist() for name in ACLED_COLUMNS]
    stamp = ACLED_COLUMNS.index("timestamp")
    for values in zip(*columns, strict=True):
        cells = [_cell(v) for v in values]
        if values[stamp] is not None and values[stamp] < 0:
            cells[stamp] = ""  # a file without timestamps: it imports again as it came
        writer.writerow(cells)
    return buffer.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return csv_safe(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def events_features(selection: Selection) -> list[dict]:
    """One GeoJSON Point feature per shown event: `kind`, then the ACLED columns."""
    table = selection.rows(ACLED_COLUMNS)
    columns = {name: table.column(name).to_pylist() for name in ACLED_COLUMNS}
    out = []
    for i in range(table.num_rows):
        props = {"kind": KIND, **{k: _value(v[i]) for k, v in columns.items()}}
        if props["timestamp"] is not None and props["timestamp"] < 0:
            props["timestamp"] = None  # no timestamp in the file it came from
        point = [round(float(columns["longitude"][i]), 6), round(float(columns["latitude"][i]), 6)]
        out.append({"type": "Feature", "properties": props, "geometry": _point(point)})
    return out


def _point(lonlat: list[float]) -> dict:
    return {"type": "Point", "coordinates": lonlat}


def _value(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value
