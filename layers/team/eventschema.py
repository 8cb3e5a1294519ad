"""The PostGIS event store's tables, and the events in PostgreSQL's binary COPY format for
loading into them.

`briefmap_store` (one row: format, schema version, generation, counts), `briefmap_event` (one
row per version of an event: the store schema's columns, a PostGIS point, and the generations
the version belongs to), `briefmap_import` (what each import brought, and who; its `id` is the one
its events' `import_id` carry), `briefmap_removal` (imports removed: which, who, when), and the
(cell, month, type) rollup `briefmap_density`.
"""

from __future__ import annotations

import struct

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

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


# Binary COPY (PostgreSQL's "binary copy file format"): a signature, flags and header
# extension length; per row the number of fields (int16), then per field its length (int32,
# -1 for NULL) and its bytes in network order; -1 (int16) at the end. Dates count days from
# 2000-01-01. Built column by column with numpy and Arrow's element-wise join (all in C).
COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
COPY_TRAILER = struct.pack(">h", -1)
_NULL = pa.scalar(struct.pack(">i", -1), pa.binary())
_PG_EPOCH = 10_957  # 2000-01-01 in days since 1970-01-01
_WIDTH = {
    pa.date32(): ">i4",
    pa.int8(): ">i2",  # smallint
    pa.int16(): ">i2",
    pa.int32(): ">i4",
    pa.int64(): ">i8",
    pa.uint64(): ">i8",  # bigint (an H3 index leaves its top bit clear)
    pa.float64(): ">f8",
}


def _fixed(values: np.ndarray) -> pa.Array:
    """Each element's bytes (big-endian, as given) as a binary array."""
    width = values.dtype.itemsize
    kind = pa.binary(width)
    buffer = pa.py_buffer(np.ascontiguousarray(values).tobytes())
    return pa.FixedSizeBinaryArray.from_buffers(kind, len(values), [None, buffer]).cast(pa.binary())


def _fields(column: pa.Array, kind: pa.DataType) -> pa.Array:
    """One column as binary COPY fields: length, then bytes; a null as length -1."""
    if pa.types.is_string(kind):
        payload = column.cast(pa.binary())
        lengths = pc.binary_length(payload).fill_null(0).to_numpy(zero_copy_only=False)
        prefix = _fixed(lengths.astype(">i4"))
    else:
        raw = column.fill_null(0)
        numbers = raw.cast(pa.int32()).to_numpy() - _PG_EPOCH if kind == pa.date32() else None
        numbers = raw.to_numpy() if numbers is None else numbers
        payload = _fixed(numbers.astype(_WIDTH[kind]))
        prefix = _fixed(np.full(len(column), np.dtype(_WIDTH[kind]).itemsize, ">i4"))
    joined = pc.binary_join_element_wise(prefix, payload, b"")
    return pc.if_else(pc.is_valid(column), joined, _NULL) if column.null_count else joined


def binary_chunks(batch: pa.Table, rows: int = 65_536):
    """The batch in binary COPY format, in the staging table's column order (`COLUMNS`):
    the header first, the trailer last, rows in between in chunks of `rows`."""
    table = batch.select(COLUMNS)
    kinds = [STORE_SCHEMA.field(c).type for c in COLUMNS]
    yield COPY_HEADER
    for start in range(0, table.num_rows, rows):
        part = table.slice(start, rows).combine_chunks()
        count = _fixed(np.full(part.num_rows, len(COLUMNS), ">i2"))
        fields = [_fields(part.column(k).chunk(0), kinds[k]) for k in range(len(COLUMNS))]
        joined = pc.binary_join_element_wise(count, *fields, b"")
        offsets = joined.buffers()[1]
        first, last = np.frombuffer(offsets, np.int32)[[joined.offset, joined.offset + len(joined)]]
        yield joined.buffers()[2][first:last].to_pybytes()
    yield COPY_TRAILER


# The merge of an import (`PostgisStore._merge`): the staging table holds only rows that
# change the store (`eventread.changed_rows`); a revised event's current version ends, then
# every staged row begins a version.
END_REVISED = """
UPDATE briefmap_event e SET gen_to = %(g)s FROM briefmap_stage s
    WHERE e.event_id_cnty = s.event_id_cnty AND e.gen_to IS NULL
"""
# The removal of an import (`PostgisStore.remove_import`): the current versions it wrote end.
END_IMPORT = """
UPDATE briefmap_event SET gen_to = %(g)s WHERE gen_to IS NULL AND import_id = %(i)s
"""
NEXT_IMPORT = "SELECT nextval(pg_get_serial_sequence('briefmap_import', 'id'))"
_NAMES = ", ".join(f'"{c}"' for c in COLUMNS)
_STAGED = ", ".join(f's."{c}"' for c in COLUMNS)
INSERT_ALL = f"""
INSERT INTO briefmap_event ({_NAMES}, geom, gen_from, import_id)
    SELECT {_STAGED}, ST_SetSRID(ST_MakePoint(s.longitude, s.latitude), 4326), %(g)s, %(i)s
    FROM briefmap_stage s
"""  # noqa: S608 - column names from the store schema, never from input


# The events' indexes (besides the primary key). The first import into an empty store drops
# them with the key and makes them again after its rows are in (`PostgisStore._merge`): one
# sorted build instead of a million insertions into each.
EVENT_INDEXES = """
CREATE UNIQUE INDEX IF NOT EXISTS briefmap_event_current
    ON briefmap_event (event_id_cnty) WHERE gen_to IS NULL;
CREATE INDEX IF NOT EXISTS briefmap_event_geom ON briefmap_event USING gist (geom);
-- dates: BRIN, kept up at almost no cost by an import (a btree costs it one more tree)
CREATE INDEX IF NOT EXISTS briefmap_event_dates ON briefmap_event USING brin (date_start, date_end);
CREATE INDEX IF NOT EXISTS briefmap_event_h3 ON briefmap_event (h3);
-- the versions a generation began and ended (the density rollup, dropping old versions):
-- read by index, not by a scan of every event
CREATE INDEX IF NOT EXISTS briefmap_event_from ON briefmap_event (gen_from);
CREATE INDEX IF NOT EXISTS briefmap_event_ended ON briefmap_event (gen_to)
    WHERE gen_to IS NOT NULL;
"""
DROP_INDEXES = """
ALTER TABLE briefmap_event DROP CONSTRAINT briefmap_event_pkey;
DROP INDEX IF EXISTS briefmap_event_current, briefmap_event_geom, briefmap_event_dates,
    briefmap_event_h3, briefmap_event_from, briefmap_event_ended;
"""
MAKE_INDEXES = (
    "SET LOCAL maintenance_work_mem = '256MB';\n"
    "ALTER TABLE briefmap_event ADD PRIMARY KEY (event_id_cnty, gen_from);\n" + EVENT_INDEXES
)


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
-- the import that wrote each version (NULL: written before imports could be removed)
ALTER TABLE briefmap_event ADD COLUMN IF NOT EXISTS import_id bigint;
{EVENT_INDEXES}CREATE TABLE IF NOT EXISTS briefmap_import (
    id bigserial PRIMARY KEY,
    generation bigint NOT NULL,
    entry jsonb NOT NULL,
    imported_by text
);
CREATE TABLE IF NOT EXISTS briefmap_removal (
    id bigserial PRIMARY KEY,
    generation bigint NOT NULL,
    entry jsonb NOT NULL,
    removed_by text
);
CREATE TABLE IF NOT EXISTS briefmap_density (
    h3 bigint NOT NULL,
    month date NOT NULL,
    event_type text NOT NULL,
    events integer NOT NULL,
    PRIMARY KEY (h3, month, event_type)
);
"""  # noqa: S608
