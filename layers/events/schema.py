"""The columns of an imported event: ACLED's names, what the store keeps, what a map loads."""

from __future__ import annotations

import pyarrow as pa

# ACLED's export columns, in its order. Any order is accepted; extra columns are ignored.
ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
REQUIRED = (
    "event_id_cnty",
    "event_date",
    "event_type",
    "actor1",
    "latitude",
    "longitude",
    "timestamp",
)
TEXT_COLUMNS = (
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "source",
    "source_scale",
    "notes",
    "tags",
)
ACTOR_COLUMNS = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")
# Swapped between the rows of a monadic export (one row per actor of one event).
MONADIC_PAIRS = (("actor1", "actor2"), ("assoc_actor_1", "assoc_actor_2"), ("inter1", "inter2"))
# ACLED's actor type codes (older files give numbers, newer ones the words).
INTER_CODES = {
    "0": "",
    "1": "State forces",
    "2": "Rebel group",
    "3": "Political militia",
    "4": "Identity militia",
    "5": "Rioters",
    "6": "Protesters",
    "7": "Civilians",
    "8": "External/Other forces",
}
# Display conventions for "somewhere around here" (kilometres), by ACLED geo_precision:
# 2 = a part of a district or the nearest town, 3 = a province (placed at its centre).
SPREAD_KM = {2: 25.0, 3: 75.0}
H3_RES = 7  # finest grid kept per event; coarser cells are derived from it
LIMITS = {"line_bytes": 1 << 20, "field_chars": 65_536, "listed_problems": 100}

_text = pa.string()
STORE_SCHEMA = pa.schema(
    [
        ("event_id_cnty", _text),
        ("event_date", pa.date32()),
        ("date_start", pa.date32()),  # the period the date stands for (time_precision)
        ("date_end", pa.date32()),
        ("year", pa.int16()),
        ("time_precision", pa.int8()),
        *[(name, _text) for name in TEXT_COLUMNS],
        ("iso", pa.int16()),
        ("latitude", pa.float64()),
        ("longitude", pa.float64()),
        ("geo_precision", pa.int8()),
        ("fatalities", pa.int32()),
        ("timestamp", pa.int64()),
        ("h3", pa.uint64()),  # H3 cell at H3_RES of the location
        ("geometry", pa.binary()),  # WKB point (GeoParquet)
    ]
)
# What the map and the filters need, loaded into memory; the rest is read on demand.
HOT_COLUMNS = (
    "date_start",
    "date_end",
    "time_precision",
    "event_type",
    *ACTOR_COLUMNS,
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "h3",
)
DETAIL_COLUMNS = tuple(n for n in STORE_SCHEMA.names if n not in ("geometry", "h3"))
