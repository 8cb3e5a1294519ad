"""Exports in the sidebar: the current view as PNG, SVG, PDF, HTML, GeoJSON or CSV (size and
marking chosen in a small form), and the chosen walkthrough's briefing pack (PPTX, PDF, HTML)
with a progress bar. Files are built only when asked; their names carry the view and a
sortable UTC time (`briefmap-view-en-20251123T1430Z.png`). The formats listed, their media
types and the building are the export registry's (`layers.export.formats`, through
`layers.export.products` and `layers.export.pack`): the same code as `briefmap export`. An error
of the family (`BriefmapError`) is caught in one place here (`_attempt`) and shown in words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import streamlit as st

from dashboard import data, events_panel, state
from layers.dtg import stamp, utc_now
from layers.errors import BriefmapError, app_message
from layers.export import formats
from layers.export.products import Request, build_product, file_name
from layers.i18n import t
from layers.model import Geodata
from layers.render.escape import md
from layers.view import View
from layers.walkthrough import Walkthrough

T = TypeVar("T")


@dataclass(frozen=True)
class Built:
    name: str
    data: bytes
    mime: str
    note: str | None = None  # e.g. "the CSV holds the report features only, not the incidents"


def export_panel(view: View, geodata: Geodata, lang: str) -> None:
    st.sidebar.subheader(t("download", lang))
    with st.sidebar.form("export-form", border=False):
        fmt = st.selectbox(
            t("export_format", lang),
            offered_formats(),
            key="exp-format",
            format_func=str.upper,
        )
        size = st.selectbox(
            t("export_size", lang),
            ("slide", "a4", "letter"),
            key="exp-size",
            format_func=lambda s: t(f"size_{s}", lang),
        )
        marking = st.text_input(
            t("export_marking", lang),
            key="exp-marking",
            placeholder="TLP:CLEAR",
            help=t("export_marking_help", lang),
        )
        asked = st.form_submit_button(
            t("export_build", lang), key="exp-build", use_container_width=True
        )
    if asked:
        _build_view(fmt, size, marking, view, geodata)
    _offer(st.session_state.get(state.EXPORT), "exp-download")
    _errors(state.EXPORT_ERROR)


def offered_formats() -> tuple[str, ...]:
    """The formats a view can be exported in: every one the registry can build for a view."""
    return formats.view_formats()


def _attempt(make: Callable[[], T], error_key: str) -> T | None:
    """The one place the sidebar's exports catch the error family: ProductError, SnapshotError,
    MarkingError, a refused basemap … become words under the button (escaped), never a
    traceback. Anything else is a bug and is raised."""
    try:
        made = make()
    except BriefmapError as exc:
        st.session_state[error_key] = app_message(exc)
        return None
    st.session_state[error_key] = None
    return made


def _build_view(fmt: str, size: str, marking: str, view: View, geodata: Geodata) -> None:
    events, snap = events_panel.export_source()  # the incidents the map shows, if any
    req = Request(
        fmt,
        view,
        utc_now(),
        size=size,
        classification=marking.strip() or None,
        frame=st.session_state.get(state.BOUNDS),
        events=events,
        events_snapshot=snap,
        basemap=data.runtime().basemap,
    )
    product = _attempt(lambda: build_product(req, geodata), state.EXPORT_ERROR)
    st.session_state[state.EXPORT] = None
    if product is not None:
        media = formats.get(fmt).media_type
        st.session_state[state.EXPORT] = Built(file_name(req), product.data, media, product.note)


def pack_panel(walkthrough: Walkthrough, geodata: Geodata, lang: str) -> None:
    """The pack of the walkthrough chosen in the sidebar, built on request."""
    if st.sidebar.button(t("pack_build", lang), key="pack-build", use_container_width=True):
        _build_pack(walkthrough, geodata, lang)
    for i, built in enumerate(st.session_state.get(state.PACK) or ()):
        _offer(built, f"pack-download-{i}")
    _errors(state.PACK_ERROR)


def _build_pack(walkthrough: Walkthrough, geodata: Geodata, lang: str) -> None:
    from layers.export.pack.build import build_pack

    bar = st.sidebar.progress(0.0, text=t("pack_building", lang))
    when = utc_now()
    marking = (st.session_state.get("exp-marking") or "").strip() or None
    try:
        pack = _attempt(
            lambda: build_pack(
                walkthrough,
                geodata,
                lang,
                when,
                classification=marking,
                progress=lambda f, msg: bar.progress(f, text=f"{t('pack_building', lang)} {msg}"),
                basemap=data.runtime().basemap,
            ),
            state.PACK_ERROR,
        )
    finally:
        bar.empty()
    st.session_state[state.PACK] = None
    if pack is None:
        return
    base = f"briefmap-{walkthrough.id}-pack-{lang}-{stamp(when)}"
    st.session_state[state.PACK] = tuple(
        Built(f"{base}{formats.get(fmt).suffix}", data, formats.get(fmt).media_type)
        for fmt, data in pack.files.items()
    )


def _offer(built: Built | None, key: str) -> None:
    if built is None:
        return
    st.sidebar.download_button(
        f"⬇ {md(built.name)}",
        built.data,
        file_name=built.name,
        mime=built.mime,
        key=key,
        use_container_width=True,
    )
    if built.note:
        st.sidebar.caption(md(built.note))


def _errors(key: str) -> None:
    message = st.session_state.get(key)
    if message:
        st.sidebar.error(message)  # escaped by app_message
