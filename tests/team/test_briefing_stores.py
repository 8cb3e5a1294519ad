"""The briefing store contract: every store the app can use (in this server's memory, or in
PostgreSQL for a team) passes the same tests; then what only a shared store can do: two app
servers on one briefing, a restart that loses nothing, keys never stored as given, and
presses from two servers at once applied one after the other."""

from __future__ import annotations

import threading

import psycopg
import pytest

from layers.briefing import MAX_PER_PRESENTER, BriefingError, BriefingRoom, Role, new_secret
from layers.team.briefings import audience_key_for, open_briefings
from layers.team.database import Database

WALK = "iraq-syria-2025"


@pytest.fixture(scope="module")
def walkthrough(geodata):
    return geodata.walkthroughs[WALK]


@pytest.fixture(params=["memory", "postgresql"])
def make_store(request, geodata):
    """`make_store(**limits)`: a new store of the kind under test (the same database for
    every store this test makes, as servers of one team share one)."""
    made = []

    def make(**limits):
        if request.param == "memory":
            return BriefingRoom(**limits)
        dsn = request.getfixturevalue("database")
        store = open_briefings(dsn, geodata, Database(dsn), **limits)
        made.append(store)
        return store

    yield make
    for store in made:
        store._db.close()


def test_moves_stay_within_bounds_and_blank(make_store, walkthrough):
    store = make_store()
    b = store.create(walkthrough, 4)
    key, last = b.presenter_key, len(walkthrough.scenes) - 1
    assert b.index == 4 and b.version == 1
    assert store.find(key).briefing.index == 4  # joining does not move it
    for _ in range(10):
        store.act(key, "prev")
    assert store.find(key).briefing.index == 0
    assert store.act(key, "last").index == last
    blanked = store.act(key, "blank")
    assert blanked.blank and blanked.version == 13
    moved = store.act(key, "prev")
    assert not moved.blank and moved.index == last - 1  # moving unblanks
    assert store.find("other-key-that-is-long-enough") is None


def test_only_the_presenter_drives(make_store, walkthrough):
    store = make_store()
    b = store.create(walkthrough)
    assert b.presenter_key != b.audience_key
    assert all(len(k) >= 22 for k in (b.presenter_key, b.audience_key))  # >= 128 bits
    assert store.find(b.presenter_key).role == Role.PRESENTER
    assert store.find(b.presenter_key).briefing.audience_key == b.audience_key
    audience = store.find(b.audience_key)
    assert audience.role == Role.AUDIENCE and audience.key == b.audience_key
    assert audience.briefing.presenter_key != b.presenter_key  # never handed to the audience
    for action in ("next", "last", "blank", "first", "pause"):
        with pytest.raises(BriefingError, match="audience key cannot drive"):
            store.act(b.audience_key, action)
    assert store.find(b.presenter_key).briefing.version == 1  # nothing moved
    with pytest.raises(BriefingError, match="unknown action"):
        store.act(b.presenter_key, "explode")
    other = store.create(walkthrough)
    assert {other.presenter_key, other.audience_key}.isdisjoint({b.presenter_key, b.audience_key})


@pytest.mark.parametrize(
    "key", [None, "", "short", "x" * 65, "../../etc/passwd-aaaaaaaaaaaa", ["list"], "é" * 30]
)
def test_implausible_keys_are_never_looked_up(make_store, walkthrough, key):
    store = make_store()
    store.create(walkthrough)
    assert store.find(key) is None
    assert store.version(key) is None
    with pytest.raises(BriefingError):
        store.act(key, "next")


def test_the_version_either_key_reads_follows_every_move_and_is_not_activity(
    make_store, walkthrough
):
    """What a window polls: the version for either key, None once ended, expired or unknown;
    asking it never keeps a briefing alive (only the presenter does)."""
    now = [1000.0]
    store = make_store(idle_seconds=60, clock=lambda: now[0])
    b = store.create(walkthrough)
    assert store.version(b.presenter_key) == store.version(b.audience_key) == 1
    store.act(b.presenter_key, "next")
    store.act(b.presenter_key, "blank")
    assert store.version(b.audience_key) == 3 == store.find(b.audience_key).briefing.version
    assert store.version(new_secret()) is None
    for _ in range(5):
        now[0] += 20
        assert store.version(b.audience_key) in (3, None)  # polled, but not kept alive
    assert store.version(b.audience_key) is None and store.version(b.presenter_key) is None
    other = store.create(walkthrough)
    assert store.end(other.channel)
    assert store.version(other.audience_key) is None


def test_briefings_expire_when_idle_and_are_bounded(make_store, walkthrough):
    now = [1000.0]
    store = make_store(idle_seconds=60, max_briefings=2, clock=lambda: now[0])
    a = store.create(walkthrough)
    b = store.create(walkthrough)
    with pytest.raises(BriefingError, match="already hold"):
        store.create(walkthrough)
    now[0] += 50
    store.find(a.presenter_key)  # the presenter's window keeps its briefing alive
    now[0] += 30
    assert store.find(b.presenter_key) is None and store.find(b.audience_key) is None
    with pytest.raises(BriefingError, match="no such briefing"):
        store.act(b.presenter_key, "next")
    assert store.find(a.audience_key) is not None
    assert len(store) == 1
    store.create(walkthrough)  # room again


def test_the_limit_is_per_presenter_so_nobody_locks_out_another(make_store, walkthrough):
    store = make_store(max_briefings=MAX_PER_PRESENTER * 3)
    for _ in range(MAX_PER_PRESENTER):
        store.create(walkthrough, 0, owner="alice")
    with pytest.raises(BriefingError, match=f"alice already holds {MAX_PER_PRESENTER}"):
        store.create(walkthrough, 0, owner="alice")
    bob = store.create(walkthrough, 2, owner="bob")  # alice's briefings do not count for bob
    assert store.find(bob.presenter_key).role == Role.PRESENTER
    for _ in range(MAX_PER_PRESENTER + 1):  # no sign-in: only the server's limit applies
        store.create(walkthrough, 0)


def test_an_admin_sees_every_briefing_without_keys_and_may_end_one(make_store, walkthrough):
    store = make_store()
    first = store.create(walkthrough, 1, owner="alice")
    second = store.create(walkthrough, 3, owner="bob")
    store.act(second.presenter_key, "next")
    running = store.in_progress()
    assert [(r.owner, r.index, r.walkthrough.id) for r in running] == [
        ("alice", 1, WALK),
        ("bob", 4, WALK),
    ]
    shown = repr(running)
    for key in (first.presenter_key, first.audience_key, second.presenter_key):
        assert key not in shown  # an admin's list holds no key
    assert store.end(first.channel) is True
    assert store.find(first.presenter_key) is None and store.find(first.audience_key) is None
    assert store.end(first.channel) is False  # already ended
    assert store.end("no-such-channel") is False
    assert [r.owner for r in store.in_progress()] == ["bob"]
    assert store.find(second.audience_key).briefing.index == 4  # the other one goes on


def test_pause_is_said_and_any_move_or_resume_ends_it(make_store, walkthrough):
    store = make_store()
    b = store.create(walkthrough, 2)
    key = b.presenter_key
    store.act(key, "blank")
    paused = store.act(key, "pause")
    assert paused.paused and not paused.blank  # a stopped room is told, never left black
    assert paused.version == b.version + 2
    assert store.act(key, "pause").version == paused.version  # pausing twice changes nothing
    assert store.find(b.audience_key).briefing.paused
    resumed = store.act(key, "resume")
    assert not resumed.paused and resumed.index == 2 and resumed.version == paused.version + 1
    assert store.act(key, "resume").version == resumed.version
    store.act(key, "pause")
    moved = store.act(key, "next")
    assert not moved.paused and moved.index == 3


def test_the_walkthrough_comes_back_whole(make_store, walkthrough):
    store = make_store()
    b = store.create(walkthrough, 1)
    seen = make_store().find(b.audience_key) if not isinstance(store, BriefingRoom) else None
    seen = seen or store.find(b.audience_key)
    assert seen.briefing.walkthrough == walkthrough
    assert seen.briefing.scene.id == walkthrough.scenes[1].id


# -- only a shared store ----------------------------------------------------------------------
@pytest.fixture
def shared(database, geodata):
    stores = []

    def server(**limits):
        store = open_briefings(database, geodata, Database(database), **limits)  # a server's own
        stores.append(store)
        return store

    yield server
    for store in stores:
        store._db.close()


def test_a_presenter_on_one_server_drives_an_audience_on_another(shared, walkthrough):
    first, second = shared(), shared()
    b = first.create(walkthrough)
    assert second.find(b.audience_key).briefing.index == 0
    first.act(b.presenter_key, "next")
    second.act(b.presenter_key, "next")  # the presenter's next press lands on the other server
    seen = second.find(b.audience_key).briefing
    assert seen.index == 2 and seen.version == 3
    assert first.find(b.audience_key).briefing.version == 3


def test_a_restarted_server_loses_nothing(shared, walkthrough):
    before = shared()
    b = before.create(walkthrough, 3)
    before.act(b.presenter_key, "blank")
    before._db.close()  # the server goes away
    after = shared()  # and a new one starts on the same database
    seat = after.find(b.presenter_key)
    assert seat.role == Role.PRESENTER
    assert (seat.briefing.index, seat.briefing.blank, seat.briefing.version) == (3, True, 2)


def test_keys_are_stored_only_as_digests(shared, database, walkthrough):
    b = shared().create(walkthrough)
    with psycopg.connect(database) as conn:
        dump = "".join(
            str(row) for row in conn.execute("SELECT * FROM briefmap_briefing").fetchall()
        )
    for key in (b.presenter_key, b.audience_key):
        assert key not in dump and key.encode() not in dump.encode()
    assert audience_key_for(b.presenter_key) == b.audience_key


def test_presses_on_two_servers_at_once_are_each_applied_once(shared, walkthrough):
    servers = (shared(), shared())
    b = servers[0].create(walkthrough)
    presses = 12
    start = threading.Barrier(2 * len(servers))

    def press(store, action):
        start.wait()
        for _ in range(presses):
            store.act(b.presenter_key, action)

    threads = [
        threading.Thread(target=press, args=(store, action))
        for store in servers
        for action in ("blank", "blank")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seen = servers[1].find(b.audience_key).briefing
    assert seen.version == 1 + presses * len(threads)  # no press lost, none applied twice
    assert seen.blank is False  # an even number of toggles


def test_a_full_team_says_so_on_every_server(shared, walkthrough):
    first, second = shared(max_briefings=1), shared(max_briefings=1)
    first.create(walkthrough)
    with pytest.raises(BriefingError, match="already hold 1"):
        second.create(walkthrough)
