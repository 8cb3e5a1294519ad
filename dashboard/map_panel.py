"""The map: a base map that stays mounted, with the view's layers as feature groups.

A pan reports centre and zoom back (for the URL) but rebuilds nothing in the browser: the base
map's script is the same on every run until the language changes, and the feature groups are
re-sent only when the filters change them.
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from dashboard import access, events_panel, state
from dashboard.data import basemap_source, map_reports, reports_key
from dashboard.markup import html_block
from dashboard.scene_cache import scene_groups
from layers.access import Capability
from layers.i18n import t
from layers.model import Feature, Geodata
from layers.render.leaflet import base_map, focus_group, highlight_group, layer_groups
from layers.render.legend import legend_html, legend_items, legend_keys
from layers.view import View

MAP_HEIGHT = 700
MAP_KEY = "map"


def show_map(geodata: Geodata, view: View, features: list[Feature]) -> None:
    lat, lon, zoom = state.base_extent(view)
    # Built on every run (never cached): st_folium rewrites the map it is given.
    m = base_map(
        lang=view.lang,
        basemap_source=basemap_source(),
        center=(lat, lon),
        zoom=zoom,
        reports_key=reports_key() if access.may(Capability.READ_SOURCES) else None,
    )
    library = map_reports()
    layer_ids = tuple(view.visible_layers(geodata))
    # The report layers of these filters, built and rendered once per server for every
    # session and run that shows them (most runs only pan); a copy, since more are added.
    key = ("analyst", id(geodata), id(library), view.lang, layer_ids, tuple(f.id for f in features))
    groups = list(
        scene_groups(
            key,
            (geodata, library),
            lambda: layer_groups(features, geodata, layer_ids, view.lang, library),
        )
    )
    focus = state.take_focus()
    if focus:
        lit = (geodata.feature(fid) for fid in focus.feature_ids)
        groups.append(highlight_group(lit, view.lang))
        if focus.fly:
            groups.append(focus_group(focus.target, focus.nonce))
    incidents = events_panel.map_groups(view, geodata)  # [] when no imported incident matches
    groups.extend(incidents)
    returned = ["center", "zoom", "bounds"]  # bounds: "only what is in view", scene extents
    returned += events_panel.returned_objects()  # clicks on events open their popup
    # What the map reports arrives in st.session_state[MAP_KEY] before the next run starts;
    # app.py records it there, so the view of that run already has the new extent.
    st_folium(
        m,
        key=MAP_KEY,
        height=MAP_HEIGHT,
        use_container_width=True,
        feature_group_to_add=groups,
        returned_objects=returned,
    )
    if not features and not incidents:
        st.info(t("nothing_matches", view.lang))


def legend(view: View, geodata: Geodata, features: list[Feature]) -> None:
    lang = view.lang
    st.markdown(f"**{t('legend', lang)}**")
    html = legend_html(legend_items(features, geodata, lang), legend_keys(features, lang), lang)
    html_block(html)  # every label in it is escaped by legend_html
