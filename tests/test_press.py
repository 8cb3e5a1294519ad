"""Presses as a component's record (dashboard.press): applied once, never replayed, and a
forged record costs a bounded amount of work."""

from __future__ import annotations

import pytest
import streamlit as st

from dashboard.press import MAX_NEW, new_presses, unseen_presses

ACTIONS = ("resume", "present")


@pytest.fixture(autouse=True)
def fresh_session():
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    yield


def _record(actions, ident="frame-1"):
    st.session_state["btn"] = {"id": ident, "actions": list(actions)}


def test_a_press_stays_unapplied_until_committed_then_is_not_seen_again():
    _record(["resume"])
    fresh, commit = unseen_presses("btn", ACTIONS)
    assert fresh == ["resume"]
    assert unseen_presses("btn", ACTIONS)[0] == ["resume"]  # a run stopped before applying it
    commit()
    assert unseen_presses("btn", ACTIONS)[0] == []
    _record(["resume", "present"])
    assert unseen_presses("btn", ACTIONS)[0] == ["present"]


def test_the_clicker_form_marks_presses_applied_at_once():
    _record(["present", "present"])
    assert new_presses("btn", ACTIONS) == ["present", "present"]
    assert new_presses("btn", ACTIONS) == []


@pytest.mark.parametrize(
    "value",
    [None, 5, "resume", [], {"actions": "resume"}, {"actions": None}, {"id": [1], "actions": {}}],
)
def test_a_value_that_is_not_a_record_is_no_press(value):
    st.session_state["btn"] = value
    assert unseen_presses("btn", ACTIONS)[0] == []


def test_entries_that_are_not_our_actions_are_ignored():
    _record([["resume"], {"a": 1}, 5, None, "RESUME", "delete-everything", "resume"])
    assert unseen_presses("btn", ACTIONS)[0] == ["resume"]


def test_a_shorter_record_under_the_same_id_replays_nothing():
    _record(["resume", "present", "resume"])
    unseen_presses("btn", ACTIONS)[1]()
    _record(["resume"])
    assert unseen_presses("btn", ACTIONS)[0] == []
    _record(["resume", "present", "resume", "present"])
    assert unseen_presses("btn", ACTIONS)[0] == ["present"]


def test_a_forged_record_of_millions_yields_at_most_a_handful_of_presses():
    _record(["present"] * 2_000_000)
    fresh, commit = unseen_presses("btn", ACTIONS)
    assert len(fresh) == MAX_NEW
    commit()
    assert unseen_presses("btn", ACTIONS)[0] == []


def test_each_frame_and_each_button_keeps_its_own_count():
    _record(["resume"], ident="frame-1")
    unseen_presses("btn", ACTIONS)[1]()
    _record(["resume"], ident="frame-2")  # the page reloaded the component
    assert unseen_presses("btn", ACTIONS)[0] == ["resume"]
    st.session_state["other"] = {"id": "frame-1", "actions": ["present"]}
    assert unseen_presses("other", ACTIONS)[0] == ["present"]
