"""The team's event store in PostGIS: the same events, imports and rules as the GeoParquet
store (`layers.events.store`), shared by every app server of a team.

Writing (`apply`): the batch is streamed into a temporary staging table with COPY (CSV that
pyarrow writes in C; binary COPY would need every type set by hand), then merged into the
events table in the same transaction as the deletions, the import record and the generation
bump. One import at a time across every process (a transaction-level advisory lock); killed at
any moment, the transaction is rolled back and the store is as it was. The rule for revisions
is the Parquet store's: an event is replaced only by a newer `timestamp`, and a deletion
applies to a stored version not newer than it.

Every committed change bumps the generation and NOTIFYs `briefmap_generation`, so replicas
drop what they cached. Each event keeps its H3 cell at `H3_RES` (computed in Python: Debian has
no h3 extension); coarser cells are its bit-parents, and a (cell, month, type) rollup is kept
up to date by every import for the density map.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from psycopg import sql

from layers.errors import StorageError
from layers.events.backend import Source, StoreInfo
from layers.events.merge import Counts, Deletions
from layers.events.schema import STORE_SCHEMA
from layers.events.store import Stage, checkpoint, import_entry

SCHEMA_VERSION = 1
FORMAT = "briefmap-events-postgis"
CHANNEL = "briefmap_generation"
_LOCK_IMPORT = 0x62726D02
_COLUMNS = [n for n in STORE_SCHEMA.names if n != "geometry"]
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


class PostgisStoreError(StorageError):
    """A database the store cannot use (the message says which and why)."""


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
    PRIMARY KEY (event_id_cnty)
);
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


class PostgisStore:
    """The event store in a PostgreSQL database with PostGIS (`dsn`: a libpq URI)."""

    def __init__(self, dsn: str, user: str | None = None, stage: Stage | None = None):
        self.dsn, self.user = dsn, user  # user: who imports (recorded with each import)
        self.stage = stage or checkpoint  # told each step (a test stops an import there)
        self._ready = False

    # -- connection and schema ------------------------------------------------------------
    def _connect(self):
        import psycopg

        try:
            return psycopg.connect(self.dsn, connect_timeout=10)
        except psycopg.OperationalError as exc:
            raise PostgisStoreError(f"{_shown(self.dsn)}: cannot connect ({_first(exc)})") from None

    def _ensure(self, conn) -> None:
        if self._ready:
            return
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_IMPORT,))
            conn.execute(SCHEMA)
        self._check_version(conn)
        self._ready = True

    def _check_version(self, conn) -> None:
        row = conn.execute("SELECT format, schema_version FROM briefmap_store").fetchone()
        if row is None or row[0] != FORMAT:
            raise PostgisStoreError(f"{_shown(self.dsn)}: not a briefmap event store")
        if row[1] > SCHEMA_VERSION:
            raise PostgisStoreError(
                f"{_shown(self.dsn)}: store schema version {row[1]} is newer than this "
                f"briefmap reads ({SCHEMA_VERSION}); upgrade briefmap"
            )

    # -- reading --------------------------------------------------------------------------
    def describe(self) -> StoreInfo:
        with self._connect() as conn:
            self._ensure(conn)
            generation, rows, first, last = conn.execute(
                "SELECT generation, rows, first_date, last_date FROM briefmap_store"
            ).fetchone()
            entries = [
                row[0] for row in conn.execute("SELECT entry FROM briefmap_import ORDER BY id")
            ]
        return StoreInfo(
            location=_shown(self.dsn),
            generation=generation,
            rows=rows,
            data_file=None,
            imports=tuple(entries),
            first_date=first.isoformat() if first else None,
            last_date=last.isoformat() if last else None,
            version=SCHEMA_VERSION,
        )

    def check(self) -> None:
        with self._connect() as conn:
            self._ensure(conn)

    # -- writing --------------------------------------------------------------------------
    def upsert(self, batch: pa.Table, source: Source) -> Counts:
        return self.apply(batch, None, source)

    def delete(self, deletions: Deletions, source: Source) -> Counts:
        return self.apply(None, deletions, source)

    def apply(self, batch: pa.Table | None, deletions: Deletions | None, source: Source) -> Counts:
        """Upsert `batch`, then apply `deletions`, as one transaction (nothing of it is kept
        if any part fails: PostgisStoreError saying why)."""
        import psycopg

        with self._connect() as conn:
            self._ensure(conn)
            try:
                with conn.transaction():
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_IMPORT,))
                    counts = self._merge(conn, batch) if batch is not None else Counts()
                    if deletions is not None:
                        removed, missing = self._delete(conn, deletions)
                        counts = replace(counts, removed=removed, not_found=missing)
                    self.stage("merged")
                    self._commit(conn, source, counts)
                self.stage("committed")
            except psycopg.Error as exc:
                raise PostgisStoreError(
                    f"{_shown(self.dsn)}: {source.file} not imported, the store is as it was "
                    f"({_first(exc)})"
                ) from None
        return counts

    def _merge(self, conn, batch: pa.Table) -> Counts:
        conn.execute(
            "CREATE TEMP TABLE briefmap_stage (LIKE briefmap_event) ON COMMIT DROP; "
            "ALTER TABLE briefmap_stage DROP COLUMN geom"
        )
        columns = sql.SQL(", ").join(map(sql.Identifier, _COLUMNS))
        copy_sql = sql.SQL("COPY briefmap_stage ({}) FROM STDIN (FORMAT csv, HEADER true)")
        with conn.cursor().copy(copy_sql.format(columns)) as copy:
            for k, chunk in enumerate(_csv_chunks(batch)):
                copy.write(chunk)
                if k == 0:
                    self.stage("copying")
        new, revised, unchanged, stale = conn.execute(
            "SELECT count(*) FILTER (WHERE e.event_id_cnty IS NULL), "
            "count(*) FILTER (WHERE s.timestamp > e.timestamp), "
            "count(*) FILTER (WHERE s.timestamp = e.timestamp), "
            "count(*) FILTER (WHERE s.timestamp < e.timestamp) "
            "FROM briefmap_stage s LEFT JOIN briefmap_event e USING (event_id_cnty)"
        ).fetchone()
        updates = sql.SQL(", ").join(
            sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(c)) for c in [*_COLUMNS[1:], "geom"]
        )
        conn.execute(
            sql.SQL(
                "INSERT INTO briefmap_event ({columns}, geom) "
                "SELECT {columns}, ST_SetSRID(ST_MakePoint(longitude, latitude), 4326) "
                "FROM briefmap_stage ON CONFLICT (event_id_cnty) DO UPDATE SET {updates} "
                "WHERE briefmap_event.timestamp < EXCLUDED.timestamp"
            ).format(columns=columns, updates=updates)
        )
        return Counts(new=new, revised=revised, unchanged=unchanged, stale=stale)

    def _delete(self, conn, deletions: Deletions) -> tuple[int, int]:
        if not deletions.ids:
            return 0, 0
        conn.execute(
            "CREATE TEMP TABLE briefmap_gone (event_id_cnty text, timestamp bigint) ON COMMIT DROP"
        )
        with conn.cursor().copy("COPY briefmap_gone FROM STDIN") as copy:
            for ident, stamp in zip(deletions.ids, deletions.timestamps, strict=True):
                copy.write_row((ident, stamp))
        (missing,) = conn.execute(
            "SELECT count(*) FROM briefmap_gone g "
            "WHERE NOT EXISTS (SELECT 1 FROM briefmap_event e "
            "WHERE e.event_id_cnty = g.event_id_cnty)"
        ).fetchone()
        removed = conn.execute(
            "DELETE FROM briefmap_event e USING briefmap_gone g "
            "WHERE e.event_id_cnty = g.event_id_cnty AND e.timestamp <= g.timestamp"
        ).rowcount
        return removed, missing

    def _commit(self, conn, source: Source, counts: Counts) -> None:
        changed = counts.new or counts.revised or counts.removed
        (generation,) = conn.execute("SELECT generation FROM briefmap_store").fetchone()
        if changed or generation == 0:
            generation += 1
            conn.execute(
                "UPDATE briefmap_store SET generation = %s, (rows, first_date, last_date) = "
                "(SELECT count(*), min(event_date), max(event_date) FROM briefmap_event)",
                (generation,),
            )
            self._roll_up(conn)
        entry = import_entry(source, counts)
        conn.execute(
            "INSERT INTO briefmap_import (generation, entry, imported_by) VALUES (%s, %s, %s)",
            (generation, json.dumps(entry, ensure_ascii=False), self.user),
        )
        conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(generation)))

    def _roll_up(self, conn) -> None:
        """The density rollup: events per H3 cell (at H3_RES), month and type."""
        conn.execute("TRUNCATE briefmap_density")
        conn.execute(
            "INSERT INTO briefmap_density (h3, month, event_type, events) "
            "SELECT h3, date_trunc('month', date_start)::date, coalesce(event_type, ''), "
            "count(*) FROM briefmap_event WHERE date_start IS NOT NULL "
            "GROUP BY 1, 2, 3"
        )


def _csv_chunks(batch: pa.Table, rows: int = 65_536):
    """The batch as CSV in the staging table's column order (header first): strings quoted
    (so an empty string stays one), nulls unquoted and empty (COPY reads them as NULL)."""
    table = batch.select(_COLUMNS)
    h3 = table.column("h3")
    table = table.set_column(_COLUMNS.index("h3"), "h3", pc.cast(h3, pa.int64()))
    options = pacsv.WriteOptions(include_header=True, quoting_style="needed")
    for start in range(0, max(table.num_rows, 1), rows):
        sink = io.BytesIO()
        pacsv.write_csv(table.slice(start, rows), sink, options)
        data = sink.getvalue()
        if start:
            data = data.split(b"\n", 1)[1]  # one header for the whole COPY
        yield data


def _shown(dsn: str) -> str:
    """A connection URI without its password, for messages."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        parts = conninfo_to_dict(dsn)
    except Exception:  # noqa: BLE001 - a URI libpq cannot read is shown as unreadable
        return "postgresql://(unreadable URI)"
    host, port, name = parts.get("host", ""), parts.get("port", ""), parts.get("dbname", "")
    return f"postgresql://{parts.get('user', '')}@{host}:{port}/{name}"


def _first(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
