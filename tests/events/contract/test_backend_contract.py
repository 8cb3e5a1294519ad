"""The backend contract (see `__init__`): run against every backend of `conftest.BACKENDS`."""

from __future__ import annotations

import csv
import io
import time
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pytest

from layers.errors import BriefmapError
from layers.events import synth
from layers.events.attribution import os_user, store_marking
from layers.events.backend import EventSnapshot, EventStore, Frame, Selection
from layers.events.export import events_csv
from layers.events.importer import import_file
from layers.events.manifest import VERSION
from layers.events.merge import Deletions
from layers.events.payload import POINT_LIMIT
from layers.events.problems import EventDataError
from layers.events.store import Source
from layers.marking import MarkingRaiseError
from layers.view import View
from tests.events.contract import reference as ref
from tests.events.contract.conftest import N

REGION = (35.0, 29.5, 48.5, 37.6)  # Iraq and Syria (zoom 6)
TOWN = (40.1234, 35.1234, 40.4567, 35.4567)  # around Deir ez-Zor (zoom 10); edges off the grid
VIEWS = {
    "all": View(),
    "types": View(types=frozenset({"Battles", "Protests"})),
    "dates": View(date_from=date(2021, 1, 1), date_to=date(2021, 12, 31)),
    "actor": View(actors=frozenset({"isis"})),
    "actor-era": View(actors=frozenset({"syria-assad-regime"}), date_from=date(2019, 1, 1)),
    "box": View(bbox=TOWN),
    "all-of-it": View(
        types=frozenset({"Battles"}), date_from=date(2018, 6, 1), bbox=(38.0, 33.0, 44.0, 37.0)
    ),
    "nothing": View(types=frozenset({"No such type"})),
}


RAISE = {"may_raise_marking": True}  # the caller may raise the store's marking (an admin)


def _source(n: int, name: str = "synthetic.csv", marking: str = "TLP:CLEAR") -> Source:
    return Source(name, "0" * 64, n, "acled", marking=marking)


def _members(protocol) -> set[str]:
    return {n for n in vars(protocol) if not n.startswith("_")}


def test_the_backend_offers_the_whole_interface(backend, tmp_path, geodata):
    """Every method of `EventStore`, `EventSnapshot` and `Selection` (layers.events.backend)."""
    store = backend.open(tmp_path / "store")
    store.apply(synth.table(20, seed=10), None, _source(20))
    snapshot = store.snapshot()
    selection = snapshot.query(View(), Frame(), geodata).selection
    for protocol, thing in (
        (EventStore, store),
        (EventSnapshot, snapshot),
        (Selection, selection),
    ):
        methods = _members(protocol) - {"generation"}  # a property
        assert methods and not [n for n in methods if not callable(getattr(thing, n, None))]
    assert selection.generation == snapshot.info.generation == 1


def test_an_import_is_counted_and_described(backend, tmp_path):
    store = backend.open(tmp_path / "store")
    table = synth.table(300, seed=11)
    counts = store.apply(table, None, _source(300))
    info = store.describe()
    assert (counts.new, info.rows, info.generation, info.version) == (300, 300, 1, VERSION)
    assert info.first_date == str(min(table.column("date_start").to_pylist()))
    assert store.snapshot().type_names() == tuple(sorted(set(table["event_type"].to_pylist())))


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_counts_and_histogram_match_pandas(loaded, geodata, name):
    store, df = loaded
    view = VIEWS[name]
    expected = ref.shown(df, view, geodata)
    result = store.query(view, Frame(), geodata)
    s = result.summary
    assert s.shown == len(expected) == result.selection.count()
    assert s.by_type == ref.by_type(expected)
    assert (s.months, s.per_month) == ref.months(expected)
    assert s.fatalities == int(expected.fatalities.sum())
    assert s.imprecise_place == int((expected.geo_precision >= 2).sum())
    assert s.imprecise_date == int((expected.time_precision >= 2).sum())
    wider = ref.shown(df, View(**{**view.__dict__, "types": frozenset()}), geodata)
    assert result.type_counts == ref.by_type(wider)
    assert result.info.rows == N and result.map is None  # no box: no map payload


def test_the_map_payload_holds_the_events_of_its_box(loaded, geodata):
    store, df = loaded
    view = VIEWS["dates"]
    shown = ref.shown(df, view, geodata)
    town = store.query(view, Frame(TOWN, 10.0), geodata).map
    assert town["mode"] == "points" and town["in_view"] == int(ref.within(shown, TOWN).sum())
    near = shown[ref.within(shown, tuple(town["box"]))]  # the payload's padded box
    assert len(town["dlat"]) == int((near.geo_precision <= 1).sum())
    assert sum(a[3] for a in town["areas"]) == int((near.geo_precision >= 2).sum())
    region = store.query(VIEWS["all"], Frame(REGION, 6.0), geodata).map
    assert region["in_view"] == int(ref.within(df, REGION).sum()) > POINT_LIMIT
    assert region["mode"] == "hex" and region["corners"]


def test_a_click_gives_the_rows_at_that_place_newest_first(loaded, geodata):
    store, df = loaded
    view = VIEWS["types"]
    shown = ref.shown(df, view, geodata)
    (lat, lon), total = shown.groupby(["latitude", "longitude"]).size().idxmax(), None
    here = shown[(shown.latitude - lat).abs().le(2e-5) & (shown.longitude - lon).abs().le(2e-5)]
    result = store.query(view, Frame(REGION, 6.0, click=(lat, lon), page=5), geodata)
    total = result.popup_total
    assert total == len(here) > 5 and len(result.popup) == 5
    assert {r["event_id_cnty"] for r in result.popup} <= set(here.event_id_cnty)
    starts = [r["date_start"] for r in result.popup]
    assert starts == sorted(starts, reverse=True) and starts[0] == here.date_start.max()
    assert "geometry" not in result.popup[0] and result.popup[0]["notes"] is not None
    nowhere = store.query(view, Frame(REGION, 6.0, click=(0.0, 0.0)), geodata)
    assert (nowhere.popup, nowhere.popup_total) == ((), 0)


def test_the_selection_reads_the_shown_rows_for_an_export(loaded, geodata):
    store, df = loaded
    view = VIEWS["actor-era"]
    expected = ref.shown(df, view, geodata)
    selection = store.query(view, Frame(counts=False), geodata).selection
    ids = selection.rows(["event_id_cnty"]).column(0).to_pylist()
    assert sorted(ids) == sorted(expected.event_id_cnty)
    inside = selection.rows(["event_id_cnty"], TOWN).column(0).to_pylist()
    assert sorted(inside) == sorted(expected[ref.within(expected, TOWN)].event_id_cnty)
    lines = list(csv.DictReader(io.StringIO(events_csv(selection))))
    assert sorted(r["event_id_cnty"] for r in lines) == sorted(expected.event_id_cnty)


def _revised(table: pa.Table, rows: int) -> pa.Table:
    """The first `rows` events again, one later version each, with 1,000 more fatalities."""
    part = table.slice(0, rows)
    for name, change in (("timestamp", 1), ("fatalities", 1000)):
        column = pa.array(
            [v + change for v in part[name].to_pylist()], part.schema.field(name).type
        )
        part = part.set_column(part.schema.get_field_index(name), name, column)
    return part


def test_a_snapshot_answers_from_its_own_generation(backend, tmp_path, geodata):
    store = backend.open(tmp_path / "store")
    table = synth.table(400, seed=12)
    store.apply(table, None, _source(400))
    before = store.snapshot()
    counts = store.apply(_revised(table, 10), None, _source(10, "revised.csv"))
    assert (counts.revised, store.describe().generation, before.info.generation) == (10, 2, 1)
    first = table.slice(0, 1).to_pylist()[0]  # revised: 1,000 more fatalities in generation 2
    click = Frame(click=(first["latitude"], first["longitude"]), page=400)
    old = before.query(View(), click, geodata)
    new = store.query(View(), click, geodata)
    fatalities = sum(table["fatalities"].to_pylist())
    assert (old.shown, old.summary.fatalities) == (400, fatalities)
    assert (new.shown, new.summary.fatalities) == (400, fatalities + 10_000)
    was = {r["event_id_cnty"]: r["fatalities"] for r in old.popup}  # rows of generation 1
    now = {r["event_id_cnty"]: r["fatalities"] for r in new.popup}
    assert was[first["event_id_cnty"]] == first["fatalities"]
    assert now[first["event_id_cnty"]] == first["fatalities"] + 1000


def test_deletions_remove_events_and_no_change_keeps_the_generation(backend, tmp_path, geodata):
    store = backend.open(tmp_path / "store")
    table = synth.table(200, seed=13)
    store.apply(table, None, _source(200))
    ids = table["event_id_cnty"].to_pylist()[:7]
    stamps = table["timestamp"].to_pylist()[:7]
    gone = Deletions((*ids, "NOSUCH1"), (*stamps, 0))
    counts = store.apply(None, gone, _source(0, "deletions.csv"))
    assert (counts.removed, counts.not_found, store.describe().generation) == (7, 1, 2)
    left = store.query(View(), Frame(counts=False), geodata).selection
    assert set(left.rows(["event_id_cnty"]).column(0).to_pylist()) == set(
        table["event_id_cnty"].to_pylist()[7:]
    )
    again = store.apply(table.slice(10, 5), None, _source(5, "same.csv"))
    assert (again.unchanged, store.describe().generation) == (5, 2)
    assert len(store.describe().imports) == 3


def test_the_marking_is_the_highest_of_the_imports_that_brought_events(backend, tmp_path):
    store = backend.open(tmp_path / "store")
    store.apply(synth.table(50, seed=14), None, _source(50, "a.csv", "TLP:GREEN"), **RAISE)
    assert store.describe().marking().label == "TLP:GREEN"
    store.apply(synth.table(50, seed=15), None, _source(50, "b.csv", "TLP:AMBER"), **RAISE)
    store.apply(
        None, Deletions(("NOSUCH",), (0,)), Source("", "0" * 64, 0, "acled", marking="TLP:RED")
    )
    assert store.describe().marking().label == "TLP:AMBER"


def test_a_foreign_folder_is_refused(backend, tmp_path):
    where = tmp_path / "photos"
    backend.foreign(where)
    with pytest.raises(BriefmapError, match="photos"):
        backend.open(where).apply(synth.table(5, seed=1), None, _source(5))


def test_a_damaged_store_refuses_to_answer(backend, tmp_path, geodata):
    store = backend.open(tmp_path / "store")
    store.apply(synth.table(60, seed=16), None, _source(60))
    backend.damage(store)
    with pytest.raises(BriefmapError, match="damaged|cannot read|not a readable"):
        store.query(View(), Frame(), geodata)
    with pytest.raises(BriefmapError):
        store.check()


def test_a_version_1_store_is_read_and_migrated_by_the_next_import(backend, tmp_path, geodata):
    store = backend.open(tmp_path / "store")
    store.apply(synth.table(80, seed=17), None, _source(80))
    backend.set_version(store, 1)
    info = store.describe()
    assert info.version == VERSION and "schema version 1" in info.note
    assert store.query(View(), Frame(), geodata).shown == 80
    store.apply(synth.table(20, seed=18), None, _source(20, "more.csv"))
    info = store.describe()
    assert (info.version, info.note) == (VERSION, None)


def test_a_newer_schema_version_is_refused_naming_folder_and_version(backend, tmp_path, geodata):
    store = backend.open(tmp_path / "future-store")
    store.apply(synth.table(30, seed=19), None, _source(30))
    backend.set_version(store, VERSION + 1)
    for ask in (store.describe, lambda: store.query(View(), Frame(), geodata)):
        with pytest.raises(BriefmapError, match=rf"future-store.*version {VERSION + 1}"):
            ask()
    with pytest.raises(BriefmapError, match="newer briefmap"):
        store.apply(synth.table(3, seed=20), None, _source(3))


def test_an_empty_store_answers_with_nothing(backend, tmp_path, geodata):
    store = backend.open(tmp_path / "store")
    result = store.query(View(), Frame(REGION, 6.0, click=(35.0, 40.0)), geodata)
    assert (result.shown, result.map, result.popup, result.info.rows) == (0, None, (), 0)
    assert store.snapshot().type_names() == ()
    assert result.selection.rows(["event_id_cnty"]).num_rows == 0


def test_every_import_and_deletion_records_who_and_when(backend, tmp_path):
    store = backend.open(tmp_path / "store")
    table = synth.table(30, seed=16)
    before = datetime.now(UTC).replace(microsecond=0)
    store.apply(table, None, replace(_source(30, "a.csv"), by="amira@example.org"))
    gone = Deletions(tuple(table["event_id_cnty"].to_pylist()[:3]), (2**40,) * 3)
    store.delete(gone, Source("", "0" * 64, 0, "acled", by="omar"))
    store.apply(table.slice(5, 2), None, _source(2, "b.csv"))  # nobody named: the OS user
    after = datetime.now(UTC)
    imports = store.describe().imports
    assert [e["by"] for e in imports] == ["amira@example.org", "omar", os_user()]
    assert imports[1]["counts"]["removed"] == 3  # the deletion is the one attributed to omar
    when = [datetime.fromisoformat(e["imported_at"]) for e in imports]
    assert before <= when[0] <= when[1] <= when[2] <= after


def test_an_import_cannot_raise_the_marking_unless_the_caller_may(backend, tmp_path):
    store = backend.open(tmp_path / "store")
    store.apply(synth.table(40, seed=17), None, _source(40, "clear.csv"))
    was = store.describe()
    with pytest.raises(MarkingRaiseError, match=r"amber\.csv is marked TLP:AMBER.*TLP:CLEAR"):
        store.apply(synth.table(40, seed=18), None, _source(40, "amber.csv", "TLP:AMBER"))
    now = store.describe()
    assert (now.generation, now.rows, now.imports) == (was.generation, was.rows, was.imports)
    store.apply(synth.table(40, seed=18), None, _source(40, "amber.csv", "TLP:AMBER"), **RAISE)
    assert store.describe().marking().label == "TLP:AMBER"
    for name, marking in (("green.csv", "TLP:GREEN"), ("amber2.csv", "tlp:amber")):
        store.apply(synth.table(10, seed=19), None, _source(10, name, marking))  # not above
    with pytest.raises(MarkingRaiseError, match="from TLP:AMBER to TLP:RED"):
        store.apply(synth.table(10, seed=20), None, _source(10, "red.csv", "TLP:RED"))
    assert [e["file"] for e in store.describe().imports] == [
        "clear.csv",
        "amber.csv",
        "green.csv",
        "amber2.csv",
    ]


def test_the_marking_is_lowered_only_by_removing_the_imports_that_raised_it(backend, tmp_path):
    store = backend.open(tmp_path / "store")
    store.apply(synth.table(20, seed=21), None, _source(20, "clear.csv"))
    red = synth.table(20, seed=22)
    store.apply(red, None, _source(20, "red.csv", "TLP:RED"), **RAISE)
    gone = Deletions(tuple(red["event_id_cnty"].to_pylist()), (2**40,) * 20)
    removed = store.apply(None, gone, Source("", "0" * 64, 0, "acled")).removed
    assert removed == 20 and store.describe().marking().label == "TLP:RED"  # events gone
    store.apply(red, None, _source(20, "red.csv", "TLP:CLEAR"))  # the same file, marked lower
    info = store.describe()
    assert info.marking().label == "TLP:RED"
    kept = [e for e in info.imports if e["marking"] != "TLP:RED"]
    assert len(kept) == 3 and store_marking(kept).label == "TLP:CLEAR"


def test_a_far_future_timestamp_cannot_pin_a_revision(backend, tmp_path):
    """The import boundary refuses a revision dated beyond a day past now (it would win
    against every later file), naming file, line and field; skipped, it is set aside with its
    reason; the event then takes a real later revision as usual."""
    store = backend.open(tmp_path / "store")
    path = synth.write_csv(tmp_path / "events.csv", 20, seed=21)
    import_file(store, path, fmt="acled")
    before = store.describe()
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    stamp, deaths = rows[0].index("timestamp"), rows[0].index("fatalities")
    was = int(rows[3][stamp])

    def with_row_3(name: str, timestamp: int) -> Path:
        changed = [list(r) for r in rows]
        changed[3][stamp], changed[3][deaths] = str(timestamp), "999"
        with (tmp_path / name).open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(changed)
        return tmp_path / name

    pinned = with_row_3("pinned.csv", int(time.time()) + 10 * 365 * 86_400)
    with pytest.raises(EventDataError) as caught:
        import_file(store, pinned, fmt="acled")
    assert [(p.file, p.where, p.column) for p in caught.value.problems] == [
        ("pinned.csv", "line 4", "timestamp")
    ]
    assert "future" in str(caught.value) and "nothing was imported" in str(caught.value)
    after = store.describe()
    assert (after.generation, len(after.imports)) == (before.generation, len(before.imports))
    rejects = tmp_path / "pinned.rejected.csv"
    skipped = import_file(store, pinned, fmt="acled", skip_invalid=True, rejects=rejects)
    assert (skipped.rejected, skipped.counts.revised, skipped.counts.unchanged) == (1, 0, 19)
    assert "timestamp" in rejects.read_text(encoding="utf-8")
    later = import_file(store, with_row_3("later.csv", was + 86_400), fmt="acled")
    assert later.counts.revised == 1 and store.describe().generation == before.generation + 1
