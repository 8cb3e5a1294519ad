"""The team database as a process uses it (`layers.team.database`): reruns cost no DDL and
no new connection; PostgreSQL stopped is said (without the password) by the store and the
briefings alike, and once it runs again the same objects carry on, with no restart.

What is counted, and how: DDL statements by the server itself (an event trigger on
`ddl_command_start`, which fires for `CREATE … IF NOT EXISTS` even when nothing is made);
connections by a wrapper around psycopg's `Connection.connect`, which the pool and the direct
tries both go through (pg_stat_statements is not installed, and pg_stat_database's session
counts are flushed up to a second late)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from layers.briefing import Role
from layers.events import synth
from layers.events.backend import Frame
from layers.events.store import Source
from layers.paths import PROJECT_ROOT
from layers.runtime import Runtime
from layers.settings import resolve
from layers.team import database as team_db
from layers.team.briefings import BriefingsUnreachable, open_briefings
from layers.team.cluster import Cluster, free_port
from layers.team.eventstore import PostgisStore, PostgisStoreError, StoreUnreachable
from layers.view import View

REGION = (35.0, 29.5, 48.5, 37.6)
COUNT_DDL = """
CREATE TABLE briefmap_test_ddl (tag text);
CREATE FUNCTION briefmap_test_ddl_seen() RETURNS event_trigger LANGUAGE plpgsql AS
    $$ BEGIN INSERT INTO briefmap_test_ddl VALUES (tg_tag); END $$;
CREATE EVENT TRIGGER briefmap_test_ddl ON ddl_command_start
    EXECUTE FUNCTION briefmap_test_ddl_seen();
"""


def _source(rows: int, name: str = "a.csv") -> Source:
    return Source(name, "0" * 64, rows, "acled")


@pytest.fixture
def connections(monkeypatch):
    """How many connections this process opens from now on (every path goes through
    `psycopg.Connection.connect`)."""
    made = []
    real = psycopg.Connection.connect.__func__

    def counted(cls, *args, **kwargs):
        made.append(1)
        return real(cls, *args, **kwargs)

    monkeypatch.setattr(psycopg.Connection, "connect", classmethod(counted))
    return made


def _ddl_seen(dsn: str) -> list[str]:
    with psycopg.connect(dsn) as conn:
        return [r[0] for r in conn.execute("SELECT tag FROM briefmap_test_ddl")]


def test_reruns_make_no_schema_and_no_connection(database, geodata, connections):
    with psycopg.connect(database) as conn:
        conn.execute(COUNT_DDL)
    runtime = Runtime(resolve({"store": database, "reports": ""}, environ={}))
    runtime.store().apply(synth.table(300, seed=7), None, _source(300))
    made_schema = _ddl_seen(database)
    assert "CREATE TABLE" in made_schema  # the trigger sees the store's own DDL
    opened = len(connections)
    for _ in range(40):  # what reruns of the app ask of the store
        store = runtime.store()
        snapshot = store.snapshot()
        result = store.query(View(), Frame(REGION, 6.0), geodata)
        assert (snapshot.info.rows, result.shown) == (300, 300)
    assert runtime.store() is runtime.store()
    assert _ddl_seen(database) == made_schema  # not one DDL statement more
    # at most the pool growing while the listener (Runtime follows the store) reads too
    assert len(connections) - opened <= 2  # not one or more per rerun
    stats = team_db.shared(database).pool_stats()
    assert stats["connections_num"] <= 3 and team_db.shared(database).pools_made == 1
    assert stats["requests_num"] >= 80  # every call went through the pool


def test_new_store_objects_share_the_process_pool(database, connections):
    PostgisStore(database).check()
    opened = len(connections)
    for _ in range(20):
        assert PostgisStore(database).describe().rows == 0
    assert len(connections) - opened <= 1


@pytest.fixture
def own_cluster():
    """A PostgreSQL server this test stops and starts (the session's is shared)."""
    folder = Path(tempfile.mkdtemp(dir="/tmp", prefix="briefmap-test-restart-"))
    cluster = Cluster(folder, free_port())
    cluster.init().start()
    with psycopg.connect(cluster.dsn(), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier("team")))
    yield cluster
    team_db.forget(cluster.dsn("team"))
    cluster.remove()


def test_a_stopped_database_is_said_and_the_same_objects_carry_on(own_cluster, geodata):
    dsn = own_cluster.dsn("team")
    password = dsn.split(":")[2].split("@")[0]
    store, briefings = PostgisStore(dsn), open_briefings(dsn, geodata)
    events = synth.table(210, seed=8)
    store.apply(events.slice(0, 200), None, _source(200))
    briefing = briefings.create(geodata.walkthroughs["iraq-syria-2025"], 2)
    assert store.query(View(), Frame(REGION, 6.0), geodata).shown == 200

    own_cluster.stop()
    for ask in (store.describe, lambda: store.query(View(), Frame(), geodata), store.check):
        with pytest.raises(StoreUnreachable, match="the database is unreachable") as caught:
            ask()
        assert isinstance(caught.value, PostgisStoreError)
        assert f":{own_cluster.port}/team" in str(caught.value)
        assert password not in str(caught.value)
    with pytest.raises(StoreUnreachable):
        store.apply(synth.table(5, seed=9), None, _source(5, "b.csv"))
    with pytest.raises(BriefingsUnreachable, match="unreachable") as caught:
        briefings.find(briefing.presenter_key)
    assert password not in str(caught.value)

    own_cluster.start()  # the same folder and port: the same database, back
    assert store.describe().rows == 200
    assert store.query(View(), Frame(REGION, 6.0), geodata).shown == 200
    seat = briefings.find(briefing.presenter_key)
    assert (seat.role, seat.briefing.index) == (Role.PRESENTER, 2)
    assert store.apply(events, None, _source(210, "c.csv")).new == 10


def test_a_restart_between_two_calls_goes_unnoticed(own_cluster, geodata):
    dsn = own_cluster.dsn("team")
    store, briefings = PostgisStore(dsn), open_briefings(dsn, geodata)
    store.apply(synth.table(50, seed=10), None, _source(50))
    briefing = briefings.create(geodata.walkthroughs["iraq-syria-2025"])
    made = team_db.shared(dsn).pools_made
    own_cluster.stop()
    own_cluster.start()  # the pool's idle connections are dead now
    assert store.describe().rows == 50  # no error: the dead connections were replaced
    assert briefings.act(briefing.presenter_key, "next").index == 1
    assert team_db.shared(dsn).pools_made == made + 1


def _wait_for(condition, seconds: float = 60.0) -> bool:
    """Whether `condition()` came true within `seconds` (checked as it changes, no sleep)."""
    deadline = time.monotonic() + seconds
    pause = threading.Event()
    while not condition():
        if time.monotonic() > deadline:
            return False
        pause.wait(0.05)
    return True


def test_another_servers_import_reaches_this_processs_caches(database, geodata):
    """A replica follows the generation (LISTEN/NOTIFY): the import of another process
    drops this one's columns of old generations and loads the new generation's."""
    from layers.events import query

    events = synth.table(120, seed=11)
    store = PostgisStore(database)
    store.apply(events.slice(0, 100), None, _source(100))
    store.follow()
    assert store.query(View(), Frame(), geodata).shown == 100
    ours = ("postgis", store.describe().location)
    held = lambda: sorted(k[2] for k in query._CACHE if k[:2] == ours)  # noqa: E731
    assert held() == [1]
    child = (
        "import sys; from layers.events import synth; from layers.events.store import Source;"
        "from layers.team.eventstore import PostgisStore;"
        "t = synth.table(120, seed=11); s = PostgisStore(sys.argv[1]);"
        "s.apply(t.slice(0, 110), None, Source('b.csv', '0' * 64, 110, 'acled'));"
        "s.apply(t, None, Source('c.csv', '0' * 64, 120, 'acled'))"
    )
    subprocess.run(  # noqa: S603 - our own child
        [sys.executable, "-c", child, database], cwd=PROJECT_ROOT, check=True, timeout=120
    )
    assert _wait_for(lambda: held() == [3])  # the older columns dropped, the new loaded
    assert store.query(View(), Frame(), geodata).shown == 120
