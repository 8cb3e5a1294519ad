"""briefmap dashboard entry point (`briefmap serve` runs this with the project's settings).

One app, three windows chosen by the link: the analyst's dashboard (default), and for a
walkthrough the presenter's view (`?walkthrough=ID&scene=N`, or `mode=presenter`) and the
audience's view (`mode=audience`), which follow one briefing by its token.
"""

from __future__ import annotations

import secrets

import streamlit as st
from streamlit.logger import get_logger

from dashboard import access, data, events_panel, sidebar, state
from dashboard.analyst import analyst_page
from dashboard.briefing import audience_page, presenter_page
from dashboard.map_panel import MAP_KEY
from dashboard.markup import html_block
from dashboard.sources_panel import reports_notice
from layers.boundary import GeodataError
from layers.errors import BriefmapError, app_message, one_line

st.set_page_config(page_title="briefmap", page_icon=":world_map:", layout="wide")
LOG = get_logger("briefmap")

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
.bm-pres-points { font-size: 1.15rem; }
.stApp ul.bm-pres-points li, .stApp ul.bm-aud-points li { text-align: start !important; }
/* A code box's copy button (the link to the view) is shown without hovering over the box:
 * Streamlit hides its toolbar (the box's one child div; the code is in a pre) until hover,
 * and a help line cannot point at a hidden button. No :has(), which Chrome re-checks as the
 * page's elements come and go. */
[data-testid="stCode"] > div { opacity: 1 !important; visibility: visible !important; }
/* No CSS transition on what a rerun may remove while it runs: Streamlit's frontend (react-aria's
 * runAfterTransition) keeps every element whose transition has started in a module-level map
 * until it ends, and an element removed mid-way never ends it. A rerun's stale fade (opacity
 * after 0.5 s, over 1 s) starts on every element; a filter change that dropped timeline entries
 * kept their whole DOM there (tests/ui/test_events.py). The stale fade is an animation here,
 * which nothing keeps; an expander's header and border dim at once. */
@keyframes bm-stale { from { opacity: 1; } to { opacity: 0.33; } }
[data-testid="stElementContainer"][data-stale="true"] { transition: none !important;
  animation: bm-stale 1s ease-in 0.5s both; }
[data-testid="stExpander"] details, [data-testid="stExpander"] summary,
[data-testid="stMultiSelect"] *, [data-testid="stMultiSelectDropdown"],
[data-testid="stMultiSelectDropdown"] * { transition: none !important; }
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
    state.settle_navigation()
    mode = state.mode()
    who = None
    if mode != "audience":  # a capability link for the projector: its key, no sign-in
        lang = st.session_state.get(state.KEY_LANG) or state.link_language()
        html_block(PAGE_CSS + (RTL_CSS if lang == "ar" else ""))
        who = access.gate(lang)  # nothing below runs for a visitor who has not signed in
        if who is None:
            return
    events_panel.new_run()  # this run reads the event store once, whatever asks
    state.seed_from_url(geodata, events_panel.type_names)
    if mode == "dashboard":
        state.record_map(st.session_state.get(MAP_KEY))
        lang = sidebar.language_switch()
    else:
        lang = st.session_state.get(state.KEY_LANG, "en")
    if who is None:  # the audience's window
        html_block(PAGE_CSS + (RTL_CSS if lang == "ar" else ""))
        audience_page(geodata, lang)
        return
    reports_notice(lang)
    if mode == "presenter":
        presenter_page(geodata, lang, who)
    else:
        access.account_box(who, lang)
        analyst_page(geodata, lang, who)


def run() -> None:
    """The page, with a last line of defence: an error no check foresaw is logged on the
    server with what is needed to find it, and the user sees a short message (with
    `client.showErrorDetails = "none"`, Streamlit itself never shows a traceback or a path)."""
    try:
        main()
    except BriefmapError as exc:  # something a person can act on: said on the page, escaped
        LOG.warning("briefmap: %s", one_line(exc))
        st.error(app_message(exc))
    except Exception:  # noqa: BLE001 - logged in full below; the user gets an incident id
        incident = secrets.token_hex(4)
        params = st.query_params
        LOG.exception(
            "briefmap incident %s: mode=%s query keys=%s",
            incident,
            state.mode(),
            sorted(str(k)[:20] for k in params.keys())[:20],  # values may hold briefing keys
        )
        st.error(
            f"Something went wrong on the server (incident {incident}). The page is otherwise "
            "unchanged; the server's log has the details."
        )


run()
