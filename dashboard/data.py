"""Cached loaders. Cache data and immutable records, never a folium Map (see TRAPS)."""

from __future__ import annotations

import streamlit as st

from layers.boundary import load_geodata
from layers.briefing import BriefingRoom
from layers.model import Geodata
from layers.paths import STATIC_DIR
from layers.render.assets import STATIC_URL, install_static
from layers.render.basemap import install_basemap, user_archive
from layers.reports import Library, ReportsError, load_reports, publish


@st.cache_resource(show_spinner=False)
def geodata() -> Geodata:
    """The validated geodata; frozen records, safe to share between sessions."""
    return load_geodata()


@st.cache_resource(show_spinner=False)
def reports() -> tuple[Library, str | None]:
    """The source reports of $BRIEFMAP_REPORTS (set by `briefmap serve --reports`), verified
    against sources.json. A folder that fails verification gives no paragraphs, and the
    reason to show: never a wrong paragraph."""
    from layers.paths import reports_dir

    try:
        return load_reports(reports_dir(), geodata().reports), None
    except ReportsError as exc:
        return Library(exc.folder), str(exc)


@st.cache_resource(show_spinner=False)
def map_reports() -> Library:
    """The verified reports for the map: each as a local JSON file its popups fetch a
    paragraph from when a citation is opened (the map then carries no paragraph text)."""
    library, _problem = reports()
    return publish(library, STATIC_DIR / "reports", f"{STATIC_URL}/reports")


@st.cache_resource(show_spinner=False)
def briefing_room() -> BriefingRoom:
    """Briefings in progress, shared by the presenter and audience windows of each (by token).
    The only state shared between sessions, on purpose; it holds scene numbers, not maps."""
    return BriefingRoom()


@st.cache_resource(show_spinner=False)
def basemap_source() -> dict:
    """The basemap archive the browser reads (the user's from `serve --basemap`, else ours);
    fills the static folder too (also when run without `briefmap serve`)."""
    install_static(STATIC_DIR)
    return install_basemap(STATIC_DIR, user_archive())
