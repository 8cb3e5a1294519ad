"""The analyst's page: filters and layers in the sidebar, the map, legend and timeline.

The map paints first. The timeline (a few elements for each of its entries) and the sidebar's
widgets wait for the map's first report (it reruns the page a moment after the map is drawn):
drawn with the map, their elements held up the map's first paint by about 1.5 s and 0.4 s
(bench/first_paint.py). The widgets' values are in session state before any widget is drawn
(seeded from the link), so the first map already shows the linked view.
"""

from __future__ import annotations

import streamlit as st

from dashboard import author, events_panel, manage, sidebar, state
from dashboard.map_panel import MAP_KEY, legend, show_map
from dashboard.timeline_panel import PANEL_HEIGHT, timeline_panel
from layers.access import Capability, Person
from layers.i18n import t
from layers.model import Geodata
from layers.render.escape import md
from layers.view.words import describe


def analyst_page(geodata: Geodata, lang: str, who: Person) -> None:
    # The view comes from session state, where the widgets' values already are when a run
    # starts, so the map can be sent before the sidebar's widgets: the browser creates the
    # map's frame before it renders the sidebar (about 0.3 s sooner, bench/first_paint.py).
    state.tidy_filters(geodata, events_panel.type_names)
    view = state.current_view(geodata)
    features = view.select(geodata)
    state.sync_url(view)
    painted = st.session_state.get(MAP_KEY) is not None  # the map has reported once

    st.markdown(f"#### {t('app_title', lang)}")
    st.caption(md(describe(view, geodata)) + " · " + t("n_features", lang, n=len(features)))
    notes = st.session_state.get(state.NOTES)
    if notes:
        st.warning(t("ignored_link", lang, notes=md("; ".join(notes))))
    left, right = st.columns([3.2, 1], gap="medium")
    with left:
        show_map(geodata, view, features)
        legend(view, geodata, features)

    if painted:  # the sidebar's widgets held up the first paint by about 0.4 s
        sidebar.search_box(geodata, lang)
        sidebar.filters(geodata, lang)
        sidebar.layer_toggles(geodata, lang)
        events_panel.toggle(lang)
        if who.may(Capability.EXPORT):
            sidebar.downloads_and_link(view, geodata, features)
        author.briefing_sidebar(geodata, view, lang, who)
        if who.may(Capability.MANAGE):  # every server's briefings, each may be ended
            manage.briefings_panel(lang)
            manage.imports_panel(lang, who)  # the store's imports, each may be removed
        if who.may(Capability.IMPORT):  # writes the store every analyst shares
            events_panel.uploader(lang, who)
    else:  # (tests wait for this container to go: tests/ui/harness.open_map)
        st.sidebar.container(key="bm-controls-pending").caption(t("loading_controls", lang))

    with right:
        _focus_note(lang)
        events_panel.summary(view, geodata)
        if painted:
            timeline_panel(view, geodata)
        else:  # the panel's frame, so nothing moves when it fills
            st.markdown(f"**{t('timeline', lang)}**")
            st.container(height=PANEL_HEIGHT, key="timeline")


def _focus_note(lang: str) -> None:
    focus = st.session_state.get(state.FOCUS)
    if focus:
        st.caption(t("highlighted", lang, label=md(focus.label)))
        st.button(t("clear_highlight", lang), key="clear-focus", on_click=state.clear_focus)
