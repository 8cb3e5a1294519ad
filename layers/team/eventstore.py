"""The team's event store in PostGIS: the same events, imports and rules as the GeoParquet
store (`layers.events.store`), shared by every app server of a team.

Writing (`apply`): the batch is streamed into a temporary staging table with binary COPY
(encoded column by column in C, `eventschema.binary_chunks`), then merged into the events
table in the same transaction as the deletions, the import record and the generation bump.
One import at a time across every process (a transaction-level advisory lock); killed at any
moment, the transaction is rolled back and the store is as it was. The rule for revisions
is the Parquet store's: an event is replaced only by a newer `timestamp`, and a deletion
applies to a stored version not newer than it. The first import into an empty store drops the
events' key and indexes and makes them after its rows are in (`eventschema.DROP_INDEXES`): a
reader of the empty store waits for that import's commit instead of reading nothing.

Every committed change bumps the generation and NOTIFYs `briefmap_generation`, so replicas
drop what they cached. Each event keeps its H3 cell at `H3_RES` (computed in Python: Debian has
no h3 extension); coarser cells are its bit-parents, and a (cell, month, type) rollup is kept
up to date by every import for the density map.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pyarrow as pa
from psycopg import sql

from layers.events.attribution import check_raise
from layers.events.backend import Source, StoreInfo
from layers.events.datafile import StoreError
from layers.events.manifest import NewerStoreError, older_note
from layers.events.merge import Counts, Deletions
from layers.events.records import Removal, find, import_entry, removal
from layers.events.store import Stage, checkpoint
from layers.team import eventread, eventwrite
from layers.team.database import Database, DatabaseUnreachable, first_line, shared
from layers.team.database import shown as _shown
from layers.team.eventschema import (
    CHANNEL,
    COLUMNS,
    DROP_INDEXES,
    END_IMPORT,
    END_REVISED,
    FORMAT,
    INSERT_ALL,
    LOCK_IMPORT,
    MAKE_INDEXES,
    NEXT_IMPORT,
    SCHEMA,
    SCHEMA_VERSION,
    binary_chunks,
)


class PostgisStoreError(StoreError):
    """A database the store cannot use (the message says which and why)."""


class StoreUnreachable(DatabaseUnreachable, PostgisStoreError):
    """The store's database cannot be reached now (the app says so and carries on when it
    answers again: the same store object, no restart)."""


class PostgisStore:
    """The event store in a PostgreSQL database with PostGIS (`dsn`: a libpq URI).

    Cheap to make: the connections (a pool) and the schema check belong to the process's one
    `layers.team.database.Database` for the URI, shared by every store object of it (a
    `database` of its own may be given, as a second app server in a test)."""

    def __init__(
        self,
        dsn: str,
        user: str | None = None,
        stage: Stage | None = None,
        database: Database | None = None,
    ):
        self.dsn, self.user = dsn, user  # user: who imports (recorded with each import)
        self.stage = stage or checkpoint  # told each step (a test stops an import there)
        self._db = database or shared(dsn)

    # -- connection and schema ------------------------------------------------------------
    def _connect(self):
        """A pooled connection for one block (StoreUnreachable while the database is away)."""
        return self._db.connection(StoreUnreachable, PostgisStoreError)

    def _ensure(self, conn) -> int:
        """The tables made if missing (once per process and database); the schema version
        the store records (checked on every use: another server may have changed it)."""
        self._db.once("event-store-schema", lambda: self._make_schema(conn))
        return self._check_version(conn)

    def _make_schema(self, conn) -> None:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_IMPORT,))
            if _has_table(conn, "briefmap_store"):
                self._check_version(conn)  # another format is refused, naming it
            else:
                self._refuse_foreign(conn)
            conn.execute(SCHEMA)

    def _refuse_foreign(self, conn) -> None:
        """A database holding anything but a briefmap store is not made one: its tables are
        someone else's (the GeoParquet store refuses a folder of other files alike)."""
        others = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename NOT LIKE 'briefmap\\_%%' AND tablename <> 'spatial_ref_sys' "
                "ORDER BY tablename LIMIT 4"
            )
        ]
        if others:
            shown = ", ".join(others[:3]) + (", …" if len(others) > 3 else "")
            raise PostgisStoreError(
                f"{_shown(self.dsn)}: not a briefmap event store and not empty (tables "
                f"{shown}); give a new or empty database"
            )

    def _check_version(self, conn) -> int:
        """The schema version the store records (refused: another format, a newer version)."""
        row = conn.execute("SELECT format, schema_version FROM briefmap_store").fetchone()
        if row is None or row[0] != FORMAT:
            found = "no store record" if row is None else f"format {str(row[0])[:40]!r}"
            raise PostgisStoreError(
                f"{_shown(self.dsn)}: not a briefmap event store ({found}); give a database "
                "of its own"
            )
        if row[1] > SCHEMA_VERSION:
            raise PostgisStoreError(f"{_shown(self.dsn)}: {NewerStoreError(row[1])}")
        return row[1]

    # -- reading --------------------------------------------------------------------------
    def describe(self) -> StoreInfo:
        with self._connect() as conn:
            version = self._ensure(conn)
            generation, rows, first, last = conn.execute(
                "SELECT generation, rows, first_date, last_date FROM briefmap_store"
            ).fetchone()
            entries = _entries(conn)
            removals = [
                row[0] for row in conn.execute("SELECT entry FROM briefmap_removal ORDER BY id")
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
            note=older_note(version) if version < SCHEMA_VERSION else None,
            removals=tuple(removals),
        )

    def check(self) -> None:
        """StoreError when the store cannot be read (a damaged or missing table says so)."""
        with self._connect() as conn:
            self._ensure(conn)
            self._reading(lambda: conn.execute("SELECT count(*) FROM briefmap_event").fetchone())

    def snapshot(self):
        """The store as of its current generation (`layers.events.backend.EventSnapshot`)."""
        from layers.events.query import ParquetSnapshot  # the one engine for both backends

        return ParquetSnapshot.of(self, self.describe())

    def query(self, view, frame, geodata):
        return self.snapshot().query(view, frame, geodata)

    def follow(self) -> None:
        """Keep this process's caches in step with the database: when an import on any
        server commits a generation (NOTIFY), the cached map columns of older generations
        are dropped (a snapshot in flight keeps its own, and the row identities of the one
        before stay for its popups and exports), and a process that held this store's map
        columns loads the new generation's at once, so the next map does not wait for them."""
        self._db.once("event-store-follow", lambda: self._db.listen(CHANNEL, self._heard))

    def _heard(self, payload: str) -> None:
        from layers.events import query

        location = _shown(self.dsn)
        generation = int(payload) if payload.isdigit() else self.describe().generation
        ours = ("postgis", location)
        held = query.forget(lambda key: key[:2] == ours and key[2] < generation)
        eventread.forget(location, generation - 1)
        if any(key[:2] == ours for key in held):
            self.snapshot()  # loads `generation`'s columns (if still the current one)

    # -- what the snapshot reads (`layers.events.backend.ColumnFiles`) ----------------------
    def index_key(self, info: StoreInfo) -> tuple:
        return eventread.index_key(_shown(self.dsn), info)

    def scan(self, columns, info: StoreInfo | None = None):
        info = info or self.describe()
        with self._connect() as conn:
            return self._reading(
                lambda: eventread.scan(conn, self.index_key(info), info.generation, columns)
            )

    def details(self, generation: int, rows) -> list[dict]:
        with self._connect() as conn:
            key = eventread.index_key(_shown(self.dsn), _at(generation))
            found = self._reading(lambda: eventread.details(conn, key, generation, rows))
        return self._held(found, generation)

    def take(self, generation: int, rows, columns) -> pa.Table:
        with self._connect() as conn:
            key = eventread.index_key(_shown(self.dsn), _at(generation))
            found = self._reading(lambda: eventread.take(conn, key, generation, rows, columns))
        return self._held(found, generation)

    def _held(self, found, generation: int):
        if found is None:
            raise PostgisStoreError(
                f"{_shown(self.dsn)}: generation {generation} is no longer held (two imports "
                "since); show the map again"
            )
        return found

    def _reading(self, read):
        import psycopg

        try:
            return read()
        except psycopg.Error as exc:
            raise PostgisStoreError(
                f"{_shown(self.dsn)}: cannot read the events ({_first(exc)})"
            ) from None

    # -- writing --------------------------------------------------------------------------
    def upsert(self, batch: pa.Table, source: Source, *, may_raise_marking: bool = False) -> Counts:
        return self.apply(batch, None, source, may_raise_marking=may_raise_marking)

    def delete(self, deletions: Deletions, source: Source) -> Counts:
        return self.apply(None, deletions, source)

    def apply(
        self,
        batch: pa.Table | None,
        deletions: Deletions | None,
        source: Source,
        *,
        may_raise_marking: bool = False,
    ) -> Counts:
        """Upsert `batch`, then apply `deletions`, as one transaction (nothing of it is kept
        if any part fails: PostgisStoreError saying why), recorded with who and when;
        MarkingRaiseError if it would raise the store's marking and the caller may not
        (checked under the import lock, `layers.events.attribution`)."""
        import psycopg

        source = replace(source, by=source.by or self.user or "")
        with self._connect() as conn:
            self._ensure(conn)
            try:
                with conn.transaction():
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_IMPORT,))
                    self.stage("locked")  # connected, the schema checked, one import at a time
                    entries = _entries(conn)
                    check_raise(entries, source.file, source.marking, may_raise_marking)
                    (ident,) = conn.execute(NEXT_IMPORT).fetchone()
                    (now,) = conn.execute("SELECT generation FROM briefmap_store").fetchone()
                    nxt = now + 1  # the generation this import makes, if it changes anything
                    counts = Counts()
                    if batch is not None:
                        counts = self._merge(conn, batch, nxt, ident)
                    if deletions is not None:
                        removed, missing = eventwrite.delete(conn, deletions, nxt)
                        counts = replace(counts, removed=removed, not_found=missing)
                    self.stage("merged")
                    self._commit(conn, source, counts, ident)
                self.stage("committed")
            except psycopg.Error as exc:
                raise PostgisStoreError(
                    f"{_shown(self.dsn)}: {source.file} not imported, the store is as it was "
                    f"({_first(exc)})"
                ) from None
        return counts

    def remove_import(self, import_id: int, *, by: str = "") -> Removal:
        """Delete the events whose current version import `import_id` wrote, and its record,
        recording the removal, in one transaction under the import lock, with a generation
        bump and a NOTIFY as an import's (`layers.events.records`); RemovalError, nothing
        changed, for an id the store does not have."""
        import psycopg

        with self._connect() as conn:
            self._ensure(conn)
            try:
                with conn.transaction():
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_IMPORT,))
                    self.stage("locked")
                    entries = _entries(conn)
                    entry = find(entries, import_id)
                    (now,) = conn.execute("SELECT generation FROM briefmap_store").fetchone()
                    events = conn.execute(END_IMPORT, {"g": now + 1, "i": import_id}).rowcount
                    done = removal(entries, entry, events, by or self.user or "")
                    self.stage("merged")
                    conn.execute("DELETE FROM briefmap_import WHERE id = %s", (import_id,))
                    generation = eventwrite.bump(conn, bool(events))
                    eventwrite.record_removal(conn, generation, done.record)
                self.stage("committed")
            except psycopg.Error as exc:
                raise PostgisStoreError(
                    f"{_shown(self.dsn)}: import {import_id} not removed, the store is as it was "
                    f"({_first(exc)})"
                ) from None
        return done

    def _merge(self, conn, batch: pa.Table, generation: int, ident: int) -> Counts:
        (held,) = conn.execute("SELECT rows FROM briefmap_store").fetchone()
        counts = Counts(new=batch.num_rows)  # an empty store: every row is new
        if held:  # only the new and revised rows go to the server
            keep, counts = eventread.changed_rows(conn, batch)
            batch = batch.filter(pa.array(keep))
        # an empty table gets its indexes after its rows (readers wait for this import's
        # commit: there is nothing to read before it); a rollback keeps them as they were
        (rebuild,) = conn.execute("SELECT NOT EXISTS (SELECT 1 FROM briefmap_event)").fetchone()
        rebuild = rebuild and batch.num_rows > 0
        if rebuild:
            conn.execute(DROP_INDEXES)
        conn.execute(
            "CREATE TEMP TABLE briefmap_stage (LIKE briefmap_event) ON COMMIT DROP; "
            "ALTER TABLE briefmap_stage DROP COLUMN geom, DROP COLUMN gen_from, "
            "DROP COLUMN gen_to, DROP COLUMN import_id"
        )
        columns = sql.SQL(", ").join(map(sql.Identifier, COLUMNS))
        copy_sql = sql.SQL("COPY briefmap_stage ({}) FROM STDIN (FORMAT binary)")
        with conn.cursor().copy(copy_sql.format(columns)) as copy:
            for k, chunk in enumerate(binary_chunks(batch)):
                copy.write(chunk)
                if k == 1:  # the header and the first rows are with the server
                    self.stage("copying")
        # a revised event's current version ends with this generation; the new version and
        # the new events begin with it (the versions before stay for snapshots in flight)
        if counts.revised:
            conn.execute("ANALYZE briefmap_stage")
            conn.execute(END_REVISED, {"g": generation})
        conn.execute(INSERT_ALL, {"g": generation, "i": ident})
        if rebuild:
            conn.execute(MAKE_INDEXES)
            conn.execute("ANALYZE briefmap_event")  # the planner learns of the new rows
        return counts

    def _commit(self, conn, source: Source, counts: Counts, ident: int) -> None:
        generation = eventwrite.bump(conn, bool(counts.new or counts.revised or counts.removed))
        entry = import_entry(source, counts, ident)
        conn.execute(
            "INSERT INTO briefmap_import (id, generation, entry, imported_by) "
            "VALUES (%s, %s, %s, %s)",
            (ident, generation, json.dumps(entry, ensure_ascii=False), entry["by"]),
        )
        conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(generation)))


_first = first_line


def _entries(conn) -> list[dict]:
    """The store's import records, oldest first."""
    return [row[0] for row in conn.execute("SELECT entry FROM briefmap_import ORDER BY id")]


def _has_table(conn, name: str) -> bool:
    return conn.execute("SELECT to_regclass(%s) IS NOT NULL", (name,)).fetchone()[0]


def _at(generation: int) -> StoreInfo:
    """A description naming only a generation (enough for its cache key)."""
    return StoreInfo("", generation, 0, None, (), None, None)
