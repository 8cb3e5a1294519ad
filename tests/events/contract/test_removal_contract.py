"""The backend contract for removing an import (`remove_import`, `layers.events.records`), run
against every backend of `conftest.BACKENDS`: the removed import's events and record go in one
step, a record of the removal stays, and the store's marking is the highest of the imports
left; nothing else lowers it."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from layers.events import synth
from layers.events.backend import Frame
from layers.events.merge import Deletions
from layers.events.records import RemovalError
from layers.events.store import Source
from layers.view import View

RAISE = {"may_raise_marking": True}  # the caller may raise the store's marking (an admin)


def _source(name: str, rows: int, marking: str = "TLP:CLEAR") -> Source:
    return Source(name, "0" * 64, rows, "acled", marking=marking)


def _events(n: int, seed: int, prefix: str) -> pa.Table:
    """`n` synthetic events whose ids start with `prefix` (synth's ids repeat across seeds)."""
    table = synth.table(n, seed=seed)
    ids = pc.binary_join_element_wise(prefix, table.column("event_id_cnty"), "")
    return table.set_column(table.schema.get_field_index("event_id_cnty"), "event_id_cnty", ids)


def _ids(store, geodata) -> set[str]:
    selection = store.query(View(), Frame(counts=False), geodata).selection
    return set(selection.rows(["event_id_cnty"]).column(0).to_pylist())


def _later(table: pa.Table, rows: int) -> pa.Table:
    """The first `rows` events again, each one second newer (a revision)."""
    part = table.slice(0, rows)
    stamps = pc.add(part.column("timestamp"), 1)
    return part.set_column(part.schema.get_field_index("timestamp"), "timestamp", stamps)


def _state(store) -> tuple:
    info = store.describe()
    return info.generation, info.rows, info.imports, info.removals


def test_every_import_gets_an_id_never_used_again(backend, tmp_path):
    store = backend.open(tmp_path / "store")
    store.apply(_events(10, 1, "A"), None, _source("a.csv", 10))
    store.apply(_events(10, 2, "B"), None, _source("b.csv", 10))
    store.delete(Deletions(("NOSUCH",), (0,)), Source("", "0" * 64, 0, "acled"))
    first = [e["id"] for e in store.describe().imports]
    assert len(set(first)) == 3 and all(isinstance(i, int) and i > 0 for i in first)
    store.remove_import(first[-1], by="admin")
    store.apply(_events(10, 3, "C"), None, _source("c.csv", 10))
    ids = [e["id"] for e in store.describe().imports]
    assert ids[:2] == first[:2] and ids[2] not in first  # the removed id is not given again


def test_removing_the_import_that_raised_the_marking_lowers_it_back(backend, tmp_path, geodata):
    store = backend.open(tmp_path / "store")
    clear, red = _events(40, 4, "C"), _events(25, 5, "R")
    store.apply(clear, None, _source("clear.csv", 40))
    store.apply(red, None, _source("red.csv", 25, "TLP:RED"), **RAISE)
    info = store.describe()
    assert (info.marking().label, info.rows) == ("TLP:RED", 65)
    before = store.snapshot()
    red_id = info.imports[1]["id"]
    done = store.remove_import(red_id, by="amira@example.org")
    assert (done.events, done.marking_before, done.marking_after) == (25, "TLP:RED", "TLP:CLEAR")
    after = store.describe()
    assert after.marking().label == "TLP:CLEAR" and after.rows == 40
    assert after.generation == info.generation + 1
    assert [e["file"] for e in after.imports] == ["clear.csv"]
    assert _ids(store, geodata) == set(clear["event_id_cnty"].to_pylist())
    assert before.query(View(), Frame(), geodata).shown == 65  # a snapshot in flight keeps its own


def test_a_removal_is_recorded_with_who_when_which_and_how_many(backend, tmp_path):
    store = backend.open(tmp_path / "store")
    store.apply(_events(12, 6, "A"), None, _source("a.csv", 12))
    store.apply(_events(8, 7, "B"), None, _source("amber.csv", 8, "TLP:AMBER"), **RAISE)
    entry = store.describe().imports[1]
    start = datetime.now(UTC).replace(microsecond=0)
    store.remove_import(entry["id"], by="omar")
    end = datetime.now(UTC)
    (record,) = store.describe().removals
    assert (record["import"], record["file"], record["marking"]) == (
        entry["id"],
        "amber.csv",
        "TLP:AMBER",
    )
    assert (record["events"], record["by"], record["imported_by"]) == (8, "omar", entry["by"])
    assert (record["marking_before"], record["marking_after"]) == ("TLP:AMBER", "TLP:CLEAR")
    assert start <= datetime.fromisoformat(record["removed_at"]) <= end


@pytest.mark.parametrize("ident", [99, 0, -1, "1", True])
def test_removing_an_unknown_import_changes_nothing(backend, tmp_path, geodata, ident):
    store = backend.open(tmp_path / "store")
    table = _events(30, 8, "A")
    store.apply(table, None, _source("a.csv", 30, "TLP:AMBER"), **RAISE)
    before = _state(store)
    with pytest.raises(RemovalError, match="nothing was changed|not an import id"):
        store.remove_import(ident, by="omar")
    assert _state(store) == before
    assert _ids(store, geodata) == set(table["event_id_cnty"].to_pylist())
    assert store.describe().marking().label == "TLP:AMBER"


def test_removing_an_import_from_an_empty_store_is_refused(backend, tmp_path):
    store = backend.open(tmp_path / "store")
    with pytest.raises(RemovalError, match="no import 1 in the store.*has none"):
        store.remove_import(1)
    assert store.describe().imports == ()


def test_removing_one_import_leaves_the_others_events(backend, tmp_path, geodata):
    """Each event goes with the import that wrote its current row: a revision takes the event
    over (and goes with its import: the version it replaced is not kept), an import that
    brought a version already stored takes nothing over."""
    store = backend.open(tmp_path / "store")
    a, b = _events(30, 9, "A"), _events(20, 10, "B")
    store.apply(a, None, _source("a.csv", 30))
    store.apply(b, None, _source("b.csv", 20))
    store.apply(_later(a, 5), None, _source("a-revised.csv", 5))
    again = store.apply(b.slice(0, 8), None, _source("b-again.csv", 8))
    assert again.unchanged == 8
    ids = {e["file"]: e["id"] for e in store.describe().imports}
    generation = store.describe().generation
    nothing = store.remove_import(ids["b-again.csv"])
    assert nothing.events == 0 and store.describe().generation == generation  # no event changed
    assert _ids(store, geodata) == set(
        a["event_id_cnty"].to_pylist() + b["event_id_cnty"].to_pylist()
    )
    revised = store.remove_import(ids["a-revised.csv"])
    a_ids = a["event_id_cnty"].to_pylist()
    assert revised.events == 5
    assert _ids(store, geodata) == set(a_ids[5:] + b["event_id_cnty"].to_pylist())
    store.remove_import(ids["a.csv"])
    assert _ids(store, geodata) == set(b["event_id_cnty"].to_pylist())
    assert [e["file"] for e in store.describe().imports] == ["b.csv"]
    assert store.describe().rows == 20


def test_nothing_but_a_removal_lowers_the_marking(backend, tmp_path, geodata):
    store = backend.open(tmp_path / "store")
    store.apply(_events(20, 11, "C"), None, _source("clear.csv", 20))
    red = _events(20, 12, "R")
    store.apply(red, None, _source("red.csv", 20, "TLP:RED"), **RAISE)
    red_id = store.describe().imports[-1]["id"]
    gone = Deletions(tuple(red["event_id_cnty"].to_pylist()), (2**40,) * 20)
    store.delete(gone, Source("", "0" * 64, 0, "acled"))  # every red event deleted
    store.apply(red, None, _source("red.csv", 20))  # the same file again, marked lower
    store.apply(_events(5, 13, "G"), None, _source("green.csv", 5, "TLP:GREEN"))
    assert store.describe().marking().label == "TLP:RED"
    done = store.remove_import(red_id, by="admin")
    assert (done.events, done.marking_after) == (0, "TLP:GREEN")  # its events were deleted
    assert store.describe().marking().label == "TLP:GREEN"
    assert len(_ids(store, geodata)) == 45  # the red events came back with the clear import


def _parquet_as_before(store):
    """The store as a briefmap before import ids wrote it: no ids in the records, no
    import_id column in the data file."""
    import json

    import pyarrow.parquet as pq

    from layers.events.store import MANIFEST

    path = store.root / MANIFEST
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in data["imports"]:
        del entry["id"]
    path.write_text(json.dumps(data), encoding="utf-8")
    file = store.root / data["data"]
    table = pq.read_table(file)
    pq.write_table(table.drop_columns(["import_id"]), file)
    return store


def _postgis_as_before(store):
    """The same for PostGIS: no ids in the records, no import_id column; opened again by a
    process of its own (its own connections), which brings the table up to date."""
    import psycopg

    from layers.team.database import Database
    from layers.team.eventstore import PostgisStore

    with psycopg.connect(store.dsn) as conn:
        conn.execute("ALTER TABLE briefmap_event DROP COLUMN import_id")
        conn.execute("UPDATE briefmap_import SET entry = entry - 'id'")
    return PostgisStore(store.dsn, database=Database(store.dsn))


AS_BEFORE = {"parquet": _parquet_as_before, "postgis": _postgis_as_before}


def test_an_import_recorded_before_ids_cannot_be_removed(backend, tmp_path, geodata):
    """A store written before imports had ids opens and keeps working; its earlier imports
    cannot be removed (their events cannot be told apart), the ones after can."""
    store = backend.open(tmp_path / "store")
    old = _events(15, 14, "O")
    store.apply(old, None, _source("old.csv", 15, "TLP:AMBER"), **RAISE)
    store = AS_BEFORE[backend.name](store)
    info = store.describe()
    assert "id" not in info.imports[0] and info.rows == 15
    with pytest.raises(RemovalError, match="earlier briefmap have no id"):
        store.remove_import(1)
    store.apply(_events(5, 15, "N"), None, _source("new.csv", 5, "TLP:RED"), **RAISE)
    new_id = store.describe().imports[-1]["id"]
    done = store.remove_import(new_id)
    assert (done.events, done.marking_after) == (5, "TLP:AMBER")
    assert _ids(store, geodata) == set(old["event_id_cnty"].to_pylist())
