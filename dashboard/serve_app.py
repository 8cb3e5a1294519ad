"""The server `briefmap serve` runs (`streamlit run dashboard/serve_app.py -- <settings>`):
Streamlit's own routes and the app (`dashboard/app.py`), plus briefmap's route
(`layers.routes`), which sends the assets, the basemap archive and the cited paragraphs
straight from where they are. `streamlit run` finds `app` below (an `st.App`) and serves it
with uvicorn in this process, so the route and the script's sessions share one runtime."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from streamlit.logger import get_logger
from streamlit.runtime import Runtime as StreamlitRuntime
from streamlit.runtime.app_session import AppSession

from dashboard import data
from dashboard.access import MAY_UPLOAD
from layers.routes import CloseStreamlitEndpoints, GuardUploads, ReturnAfterSignIn, routes
from layers.runtime import Runtime
from layers.settings import for_app


def _alive(session_id: str) -> bool:
    """Whether a session of this server is still open (its report key is then honoured)."""
    return StreamlitRuntime.exists() and StreamlitRuntime.instance().is_active_session(session_id)


def _may_upload(session_id: str) -> bool:
    """Whether the page of this live session marked it as one that may upload a file (its
    person may import or author: `dashboard.access.gate`)."""
    if not StreamlitRuntime.exists():
        return False
    manager = StreamlitRuntime.instance()._session_mgr  # noqa: SLF001 - no public lookup
    info = manager.get_active_session_info(session_id)
    if info is None:
        return False
    try:
        return info.session.session_state[MAY_UPLOAD] is True
    except KeyError:
        return False


def _refuse_clear_cache(session: AppSession) -> None:
    """Streamlit's `clear_cache` back-message, which any client can send over its websocket
    (no menu of ours offers it), is off: it would empty every user's caches at once."""
    get_logger("briefmap").warning("briefmap: refused a client's clear_cache (off in briefmap)")


AppSession._handle_clear_cache_request = _refuse_clear_cache  # type: ignore[method-assign]
runtime = Runtime(for_app(sys.argv[1:]))
runtime.publisher.alive = _alive
runtime.publisher.basemap()  # checked before serving, never first inside a request
data.serve_with(runtime)
app = st.App(
    Path(__file__).resolve().parent / "app.py",
    routes=routes(runtime.publisher, runtime.briefings),
    middleware=[
        Middleware(CloseStreamlitEndpoints),
        Middleware(ReturnAfterSignIn),
        Middleware(GuardUploads, may_upload=_may_upload),
    ],
)
