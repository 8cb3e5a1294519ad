"""Imported incidents in the dashboard: the map layer, its summary (counts by type, a monthly
histogram, fatalities with ACLED's caveat, "data as of"), and the uploader. Everything that
computes lives in `layers.events`; this module wires it to widgets and caches."""

from __future__ import annotations

import math
import tempfile
import time
from collections import Counter
from pathlib import Path

import folium
import numpy as np
import pandas as pd
import streamlit as st

from dashboard import data, state
from dashboard.markup import html_block
from layers.errors import BriefmapError, app_message
from layers.events.export import events_csv
from layers.events.geojson import MAX_BYTES
from layers.events.importer import FORMATS, import_file
from layers.events.index import EventIndex, event_mask, load_index, summarise
from layers.events.layer import events_at, popup_group, render_events
from layers.events.popup import popup_html
from layers.events.problems import EventDataError
from layers.events.store import EventStore, StoreError, StoreInfo, open_store
from layers.events.words import w
from layers.marking import SCHEME
from layers.model import Geodata
from layers.render.escape import md
from layers.view import View

FRAME = "bm_events_frame"  # bounds and zoom the events layer was last built for, and its cover
MAP_WIDTH_PX = 1100  # a fair guess of the map's width before the browser reports its bounds
# Vega-Lite draws its axes left to right; under the page's right-to-left direction (Arabic) the
# labels would slide under the bars.
CHART_CSS = "<style>.stApp [data-testid='stVegaLiteChart'] { direction: ltr; }</style>"


def _store() -> EventStore:
    return data.store()


def _info() -> StoreInfo | None:
    try:
        return _store().describe()
    except StoreError as exc:
        st.sidebar.error(app_message(exc))
        return None


@st.cache_resource(show_spinner=False, max_entries=2)
def _index(location: str, generation: int) -> EventIndex:
    """The loaded columns of one generation (a new import is a new generation)."""
    del generation  # part of the cache key only
    return load_index(open_store(location))


def current_index() -> EventIndex | None:
    info = _info()
    if info is None or not info.rows:
        return None
    return _index(info.location, info.generation)


def export_source() -> tuple[EventStore | None, EventIndex | None]:
    """The store and its loaded columns for an export, when the map shows imported incidents
    (the layer is on and the store holds events); else (None, None)."""
    index = current_index() if enabled() else None
    return (_store(), index) if index is not None else (None, None)


def enabled() -> bool:
    return bool(st.session_state.get(state.KEY_EVENTS, True))


def type_names() -> tuple[str, ...]:
    index = current_index()
    return index.type_names() if index is not None else ()


def type_counts(view: View, geodata: Geodata) -> Counter:
    """Events of each ACLED type the view would show without its type filter."""
    index = current_index()
    if index is None or not enabled():
        return Counter()
    mask = event_mask(index, view.with_changes(types=frozenset()), geodata)
    return Counter(dict(summarise(index, mask).by_type))


def _bounds() -> tuple[float, float, float, float]:
    """The map's bounds as last reported, else worked out from its centre and zoom."""
    bounds = st.session_state.get(state.BOUNDS)
    if bounds:
        return tuple(bounds)
    lat, lon, zoom = st.session_state[state.EXTENT]
    per_px = 360 / (256 * 2**zoom)
    half_w = MAP_WIDTH_PX / 2 * per_px
    half_h = 350 * per_px * math.cos(math.radians(lat))
    return (lon - half_w, lat - half_h, lon + half_w, lat + half_h)


def map_groups(view: View, geodata: Geodata) -> list[folium.FeatureGroup]:
    """The events layer for the current view and map extent, and the popup of a click."""
    index = current_index()
    if index is None or not enabled():
        return []
    mask = event_mask(index, view, geodata)
    if not mask.any():
        return []
    bounds, zoom = _frame(_bounds(), st.session_state[state.EXTENT][2])
    shown = render_events(index, mask, bounds, zoom, view.lang)
    st.session_state[FRAME] = (bounds, zoom, shown.box, shown.zooms)
    groups = [shown.group]
    click = _new_click()
    if click is not None:
        popup = _popup(index, mask, click, view.lang)
        if popup is not None:
            groups.append(popup)
    return groups


def _frame(bounds: tuple, zoom: float) -> tuple[tuple, float]:
    """The bounds and zoom to build the events layer for: those of the last layer while the
    view stays inside what it covers at a zoom of the same resolution (the browser then gets
    the very same layer and redraws nothing), else the map's own."""
    last = st.session_state.get(FRAME)
    if last is None:
        return bounds, zoom
    was_bounds, was_zoom, box, zooms = last
    w_, s, e, n = bounds
    inside = box[0] <= w_ and box[1] <= s and e <= box[2] and n <= box[3]
    if inside and zoom is not None and zooms[0] <= zoom <= zooms[1]:
        return was_bounds, was_zoom
    return bounds, zoom


def _new_click() -> tuple[float, float, int] | None:
    """The place of the last map click and its click number, as the map reported them."""
    result = st.session_state.get("map") or {}
    where = result.get("last_object_clicked")
    count = result.get("last_object_clicked_count") or 0
    if not where or "lat" not in where:
        return None
    return where["lat"], where["lng"], int(count)


def _popup(index: EventIndex, mask: np.ndarray, click, lang: str) -> folium.FeatureGroup | None:
    lat, lon, nonce = click
    rows = events_at(index, mask, lat, lon)
    if not len(rows):
        return None
    try:
        details = _store().details(index.generation, rows[:12].tolist())
    except StoreError:
        return None  # a newer import replaced this generation: the next run has it
    return popup_group(lat, lon, popup_html(details, len(rows), lang), nonce)


def returned_objects() -> list[str]:
    """What the map must report back for the events layer: clicks, to open a popup."""
    if current_index() is None or not enabled():
        return []
    return ["last_object_clicked", "last_object_clicked_count"]


def summary(view: View, geodata: Geodata) -> None:
    """Counts by type and a monthly histogram following the filters; fatalities with ACLED's
    caveat; and where the data came from."""
    index = current_index()
    info = _info()
    if index is None or info is None or not enabled():
        return
    lang = view.lang
    mask = event_mask(index, view, geodata)
    s = summarise(index, mask)
    st.markdown(f"**{md(w('layer', lang))}**: {s.shown:,}")
    st.caption(md(info.as_of(lang)))
    if not s.shown:
        return
    html_block(CHART_CSS)  # constant CSS, no data in it
    types = pd.DataFrame(s.by_type, columns=["type", "events"]).set_index("type")
    st.bar_chart(types, horizontal=True, height=200, use_container_width=True)
    months = pd.DataFrame({"month": pd.to_datetime(list(s.months)), "events": s.per_month})
    st.bar_chart(months.set_index("month"), height=160, use_container_width=True)
    st.caption(md(f"{w('fatalities', lang)}: {s.fatalities:,}. {w('fatalities_caveat', lang)}"))
    st.download_button(
        w("download_csv", lang, n=f"{s.shown:,}"),
        lambda: events_csv(_store(), index.generation, mask),  # made only when clicked
        file_name="briefmap-incidents.csv",
        mime="text/csv",
        key="events-csv",
        on_click="ignore",
    )


def toggle(lang: str) -> None:
    """The layer's switch (only when the store holds events)."""
    info = _info()
    if info is None or not info.rows:
        return
    st.sidebar.toggle(f"{w('layer', lang)} ({info.rows:,})", key=state.KEY_EVENTS)


def uploader(lang: str) -> None:
    """Import a file into the store, with a progress bar and rows per second. The file box
    appears once the analyst opens the importer; the outcome of the last import stays shown.
    The map is drawn before the sidebar, so a run that imports reruns the page to draw it
    with the new data."""
    if not st.sidebar.toggle(w("import", lang), key="events-import-open"):
        return
    with st.sidebar.container(border=True):
        upload = st.file_uploader(
            w("import_file", lang),
            type=["csv", "geojson", "json"],
            key="events-upload",
            max_upload_size=MAX_BYTES >> 20,  # MB: the most a GeoJSON import takes
        )
        fmt = st.radio(w("import_format", lang), FORMATS, horizontal=True, key="events-format")
        marking = st.selectbox(
            w("import_marking", lang), [m.label for m in SCHEME], index=1, key="events-marking"
        )
        skip = st.checkbox(w("skip_invalid", lang), key="events-skip")
        if upload is not None and st.button(w("import_go", lang), key="events-go"):
            outcome = _run_import(upload, fmt, skip, marking, lang)
            st.session_state[state.EVENTS_IMPORT] = outcome
            if outcome.ok:
                st.rerun()
        _show_outcome(st.session_state.get(state.EVENTS_IMPORT), lang)


def _run_import(upload, fmt: str, skip: bool, marking: str, lang: str) -> state.ImportOutcome:
    bar = st.progress(0.0, text=w("import_reading", lang))
    started = time.perf_counter()

    def progress(done: int, total: int, rows: int) -> None:
        rate = rows / max(time.perf_counter() - started, 1e-9)
        bar.progress(
            min(done / total, 1.0) if total else 1.0, text=f"{rows:,} rows · {rate:,.0f} rows/s"
        )

    try:
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "in").mkdir()
            path = Path(tmp) / "in" / (Path(upload.name).name or "upload")  # messages name it
            path.write_bytes(upload.getvalue())
            result = import_file(
                _store(),
                path,
                fmt=fmt,
                skip_invalid=skip,
                progress=progress,
                display_name=upload.name,
                rejects=Path(tmp) / "rejected.csv",
                marking=marking,
            )
            rejects = result.rejects_file.read_bytes() if result.rejects_file else None
    except EventDataError as exc:
        return state.ImportOutcome(
            upload.name,
            False,
            w("import_refused", lang, n=len(exc.problems) + exc.more),
            "\n".join(str(p) for p in exc.problems),
        )
    except (BriefmapError, OSError) as exc:
        return state.ImportOutcome(upload.name, False, str(exc), "")
    finally:
        bar.empty()
    return state.ImportOutcome(
        upload.name, True, f"{upload.name}: {result.counts.words()}", result.summary(), rejects
    )


def _show_outcome(outcome: state.ImportOutcome | None, lang: str) -> None:
    if outcome is None:
        return
    if not outcome.ok:
        st.error(md(outcome.headline))
        if outcome.details:
            st.code(outcome.details, language=None)  # problems shown as plain text
        return
    st.success(md(outcome.headline))
    st.caption(md(outcome.details))
    if outcome.rejects is not None:
        st.download_button(
            w("rejects", lang),
            outcome.rejects,
            file_name=f"{outcome.file}.rejected.csv",
            mime="text/csv",
            key="events-rejects",
        )
