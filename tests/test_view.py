"""The View value against the shipped data: filters, their combination, links and words."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from layers.table import COLUMNS
from layers.view import View
from layers.view.url import from_query, to_query
from layers.view.words import describe


def ids(view, geodata) -> set[str]:
    return {f.id for f in view.select(geodata)}


def test_default_view_is_the_catalogue_defaults(geodata):
    shown = View().select(geodata)
    assert {f.layer for f in shown} == {
        lid for lid, layer in geodata.layers.items() if layer.visible
    }
    assert not any(f.layer == "scenarios" for f in shown)


def test_actor_filter_keeps_only_that_actors_features(geodata):
    chosen = ids(View(actors=frozenset({"kataib-hezbollah"})), geodata)
    assert chosen == {
        "deir-ez-zor-iran-presence",
        "albu-kamal-iran-presence",
        "qusayr-iran-presence",
    }


def test_choosing_a_state_includes_its_forces(geodata):
    iran = ids(View(actors=frozenset({"iran"})), geodata)
    quds = ids(View(actors=frozenset({"irgc-quds-force"})), geodata)
    assert quds < iran  # the Quds Force is member_of Iran
    assert "tehran" in iran and "tehran" not in quds


def test_type_filter_uses_incident_type_else_kind(geodata):
    assert ids(View(types=frozenset({"smuggling"})), geodata) == {"deir-ez-zor-anbar-corridor"}
    pipelines = ids(View(types=frozenset({"pipeline"})), geodata)
    assert pipelines == {"kirkuk-baniyas-pipeline", "kirkuk-ceyhan-pipeline"}


def _one(text: str):
    """A single-row table with the given EDTF date, in the layer 'isis'."""
    from layers.dates import parse_date

    span = parse_date(text)
    row = dict.fromkeys(COLUMNS)
    row.update(
        id="x",
        layer="isis",
        type="event",
        actors=frozenset(),
        minx=40,
        miny=34,
        maxx=40,
        maxy=34,
        date_start=pd.Timestamp(span.start) if span.start else pd.NaT,
        date_end=pd.Timestamp(span.end) if span.end else pd.NaT,
    )
    return pd.DataFrame([row], columns=list(COLUMNS))


@pytest.mark.parametrize(
    ("edtf", "lo", "hi", "kept"),
    [
        ("2013", date(2013, 1, 1), date(2013, 12, 31), True),
        ("2013", date(2019, 1, 1), date(2019, 12, 31), False),
        ("2013/..", date(2019, 1, 1), date(2019, 12, 31), True),
        ("2013/..", None, date(2012, 12, 31), False),
        ("../2013", date(2014, 1, 1), None, False),
        ("2025-03-14", date(2025, 3, 14), date(2025, 3, 14), True),
    ],
)
def test_date_range_keeps_every_overlapping_period(geodata, edtf, lo, hi, kept):
    table = _one(edtf)
    assert bool(View(date_from=lo, date_to=hi).mask(table, geodata).iloc[0]) is kept


def test_date_filter_on_the_shipped_data(geodata):
    in_2019 = ids(
        View(date_from=date(2019, 1, 1), date_to=date(2019, 12, 31), include_undated=False), geodata
    )
    # "since 2003" border tensions and the 2013–2024 militia presence overlap 2019 …
    assert "iraq-syria-border" in in_2019 and "deir-ez-zor-iran-presence" in in_2019
    # … the 2025 meeting does not, and undated places are hidden by the switch
    assert "baghdad-fm-meeting-2025-03-14" not in in_2019 and "baghdad" not in in_2019
    with_undated = ids(View(date_from=date(2019, 1, 1), date_to=date(2019, 12, 31)), geodata)
    assert with_undated - in_2019 == {f.id for f in View().select(geodata) if f.date is None}


def test_combined_filters_intersect(geodata):
    view = View(
        actors=frozenset({"iran"}),
        types=frozenset({"militia-presence"}),
        date_from=date(2013, 1, 1),
        date_to=date(2015, 12, 31),
    )
    assert ids(view, geodata) == {
        "deir-ez-zor-iran-presence",
        "albu-kamal-iran-presence",
        "qusayr-iran-presence",
    }
    assert ids(view.with_changes(layers=frozenset({"energy"})), geodata) == set()


def test_empty_result_is_an_empty_list_not_an_error(geodata):
    view = View(
        actors=frozenset({"arab-league"}), date_from=date(2003, 1, 1), date_to=date(2010, 12, 31)
    )
    assert view.select(geodata) == []


def test_bbox_keeps_what_intersects(geodata):
    chosen = ids(View(bbox=(40.5, 36.0, 41.5, 36.8)), geodata)
    assert "al-hol-camp" in chosen and "kirkuk" not in chosen


def test_link_round_trip_and_defaults_stay_out_of_links(geodata):
    view = View(
        layers=frozenset({"isis", "energy"}),
        actors=frozenset({"isis"}),
        types=frozenset({"camp"}),
        date_from=date(2013, 1, 1),
        date_to=date(2025, 5, 17),
        include_undated=False,
        bbox=(40.0, 34.0, 42.0, 37.0),
        lang="ar",
        center=(35.0, 41.0),
        zoom=7.5,
    )
    assert from_query(to_query(view), geodata) == view
    assert to_query(View()) == {}


def test_bad_link_parts_are_dropped_with_a_note(geodata):
    view = from_query(
        {
            "actors": "isis,ghost",
            "from": "banana",
            "lang": "fr",
            "z": "99",
            "layers": "isis,weather",
        },
        geodata,
    )
    assert view.actors == {"isis"} and view.layers == {"isis"} and view.lang == "en"
    assert view.date_from is None and view.zoom is None
    assert len(view.notes) == 5


@pytest.mark.parametrize(
    ("view", "en", "ar"),
    [
        (
            View(
                actors=frozenset({"kataib-hezbollah", "irgc-quds-force"}),
                date_from=date(2013, 1, 1),
                date_to=date(2025, 12, 31),
            ),
            "IRGC Quds Force and Kata'ib Hezbollah, 2013 – 2025",
            "فيلق القدس وكتائب حزب الله، 2013 – 2025",
        ),
        (
            View(types=frozenset({"smuggling"}), date_from=date(2025, 3, 14)),
            "smuggling, from 14 Mar 2025",
            "تهريب، من 14 آذار 2025",
        ),
        (
            View(),
            "All default layers, all actors, all dates",
            "كل الطبقات الافتراضية، كل الأطراف، كل التواريخ",
        ),
    ],
)
def test_view_says_itself_in_words(geodata, view, en, ar):
    assert describe(view, geodata) == en
    assert describe(view.with_changes(lang="ar"), geodata) == ar


def test_incident_tables_filter_through_the_same_code(geodata):
    """Imported incidents (ACLED-style rows) go through View.mask like report features."""
    rows = pd.concat([_one("2019-05-02"), _one("2024-12-20")], ignore_index=True)
    rows["actors"] = [frozenset({"isis"}), frozenset({"syria-transitional"})]
    rows["type"] = ["insurgent-activity", "smuggling"]
    view = View(actors=frozenset({"isis"}), date_from=date(2019, 1, 1))
    assert list(view.mask(rows, geodata)) == [True, False]
