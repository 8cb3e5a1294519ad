"""The PostGIS event store's tables, and the events as CSV for COPY into them.

`briefmap_store` (one row: format, schema version, generation, counts), `briefmap_event` (one
row per version of an event: the store schema's columns, a PostGIS point, and the generations
the version belongs to), `briefmap_import` (what each import brought, and who), and the
(cell, month, type) rollup `briefmap_density`.
"""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from layers.events.manifest import VERSION
from layers.events.schema import STORE_SCHEMA

SCHEMA_VERSION = VERSION  # one schema version for every backend (the event's columns)
FORMAT = "briefmap-events-postgis"
CHANNEL = "briefmap_generation"
LOCK_IMPORT = 0x62726D02
COLUMNS = [n for n in STORE_SCHEMA.names if n != "geometry"]
_SQL_TYPES = {
    pa.string(): "text",
    pa.date32(): "date",
    pa.int8(): "smallint",
    pa.int16(): "smallint",
    pa.int32(): "integer",
    pa.int64(): "bigint",
    pa.uint64(): "bigint",  # an H3 index leaves its top bit clear: it fits a signed bigint
    pa.float64(): "double precision",
}


def csv_chunks(batch: pa.Table, rows: int = 65_536):
    """The batch as CSV in the staging table's column order (header first): strings quoted
    (so an empty string stays one), nulls unquoted and empty (COPY reads them as NULL)."""
    table = batch.select(COLUMNS)
    h3 = table.column("h3")
    table = table.set_column(COLUMNS.index("h3"), "h3", pc.cast(h3, pa.int64()))
    options = pacsv.WriteOptions(include_header=True, quoting_style="needed")
    for start in range(0, max(table.num_rows, 1), rows):
        sink = io.BytesIO()
        pacsv.write_csv(table.slice(start, rows), sink, options)
        data = sink.getvalue()
        if start:
            data = data.split(b"\n", 1)[1]  # one header for the whole COPY
        yield data


def _column_sql() -> str:
    parts = []
    for field in STORE_SCHEMA:
        if field.name == "geometry":
            continue
        kind = _SQL_TYPES[field.type]
        null = " NOT NULL" if field.name in ("event_id_cnty", "timestamp") else ""
        parts.append(f"    {field.name} {kind}{null}")
    return ",\n".join(parts)


# Built from this module's constants and the store schema's column names, never from input.
SCHEMA = f"""
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE TABLE IF NOT EXISTS briefmap_store (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    format text NOT NULL,
    schema_version integer NOT NULL,
    generation bigint NOT NULL DEFAULT 0,
    rows bigint NOT NULL DEFAULT 0,
    first_date date,
    last_date date
);
INSERT INTO briefmap_store (format, schema_version) VALUES ('{FORMAT}', {SCHEMA_VERSION})
    ON CONFLICT (one) DO NOTHING;
CREATE TABLE IF NOT EXISTS briefmap_event (
{_column_sql()},
    geom geometry(Point, 4326) NOT NULL,
    gen_from bigint NOT NULL,
    gen_to bigint,
    PRIMARY KEY (event_id_cnty, gen_from)
);
CREATE UNIQUE INDEX IF NOT EXISTS briefmap_event_current
    ON briefmap_event (event_id_cnty) WHERE gen_to IS NULL;
CREATE INDEX IF NOT EXISTS briefmap_event_geom ON briefmap_event USING gist (geom);
CREATE INDEX IF NOT EXISTS briefmap_event_dates ON briefmap_event (date_start, date_end);
CREATE INDEX IF NOT EXISTS briefmap_event_h3 ON briefmap_event (h3);
CREATE TABLE IF NOT EXISTS briefmap_import (
    id bigserial PRIMARY KEY,
    generation bigint NOT NULL,
    entry jsonb NOT NULL,
    imported_by text
);
CREATE TABLE IF NOT EXISTS briefmap_density (
    h3 bigint NOT NULL,
    month date NOT NULL,
    event_type text NOT NULL,
    events integer NOT NULL,
    PRIMARY KEY (h3, month, event_type)
);
"""  # noqa: S608
