"""The presentation clicker: buttons and keys as an ordered record of presses.

The component (components/clicker/index.html, served locally) sends every press so far; this
module hands back only the presses this session has not applied yet, in order, so two quick
presses of "next" are two steps even when Streamlit folds their reruns into one.

A run first takes the new presses (`new_presses`, from the component's last value), applies
them, and only then draws the component (`show_clicker`) with the briefing's new version,
which the component broadcasts to the briefing's other windows in the same browser.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

from layers.i18n import t
from layers.render.leaflet import CLICKER_KEYS

_component = components.declare_component(
    "bm_clicker", path=str(Path(__file__).resolve().parent / "components" / "clicker")
)
_SEEN = "bm_clicker_seen"  # component instance id -> presses applied


def new_presses(key: str, actions: tuple[str, ...]) -> list[str]:
    """The presses made since the last run, oldest first (from the component's value)."""
    value = st.session_state.get(key)
    if not isinstance(value, dict) or not isinstance(value.get("actions"), list):
        return []
    seen = st.session_state.setdefault(_SEEN, {})
    instance = str(value.get("id"))
    done = seen.get(instance, 0)
    seen[instance] = len(value["actions"])
    return [a for a in value["actions"][done:] if a in actions]


def show_clicker(
    actions: tuple[str, ...], lang: str, show_buttons: bool, key: str, channel: str, version: int
) -> None:
    _component(
        actions=list(actions),
        keys={a: CLICKER_KEYS[a] for a in actions},
        labels={a: t(f"btn_{a}", lang) for a in actions},
        show_buttons=show_buttons,
        dir="rtl" if lang == "ar" else "ltr",
        channel=channel,
        version=version,
        key=key,
        default=None,
    )
