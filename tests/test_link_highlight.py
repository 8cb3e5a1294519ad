"""The link to a view carries what the map highlights (`hl`), and opening it highlights the
same features again; unknown ids are dropped with a note."""

from __future__ import annotations

from layers.view import View
from layers.view.url import from_query, link_highlight, to_query
from tests.conftest import run_app, shown

CROSSING = "albu-kamal-qaim-crossing"
CORRIDOR = "deir-ez-zor-anbar-corridor"


def test_the_highlight_goes_into_the_link_and_back(geodata):
    view = View(lang="ar")
    query = to_query(view, highlight=(CORRIDOR, CROSSING, CORRIDOR))
    assert query["hl"] == f"{CORRIDOR},{CROSSING}"
    assert link_highlight(query, geodata) == (CORRIDOR, CROSSING)
    assert from_query(query, geodata) == view  # the view itself is unchanged, and no note
    assert "hl" not in to_query(view)


def test_unknown_highlight_ids_are_dropped_with_a_note(geodata):
    query = {"hl": f"ghost,{CROSSING}"}
    assert link_highlight(query, geodata) == (CROSSING,)
    notes = from_query(query, geodata).notes
    assert any("hl: unknown 'ghost'" in n for n in notes), notes


def _link_text(at) -> str:
    return " ".join(c.value for c in at.code)


def test_a_search_hit_is_carried_by_the_link():
    at = run_app()
    at.text_input(key="search").input("Qaim").run()
    at.button(key=f"hit-0-{CROSSING}").click().run()
    assert at.query_params["hl"] == CROSSING
    assert f"hl={CROSSING}" in _link_text(at)
    assert "hl=" not in _link_text(run_app())


def test_a_link_with_a_highlight_opens_highlighted():
    at = run_app(hl=CROSSING, lang="en")
    captions = [shown(c.value) for c in at.caption]
    assert any("Albu Kamal–al-Qa'im border crossing" in c for c in captions), captions
    assert at.query_params["hl"] == CROSSING  # kept in the address bar too
