"""The map: a base map that stays mounted, with the view's layers as feature groups."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from dashboard.data import basemap_url
from layers.model import Geodata
from layers.render.leaflet import base_map, layer_groups
from layers.view import View

MAP_HEIGHT = 760


def show_map(geodata: Geodata, view: View) -> None:
    # Built on every run (never cached): st_folium rewrites the map it is given.
    m = base_map(lang=view.lang, basemap_url=basemap_url())
    groups = layer_groups(view.features(geodata), geodata, view.visible_layers(geodata), view.lang)
    st_folium(
        m,
        key="map",
        height=MAP_HEIGHT,
        use_container_width=True,
        feature_group_to_add=groups,
        returned_objects=[],
    )
    if not groups:
        st.info("No layer is switched on: choose layers in the sidebar.")
