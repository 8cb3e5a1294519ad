"""Imported events under the same View as report features, and what the map makes of them:
actor names with validity dates, types, date periods at ACLED's precision, the in-view box;
imprecise places spread (no false hotspot), popups and CSV exports that are safe."""

from __future__ import annotations

import csv
import io
from datetime import date

import numpy as np
import pytest

from layers.events.backend import Frame
from layers.events.export import events_csv
from layers.events.grid import hexagons, parents
from layers.events.importer import import_file
from layers.events.index import event_mask, events_at, load_index, summarise
from layers.events.layer import events_group
from layers.events.payload import POINT_LIMIT, points_payload
from layers.events.popup import date_label, event_html
from layers.events.store import open_store
from layers.view import View
from tests.events.helpers import rows, write


def _event(i: int, **values: str) -> dict[str, str]:
    base = rows(1, seed=1)[0]
    base.update(
        event_id_cnty=f"SYR{9000 + i}",
        actor1="Somebody (Syria)",
        actor2="",
        assoc_actor_1="",
        assoc_actor_2="",
        latitude="35.0",
        longitude="40.0",
        geo_precision="1",
        time_precision="1",
        event_type="Battles",
        year="",
        fatalities="1",
    )
    base.update(values)
    return base


EVENTS = [
    _event(0, actor1="Military Forces of Syria (2000-2024)", event_date="2024-12-01"),
    # an old name met after the fall: Assad's state no longer exists, so it does not count
    _event(1, actor2="Military Forces of Syria (2000-2024)", event_date="2025-01-05"),
    _event(2, actor1="Military Forces of Syria (2024-)", event_date="2025-02-01"),
    _event(3, assoc_actor_2="Tribal fighters; Kataib Hezbollah", event_date="2023-03-03"),
    _event(4, event_date="2025-05-16", time_precision="3", event_type="Protests"),
    _event(5, event_date="2025-05-16", time_precision="2", latitude="33.5", longitude="36.3"),
    _event(
        6,
        actor2="Islamic State (Iraq)",
        event_date="2019-07-01",
        iso="368",
        latitude="34.4",
        longitude="41.1",
    ),
]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    root = tmp_path_factory.mktemp("small")
    store = open_store(root / "store")
    import_file(store, write(root / "events.csv", EVENTS))
    return store, load_index(store)


def _ids(store, index, mask) -> set[str]:
    table = store.take(index.generation, np.flatnonzero(mask).tolist(), ["event_id_cnty"])
    return set(table.column("event_id_cnty").to_pylist())


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        (View(actors=frozenset({"syria-assad-regime"})), {"SYR9000"}),
        (View(actors=frozenset({"syria-transitional"})), {"SYR9002"}),
        (View(actors=frozenset({"kataib-hezbollah"})), {"SYR9003"}),
        (View(actors=frozenset({"iraqi-factions"})), {"SYR9003"}),  # members count
        (View(actors=frozenset({"isis"})), {"SYR9006"}),
        (View(actors=frozenset({"iran"})), set()),  # no ACLED names: nothing matches
        (View(types=frozenset({"Protests"})), {"SYR9004"}),
        # a month-precise event (May 2025) overlaps a range that starts on 20 May
        (View(date_from=date(2025, 5, 20)), {"SYR9004"}),
        # a week-precise event (13-19 May) reaches 13 May, the month one all of May
        (View(date_from=date(2025, 5, 13), date_to=date(2025, 5, 13)), {"SYR9004", "SYR9005"}),
        (View(date_to=date(2025, 4, 30), date_from=date(2025, 3, 1)), set()),
        (View(bbox=(36.0, 33.0, 37.0, 34.0)), {"SYR9005"}),
    ],
)
def test_events_filter_under_the_same_view(small, geodata, view, expected):
    store, index = small
    assert _ids(store, index, event_mask(index, view, geodata)) == expected


def test_summary_counts_types_months_and_fatalities(small, geodata):
    _store, index = small
    s = summarise(index, event_mask(index, View(), geodata))
    assert s.shown == len(EVENTS) and s.fatalities == len(EVENTS)
    assert dict(s.by_type) == {"Battles": 6, "Protests": 1}
    assert s.months[0] == "2019-07" and s.months[-1] == "2025-05"
    assert sum(s.per_month) == len(EVENTS) and len(s.months) == 71
    assert s.imprecise_date == 2


def test_date_labels_show_acled_precision():
    day = date(2025, 5, 16)
    assert date_label(day, 1) == "16 May 2025"
    assert date_label(day, 2) == "week of 13 May – 19 May 2025"
    assert date_label(day, 3) == "May 2025 (day not known)"


def test_imprecise_places_are_spread_not_a_hotspot(tmp_path, geodata):
    capital = [
        _event(i, geo_precision="3", latitude="35.336", longitude="40.141", event_date="2024-01-01")
        for i in range(200)
    ]
    exact = [
        _event(
            300 + i, latitude=f"{35.6 + i * 0.0001:.4f}", longitude="40.5", event_date="2024-01-01"
        )
        for i in range(20)
    ]
    store = open_store(tmp_path / "s")
    import_file(store, write(tmp_path / "e.csv", capital + exact))
    index = load_index(store)
    hx = hexagons(index, np.ones(index.size, dtype=bool), res=5)
    assert hx.counts.sum() == pytest.approx(220)
    centre = int(parents(index.h3[index.geo_precision == 3][:1], 5)[0])
    at_centre = float(hx.counts[hx.cells == centre][0])
    assert at_centre < 5  # 200 events, none piled on the province centre
    assert hx.counts.max() >= 20 - 1e-9  # the 20 precise events stay together
    # as points: the imprecise ones are one dashed area, never 200 dots on the centre
    data = points_payload(index, np.ones(index.size, dtype=bool), "en")
    assert len(data["dlat"]) == 20 and [a[3] for a in data["areas"]] == [200]


def test_many_events_in_view_become_hexagons(tmp_path, geodata):
    from layers.events import synth

    index_rows = synth.table(POINT_LIMIT + 500, seed=3)
    store = open_store(tmp_path / "s")
    from layers.events.store import Source

    store.apply(index_rows, None, Source("x.csv", "0" * 64, index_rows.num_rows, "acled"))
    query = store.snapshot().query
    region = events_group(query(View(), Frame((35.0, 29.5, 48.5, 37.6), 6), geodata).map)
    assert (region.mode, region.in_view) == ("hex", POINT_LIMIT + 500)
    assert region.payload_bytes < 250_000
    town = events_group(query(View(), Frame((40.0, 35.2, 40.3, 35.45), 10), geodata).map)
    assert town.mode == "points" and 0 < town.in_view <= POINT_LIMIT


def test_click_finds_the_events_at_that_place(small, geodata):
    _store, index = small
    mask = event_mask(index, View(), geodata)
    assert len(events_at(index, mask, 35.0, 40.0)) == 5
    assert len(events_at(index, mask, 35.001, 40.0)) == 0


HOSTILE = "<script>alert(1)</script> ${alert(2)} ` <img src=x onerror=alert(3)>"


def test_popup_escapes_every_value():
    event = {
        "event_id_cnty": "SYR1<b>",
        "event_date": date(2025, 5, 16),
        "time_precision": 1,
        "event_type": "Battles",
        "sub_event_type": "<i>x</i>",
        "actor1": HOSTILE,
        "assoc_actor_1": HOSTILE,
        "actor2": "",
        "assoc_actor_2": "",
        "location": HOSTILE,
        "admin2": "",
        "admin1": "",
        "country": "Syria",
        "geo_precision": 2,
        "fatalities": 3,
        "notes": HOSTILE,
        "source": HOSTILE,
        "timestamp": 1747400000,
    }
    html = event_html(event)
    assert "<script" not in html and "<img" not in html and "<i>x</i>" not in html
    assert "${" not in html and "`" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_events_csv_is_formula_safe_and_imports_again(tmp_path, geodata):
    data = rows(4)
    data[0]["notes"] = '=HYPERLINK("http://example.invalid","x")'
    data[1]["location"] = "-2+3+cmd|' /C calc'!A0"
    data[2]["actor1"] = "@SUM(1+1)"
    store = open_store(tmp_path / "s")
    import_file(store, write(tmp_path / "in.csv", data))
    text = events_csv(store.query(View(), Frame(), geodata).selection)
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "@") or c.startswith("-2+")]
    out = tmp_path / "again.csv"
    out.write_text(text, encoding="utf-8")
    again = open_store(tmp_path / "s2")
    assert import_file(again, out).counts.new == 4


def test_index_from_batches_unifies_dictionaries_across_row_groups(tmp_path, geodata):
    """Row groups carry their own text dictionaries; the loaded index has one per column."""
    from layers.events import synth
    from layers.events.store import ROW_GROUP, Source

    table = synth.table(ROW_GROUP * 2 + 100, seed=9)
    store = open_store(tmp_path / "s")
    store.upsert(table, Source("x.csv", "0" * 64, table.num_rows, "acled"))
    index = load_index(store)
    _gen, whole = store.load(["event_type", "actor1", "fatalities"])
    names = [index.event_type.names[c] for c in index.event_type.codes]
    assert names == whole.column("event_type").cast("string").to_pylist()
    actors = [index.actors["actor1"].names[c] for c in index.actors["actor1"].codes]
    assert actors == whole.column("actor1").cast("string").to_pylist()
    assert index.fatalities.tolist() == whole.column("fatalities").to_pylist()
