"""Cached loaders. Cache data and immutable records, never a folium Map (see TRAPS).

Everything comes from one `Runtime`: the server's (`dashboard/serve_app.py` builds it from the
settings `briefmap serve` handed it, and its web route serves from the same runtime), or, when
the script runs without that server (AppTest), one built here from the environment."""

from __future__ import annotations

import sys

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from layers.briefing import BriefingStore
from layers.events.store import EventStore
from layers.model import Geodata
from layers.reports import Library
from layers.runtime import Runtime
from layers.settings import for_app

# The server's runtime (set once by dashboard/serve_app.py): kept outside Streamlit's caches,
# which any client can clear, so the route and every session keep sharing it.
_SERVER: list[Runtime] = []
_KEY = "bm-reports-key"  # this session's key to the report paragraphs


def serve_with(server_runtime: Runtime) -> None:
    _SERVER[:] = [server_runtime]


@st.cache_resource(show_spinner=False)
def runtime() -> Runtime:
    """The app's runtime: the server's, else one from the settings read here, once."""
    return _SERVER[0] if _SERVER else Runtime(for_app(sys.argv[1:]))


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
    """The verified reports for the map: their popups fetch a paragraph from the server's
    route when a citation is opened (the map then carries no paragraph text), with the key
    this session was granted (`reports_key`)."""
    library, _problem = reports()
    return runtime().publisher.publish_reports(library)


def reports_key() -> str:
    """This session's key to the report paragraphs, granted once per session (again if the
    server no longer honours it)."""
    publisher = runtime().publisher
    key = st.session_state.get(_KEY)
    if not publisher.granted(key):
        ctx = get_script_run_ctx()
        key = publisher.grant(ctx.session_id if ctx else "")
        st.session_state[_KEY] = key
    return key


def briefing_room() -> BriefingStore:
    """Briefings in progress, shared by the presenter and audience windows of each (by token):
    the runtime's (in the team's database, or this server's memory), never in a Streamlit
    cache, which any client can clear. It holds scene numbers, not maps."""
    return runtime().briefings()


@st.cache_resource(show_spinner=False)
def basemap_source() -> dict:
    """The basemap archive the browser reads (the user's from the settings, else ours), as
    the server's route sends it."""
    spec, _file = runtime().publisher.basemap()
    return spec
