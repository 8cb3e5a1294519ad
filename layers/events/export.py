"""The shown events as an ACLED-shaped CSV (the same columns, so it imports again), with every
text cell a spreadsheet could run as a formula neutralised (`layers.export.csv_safe`)."""

from __future__ import annotations

import csv
import io

import numpy as np

from layers.events.schema import ACLED_COLUMNS
from layers.events.store import EventStore
from layers.export import csv_safe


def events_csv(store: EventStore, generation: int, mask: np.ndarray) -> str:
    rows = np.flatnonzero(mask).tolist()
    table = store.take(generation, rows, ACLED_COLUMNS)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(ACLED_COLUMNS)
    columns = [table.column(name).to_pylist() for name in ACLED_COLUMNS]
    for values in zip(*columns, strict=True):
        writer.writerow([_cell(v) for v in values])
    return buffer.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return csv_safe(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
