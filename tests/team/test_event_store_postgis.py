"""The PostGIS event store against the GeoParquet one: the same imports give the same counts,
the same events and the same import records; one import at a time; a failed import leaves the
store as it was; a store from a newer briefmap is refused."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading

import psycopg
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from layers.events import synth
from layers.events.merge import Deletions
from layers.events.store import ParquetStore, Source
from layers.paths import PROJECT_ROOT
from layers.team.eventstore import (
    SCHEMA_VERSION,
    PostgisStore,
    PostgisStoreError,
    StoreUnreachable,
)

RAISE = {"may_raise_marking": True}


def source(name: str, rows: int, marking: str = "TLP:CLEAR") -> Source:
    return Source(file=name, sha256="0" * 64, rows=rows, format="acled", marking=marking)


def revised(table: pa.Table, every: int, later: int = 86_400) -> pa.Table:
    """Every `every`-th event again, with a newer timestamp and one more fatality."""
    picked = table.take(pa.array(range(0, table.num_rows, every)))
    stamps = pc.add(picked.column("timestamp"), later)
    deaths = pc.add(picked.column("fatalities"), pa.scalar(1, pa.int32()))
    picked = picked.set_column(picked.schema.get_field_index("timestamp"), "timestamp", stamps)
    return picked.set_column(picked.schema.get_field_index("fatalities"), "fatalities", deaths)


def stored(dsn: str) -> dict[str, tuple]:
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            "SELECT event_id_cnty, timestamp, fatalities, notes, admin3, h3, "
            "ST_X(geom), ST_Y(geom), date_start FROM briefmap_event WHERE gen_to IS NULL"
        ).fetchall()
    return {r[0]: tuple(r[1:]) for r in rows}


def density(dsn: str) -> set[tuple]:
    with psycopg.connect(dsn) as conn:
        return set(conn.execute("SELECT h3, month, event_type, events FROM briefmap_density"))


def density_of_current_events(dsn: str) -> set[tuple]:
    """The rollup worked out afresh from the current events (the import keeps it by
    difference)."""
    with psycopg.connect(dsn) as conn:
        return set(
            conn.execute(
                "SELECT h3, date_trunc('month', date_start)::date, coalesce(event_type, ''), "
                "count(*)::int FROM briefmap_event WHERE gen_to IS NULL "
                "AND date_start IS NOT NULL GROUP BY 1, 2, 3"
            )
        )


def parquet_rows(store: ParquetStore) -> dict[str, tuple]:
    table = store.table()
    out = {}
    for r in table.to_pylist():
        out[r["event_id_cnty"]] = (
            r["timestamp"],
            r["fatalities"],
            r["notes"],
            r["admin3"],
            r["h3"],
            r["longitude"],
            r["latitude"],
            r["date_start"],
        )
    return out


def test_the_same_imports_give_the_same_store(database, tmp_path):
    pg, pq = PostgisStore(database), ParquetStore(tmp_path / "store")
    first = synth.table(400, seed=3)
    again = revised(first, every=7)
    stale = revised(first, every=11, later=-86_400)
    gone = Deletions(ids=("IRQ1", "IRQ2", "NOPE9"), timestamps=(4_000_000_000, 1, 5))
    steps = [
        (first, None, source("a.csv", 400)),
        (again, None, source("b.csv", again.num_rows)),
        (stale, gone, source("c.csv", stale.num_rows, "TLP:AMBER")),
        (first.slice(0, 50), None, source("d.csv", 50)),  # nothing new: no new generation
    ]
    may = {"may_raise_marking": True}  # c.csv raises the marking to TLP:AMBER
    for batch, deletions, src in steps:
        assert pg.apply(batch, deletions, src, **may) == pq.apply(batch, deletions, src, **may)
    a, b = pg.describe(), pq.describe()
    assert (a.generation, a.rows, a.first_date, a.last_date) == (
        b.generation,
        b.rows,
        b.first_date,
        b.last_date,
    )
    assert [e["counts"] for e in a.imports] == [e["counts"] for e in b.imports]
    assert a.marking() == b.marking() and a.marking().label == "TLP:AMBER"
    left, right = stored(database), parquet_rows(pq)
    assert left.keys() == right.keys() and "IRQ1" not in left
    assert density(database) == density_of_current_events(database)
    for ident, row in right.items():
        assert left[ident][:5] == row[:5], ident  # revisions, text ('' stays ''), h3
        assert left[ident][5:7] == pytest.approx(row[5:7])
        assert left[ident][7] == row[7]


def test_a_failed_import_leaves_the_store_as_it_was(database):
    pg = PostgisStore(database)
    pg.upsert(synth.table(100, seed=5), source("a.csv", 100))
    before, info = stored(database), pg.describe()
    broken = synth.table(100, seed=6)
    ids = broken.column("event_id_cnty").to_pylist()
    ids[-1] = None  # the last row breaks the COPY after the others are staged
    broken = broken.set_column(0, "event_id_cnty", pa.array(ids, pa.string()))
    with pytest.raises(PostgisStoreError, match="b.csv not imported, the store is as it was"):
        pg.upsert(broken, source("b.csv", 100))
    after = pg.describe()
    assert stored(database) == before
    assert (after.generation, after.rows, len(after.imports)) == (
        info.generation,
        info.rows,
        len(info.imports),
    )


def _indexes(dsn: str) -> set[str]:
    with psycopg.connect(dsn) as conn:
        return {
            row[0]
            for row in conn.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'briefmap_event'"
            )
        }


def test_the_first_import_makes_the_indexes_again_and_a_failed_one_keeps_them(database):
    pg = PostgisStore(database)
    pg.describe()  # the schema made
    made = _indexes(database)
    assert {"briefmap_event_pkey", "briefmap_event_current", "briefmap_event_from"} <= made
    broken = synth.table(100, seed=6)
    ids = broken.column("event_id_cnty").to_pylist()
    ids[-1] = None  # breaks the COPY after the indexes were dropped
    broken = broken.set_column(0, "event_id_cnty", pa.array(ids, pa.string()))
    with pytest.raises(PostgisStoreError, match="a.csv not imported, the store is as it was"):
        pg.upsert(broken, source("a.csv", 100))
    assert _indexes(database) == made and pg.describe().rows == 0
    first = synth.table(300, seed=7)
    assert pg.upsert(first, source("b.csv", 300)).new == 300
    assert _indexes(database) == made
    assert density(database) == density_of_current_events(database)
    again = revised(first, every=4)
    assert pg.upsert(again, source("c.csv", again.num_rows)).revised == again.num_rows
    assert density(database) == density_of_current_events(database)
    with psycopg.connect(database) as conn:  # the key holds: one current version of each
        (twice,) = conn.execute(
            "SELECT count(*) FROM (SELECT event_id_cnty FROM briefmap_event "
            "WHERE gen_to IS NULL GROUP BY 1 HAVING count(*) > 1) AS t"
        ).fetchone()
    assert twice == 0 and len(stored(database)) == 300


def test_two_imports_at_once_are_applied_one_after_the_other(database):
    PostgisStore(database).check()  # the schema, once
    batches = [synth.table(300, seed=s) for s in (21, 22)]
    start = threading.Barrier(2)
    errors = []

    def run(batch, name):
        try:
            start.wait()
            PostgisStore(database).upsert(batch, source(name, batch.num_rows))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(b, f"{i}.csv")) for i, b in enumerate(batches)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    info = PostgisStore(database).describe()
    assert [e["generation"] for e in _imports(database)] == [1, 2]  # never both on one
    assert info.generation == 2
    expected = len(set().union(*(b.column("event_id_cnty").to_pylist() for b in batches)))
    assert info.rows == expected


def _imports(dsn: str) -> list[dict]:
    with psycopg.connect(dsn) as conn:
        return [
            {"generation": g}
            for (g,) in conn.execute("SELECT generation FROM briefmap_import ORDER BY id")
        ]


def test_a_store_from_a_newer_briefmap_is_refused(database):
    PostgisStore(database).check()
    with psycopg.connect(database) as conn:
        conn.execute("UPDATE briefmap_store SET schema_version = %s", (SCHEMA_VERSION + 1,))
    with pytest.raises(
        PostgisStoreError,
        match=rf"schema version {SCHEMA_VERSION + 1}, written by a newer briefmap",
    ):
        PostgisStore(database).describe()


def test_an_unreachable_database_is_said_without_its_password(pg_cluster):
    dsn = pg_cluster.dsn("postgres").replace(f":{pg_cluster.port}/", ":1/")
    password = dsn.split(":")[2].split("@")[0]
    with pytest.raises(StoreUnreachable, match="the database is unreachable") as caught:
        PostgisStore(dsn).describe()
    assert password not in str(caught.value)
    assert isinstance(caught.value, PostgisStoreError)  # a StoreError, caught where they are


def test_an_import_killed_mid_copy_leaves_the_store_as_it_was(database):
    pg, events = PostgisStore(database), synth.table(60, seed=5)
    pg.upsert(events.slice(0, 50), source("a.csv", 50))
    before, info = stored(database), pg.describe()
    child = subprocess.Popen(  # noqa: S603 - our own test child
        [sys.executable, "-m", "tests.team.import_child", database, "70000"],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "copying"
        with psycopg.connect(database) as conn:
            (copying,) = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY briefmap_stage%%'"
            ).fetchone()
        assert copying == 1  # the server is in the COPY when the importer dies
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    assert stored(database) == before
    assert pg.describe().generation == info.generation
    counts = pg.upsert(events, source("b.csv", 60))  # the lock went with it
    assert counts.new == 10 and pg.describe().generation == info.generation + 1


def test_a_removal_killed_before_commit_leaves_the_store_as_it_was(database):
    pg = PostgisStore(database)
    pg.upsert(synth.table(30, seed=6), source("a.csv", 30))
    pg.upsert(revised(synth.table(30, seed=6), 3), source("b.csv", 10, "TLP:RED"), **RAISE)
    ident = pg.describe().imports[-1]["id"]
    before, info = stored(database), pg.describe()
    child = subprocess.Popen(  # noqa: S603 - our own test child
        [sys.executable, "-m", "tests.team.import_child", database, "remove", str(ident)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "removing"
        with psycopg.connect(database) as conn:  # the ended versions, not yet committed
            (current,) = conn.execute(
                "SELECT count(*) FROM briefmap_event WHERE gen_to IS NULL"
            ).fetchone()
        assert current == 30
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    after = pg.describe()
    assert stored(database) == before
    assert (after.generation, after.imports, after.removals) == (
        info.generation,
        info.imports,
        (),
    )
    assert after.marking().label == "TLP:RED"
    done = pg.remove_import(ident)  # the lock went with it
    assert (done.events, pg.describe().rows, pg.describe().marking().label) == (
        10,
        20,
        "TLP:CLEAR",
    )


def test_binary_copy_keeps_every_value_and_null(database):
    """Every column through binary COPY and back: nulls of each type, '' beside NULL, Arabic
    text, dates before 2000 (PostgreSQL counts from 2000-01-01), negative coordinates."""
    from layers.team.eventschema import COLUMNS

    table = synth.table(40, seed=31)
    for name in COLUMNS:
        if name in ("event_id_cnty", "timestamp", "latitude", "longitude"):
            continue
        values = table.column(name).to_pylist()
        values[1] = None  # a null of every type the store holds
        if pa.types.is_string(table.schema.field(name).type):
            values[2], values[3] = "", "دير الزور <b>&amp;</b>"
        table = table.set_column(
            table.schema.get_field_index(name),
            name,
            pa.array(values, table.schema.field(name).type),
        )
    dates = table.column("date_start").to_pylist()
    dates[4] = dates[4].replace(year=1997)
    table = table.set_column(
        table.schema.get_field_index("date_start"), "date_start", pa.array(dates, pa.date32())
    )
    lon = table.column("longitude").to_pylist()
    lon[5] = -0.125
    table = table.set_column(
        table.schema.get_field_index("longitude"), "longitude", pa.array(lon, pa.float64())
    )
    store = PostgisStore(database)
    store.apply(table, None, source("every.csv", 40))
    shown = store.take(store.describe().generation, list(range(40)), COLUMNS)  # by id
    expected = table.select(COLUMNS).sort_by("event_id_cnty")
    assert shown.sort_by("event_id_cnty").to_pylist() == expected.to_pylist()
