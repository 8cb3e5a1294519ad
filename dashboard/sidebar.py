"""The sidebar: layer toggles grouped by theme. Returns the View the widgets describe."""

from __future__ import annotations

import streamlit as st

from layers.model import Geodata, Theme
from layers.view import View

THEME_TITLES = {
    Theme.SECURITY: "Security",
    Theme.ECONOMY: "Economy",
    Theme.POLITICS: "Politics",
    Theme.CONTEXT: "Context",
    Theme.SCENARIOS: "Scenarios (hypothetical)",
}


def layer_toggles(geodata: Geodata) -> View:
    st.sidebar.header("Layers")
    chosen = set()
    for theme, title in THEME_TITLES.items():
        layers = [layer for layer in geodata.layers.values() if layer.theme == theme]
        if not layers:
            continue
        st.sidebar.caption(title)
        for layer in layers:
            count = len(geodata.in_layer(layer.id))
            on = st.sidebar.checkbox(
                f"{layer.name_en} ({count})",
                value=layer.visible,
                key=f"layer-{layer.id}",
                help=layer.description_en,
            )
            if on:
                chosen.add(layer.id)
    return View(layers=frozenset(chosen))
