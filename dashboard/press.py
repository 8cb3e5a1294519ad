"""Presses that are never lost: an ordered record of presses as a component's value.

An `st.button` press is a trigger, sent once. When another rerun (the map reporting a pan)
reaches the server at the moment the press's run starts, Streamlit (1.67) stops that run at
its first yield point, before the press's callback (`SafeSessionState.on_script_will_rerun`
yields first), and the next run no longer carries the trigger: the press is gone. A
component's value rides along with every rerun the page asks for, so the next run still has
it. The components (the clicker, the sure buttons) send every press so far; `new_presses`
hands back only those this session has not applied yet, in order, so two quick presses are
two presses even when Streamlit folds their reruns into one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import streamlit as st
import streamlit.components.v1 as components

_buttons = components.declare_component(
    "bm_buttons", path=str(Path(__file__).resolve().parent / "components" / "buttons")
)
_SEEN = "bm_presses_seen"  # component instance id -> presses applied
MAX_NEW = 20  # presses taken in one run; a longer record is forged or stale, not a person


def unseen_presses(key: str, actions: tuple[str, ...]) -> tuple[list[str], Callable[[], None]]:
    """The presses made since the last applied ones, oldest first (from the component's last
    value), and `commit`, which marks them applied (plain Python: call it with the change the
    presses make, so nothing can stop the run between the two)."""
    value = st.session_state.get(key)
    seen = st.session_state.setdefault(_SEEN, {})
    record = value.get("actions") if isinstance(value, dict) else None
    if not isinstance(record, list):
        return [], _nothing
    instance = f"{key}:{str(value.get('id'))[:64]}"
    done, total = seen.get(instance, 0), len(record)
    if total <= done:  # nothing new (a shorter record under the same id replays nothing)
        return [], _nothing
    fresh = [a for a in record[max(done, total - MAX_NEW) :] if isinstance(a, str) and a in actions]

    def commit() -> None:
        seen[instance] = total

    return fresh, commit


def new_presses(key: str, actions: tuple[str, ...]) -> list[str]:
    """The presses made since the last run, marked applied (for the clicker, whose presses
    change the briefing held on the server, not this window's link)."""
    fresh, commit = unseen_presses(key, actions)
    commit()
    return fresh


def _nothing() -> None:
    return None


@dataclass(frozen=True)
class SureButton:
    action: str
    label: str
    primary: bool = False


def sure_buttons(
    where: Any, key: str, buttons: list[SureButton], lang: str
) -> tuple[str | None, Callable[[], None]]:
    """Full-width buttons (in a container, a column or `st.sidebar`): the action pressed since
    the last applied press (the latest, if several) or None, and `commit` (see
    `unseen_presses`). Drawn before the presses are read: drawing is a point where Streamlit
    may stop the run, which must not fall between reading a press and applying it."""
    with where:
        _buttons(
            buttons=[asdict(b) for b in buttons],
            dir="rtl" if lang == "ar" else "ltr",
            key=key,
            default=None,
        )
    fresh, commit = unseen_presses(key, tuple(b.action for b in buttons))
    return (fresh[-1] if fresh else None), commit
