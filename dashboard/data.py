"""Cached loaders. Cache data and immutable records, never a folium Map (see TRAPS).

Everything comes from one `Runtime`, built once per process from the settings `briefmap serve`
handed the script (or, run by `streamlit run` or a test, from the environment)."""

from __future__ import annotations

import sys

import streamlit as st

from layers.briefing import BriefingRoom
from layers.events.store import EventStore
from layers.model import Geodata
from layers.paths import STATIC_DIR
from layers.render.assets import STATIC_URL, install_static
from layers.render.basemap import install_basemap
from layers.reports import Library, publish
from layers.runtime import Runtime
from layers.settings import for_app


@st.cache_resource(show_spinner=False)
def runtime() -> Runtime:
    """The app's runtime: its settings are read here, once per process."""
    return Runtime(for_app(sys.argv[1:]))


def geodata() -> Geodata:
    """The validated geodata; frozen records, safe to share between sessions."""
    return runtime().geodata


def store() -> EventStore:
    """The event store (StoreError when its folder cannot be used: the page says why)."""
    return runtime().store()


@st.cache_resource(show_spinner=False)
def reports() -> tuple[Library, str | None]:
    """The source reports of the settings' folder, verified against sources.json. A folder
    that fails verification gives no paragraphs, and the reason to show: never a wrong
    paragraph."""
    return runtime().reports_or_problem()


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
    """The basemap archive the browser reads (the user's from the settings, else ours); fills
    the static folder too (also when run without `briefmap serve`)."""
    install_static(STATIC_DIR)
    settings = runtime().settings
    return install_basemap(STATIC_DIR, settings.basemap, settings.geodata)
