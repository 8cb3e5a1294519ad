"""briefmap dashboard entry point (`briefmap serve` runs this with the project's settings)."""

from __future__ import annotations

import streamlit as st

from dashboard import data, sidebar, state
from dashboard.map_panel import MAP_KEY, legend, show_map
from dashboard.timeline_panel import timeline_panel
from layers.boundary import GeodataError
from layers.i18n import t
from layers.view_words import describe

st.set_page_config(page_title="briefmap", page_icon=":world_map:", layout="wide")

# Constant CSS (no data in it): a briefing screen wants the map, not Streamlit's margins.
PAGE_CSS = """
<style>
.block-container { padding-top: 1.2rem; padding-bottom: 0.5rem; }
section[data-testid="stSidebar"] .block-container { padding-top: 1rem; }
.bm-legend ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap;
  gap: 2px 18px; }
.bm-legend li { margin: 0; white-space: nowrap; }
.bm-legend .bm-swatches svg { vertical-align: middle; margin-inline-end: 2px; }
.bm-legend .bm-count { color: #666; }
.bm-legend-keys { margin-top: 6px !important; font-size: 0.85em; color: #444; }
</style>
"""
RTL_CSS = """
<style>
.stApp, section[data-testid="stSidebar"] { direction: rtl; }
.stApp [data-testid="stMarkdownContainer"], .stApp [data-testid="stCaptionContainer"],
.stApp label, .stApp h1, .stApp h2, .stApp h3, .stApp h4 { text-align: right; }
.stApp [data-testid="stCode"] { direction: ltr; }
</style>
"""


def main() -> None:
    try:
        geodata = data.geodata()
    except GeodataError as exc:
        st.error("The geodata has problems; fix them and reload.")
        st.code("\n".join(str(p) for p in exc.problems))
        return
    state.seed_from_url(geodata)
    state.record_map(st.session_state.get(MAP_KEY))
    lang = sidebar.language_switch()
    st.markdown(PAGE_CSS + (RTL_CSS if lang == "ar" else ""), unsafe_allow_html=True)
    sidebar.search_box(geodata, lang)
    sidebar.filters(geodata, lang)
    sidebar.layer_toggles(geodata, lang)
    view = state.current_view(geodata)
    features = view.select(geodata)
    state.sync_url(view)
    sidebar.downloads_and_link(view, geodata, features)

    st.markdown(f"#### {t('app_title', lang)}")
    st.caption(describe(view, geodata) + " · " + t("n_features", lang, n=len(features)), help=None)
    notes = st.session_state.get(state.NOTES)
    if notes:
        st.warning(t("ignored_link", lang, notes="; ".join(notes)))
    left, right = st.columns([3.2, 1], gap="medium")
    with left:
        show_map(geodata, view, features)
        legend(view, geodata, features)
    with right:
        _focus_note(lang)
        timeline_panel(view, geodata)


def _focus_note(lang: str) -> None:
    focus = st.session_state.get(state.FOCUS)
    if focus:
        st.caption(t("highlighted", lang, label=focus.label))
        st.button(t("clear_highlight", lang), key="clear-focus", on_click=state.clear_focus)


main()
