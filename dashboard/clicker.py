"""The presentation clicker: buttons and keys as an ordered record of presses.

The component (components/clicker/index.html, served locally) sends every press so far, and
`dashboard.press.new_presses` hands back only those not applied yet, in order: two quick
presses of "next" are two steps even when Streamlit folds their reruns into one.

A run first takes the new presses, applies them, and only then draws the component
(`show_clicker`) with the briefing's new version, which the component broadcasts to the
briefing's other windows in the same browser.
"""

from __future__ import annotations

from pathlib import Path

import streamlit.components.v1 as components

from layers.i18n import t
from layers.render.leaflet import CLICKER_KEYS

_component = components.declare_component(
    "bm_clicker", path=str(Path(__file__).resolve().parent / "components" / "clicker")
)


def show_clicker(
    actions: tuple[str, ...],
    lang: str,
    show_buttons: bool,
    key: str,
    channel: str,
    version: int,
    follow: dict | None = None,
) -> None:
    """The clicker; with `follow` (url, header, key, every_ms) it also asks the server for
    the briefing's version and reruns this window when it moved (`layers.routes`)."""
    _component(
        actions=list(actions),
        keys={a: CLICKER_KEYS[a] for a in actions},
        labels={a: t(f"btn_{a}", lang) for a in actions},
        show_buttons=show_buttons,
        dir="rtl" if lang == "ar" else "ltr",
        channel=channel,
        version=version,
        follow=follow,
        key=key,
        default=None,
    )
