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

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import streamlit as st
import streamlit.components.v1 as components

_buttons = components.declare_component(
    "bm_buttons", path=str(Path(__file__).resolve().parent / "components" / "buttons")
)
_SEEN = "bm_presses_seen"  # component instance id -> presses applied


def new_presses(key: str, actions: tuple[str, ...]) -> list[str]:
    """The presses made since the last run, oldest first (from the component's last value)."""
    value = st.session_state.get(key)
    if not isinstance(value, dict) or not isinstance(value.get("actions"), list):
        return []
    seen = st.session_state.setdefault(_SEEN, {})
    instance = f"{key}:{value.get('id')}"
    done = seen.get(instance, 0)
    seen[instance] = len(value["actions"])
    return [a for a in value["actions"][done:] if a in actions]


@dataclass(frozen=True)
class SureButton:
    action: str
    label: str
    primary: bool = False


def sure_buttons(where: Any, key: str, buttons: list[SureButton], lang: str) -> str | None:
    """Full-width buttons (in a container, a column or `st.sidebar`); the action pressed since
    the last run (the latest, if several), or None. Call before anything the press changes."""
    pressed = new_presses(key, tuple(b.action for b in buttons))
    with where:
        _buttons(
            buttons=[asdict(b) for b in buttons],
            dir="rtl" if lang == "ar" else "ltr",
            key=key,
            default=None,
        )
    return pressed[-1] if pressed else None
