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
import pandas as pd
import streamlit as st

from dashboard import data, state
from dashboard.markup import html_block
from layers.access import Capability, Person
from layers.errors import BriefmapError, app_message
from layers.events.backend import EventSnapshot, Frame, QueryResult
from layers.events.export import events_csv
from layers.events.geojson import MAX_BYTES
from layers.events.importer import FORMATS, import_file
from layers.events.layer import events_group, popup_group
from layers.events.popup import popup_html
from layers.events.problems import EventDataError
from layers.events.store import EventStore, StoreError
from layers.events.words import w
from layers.marking import MarkingError
from layers.marking import active as marking_scheme
from layers.model import Geodata
from layers.render.escape import md
from layers.view import View

FRAME = "bm_events_frame"  # bounds and zoom the events layer was last built for, and its cover
RUN = "bm_events_run"  # this run's snapshot of the store and its one query (`new_run`)
MAP_WIDTH_PX = 1100  # a fair guess of the map's width before the browser reports its bounds
# Vega-Lite draws its axes left to right; under the page's right-to-left direction (Arabic) the
# labels would slide under the bars.
CHART_CSS = "<style>.stApp [data-testid='stVegaLiteChart'] { direction: ltr; }</style>"


def _store() -> EventStore:
    return data.store()


def new_run() -> None:
    """Forget the last run's snapshot and query (called as each run of the page starts): a
    run reads the store once, and everything it shows comes from that one generation."""
    st.session_state.pop(RUN, None)


def _this_run() -> dict:
    return st.session_state.setdefault(RUN, {})


def snapshot() -> EventSnapshot | None:
    """This run's snapshot of the store (None, and the reason in the sidebar, when the store
    cannot be read). Its columns are loaded once per generation by the store itself."""
    run = _this_run()
    if "snapshot" not in run:
        try:
            run["snapshot"] = _store().snapshot()
        except StoreError as exc:
            st.sidebar.error(app_message(exc))
            run["snapshot"] = None
    return run["snapshot"]


def _shows_events() -> EventSnapshot | None:
    """This run's snapshot when the layer is on and the store holds events."""
    snap = snapshot() if enabled() else None
    return snap if snap is not None and snap.info.rows else None


def _query(view: View, geodata: Geodata) -> QueryResult | None:
    """This run's one query of the store for `view`: the map's payload for the map's frame,
    the popup of its last click, the counts and the histogram (None: the layer is off or the
    store empty). The map, the sidebar and the summary share it."""
    snap = _shows_events()
    if snap is None:
        return None
    run = _this_run()
    held = run.get("query")
    if held is not None and held[0] == view:
        return held[1]
    bounds, zoom = _frame(_bounds(), st.session_state[state.EXTENT][2])
    click = _new_click()
    frame = Frame(bounds, zoom, view.lang, click[:2] if click else None)
    try:
        result = snap.query(view, frame, geodata)
    except StoreError:  # a newer import replaced this generation's file: no popup this run
        result = snap.query(view, Frame(bounds, zoom, view.lang), geodata)
    if result.map is not None:
        st.session_state[FRAME] = (bounds, zoom, tuple(result.map["box"]), result.map["zooms"])
    run["query"] = (view, result)
    return result


def export_source() -> tuple[EventStore | None, EventSnapshot | None]:
    """The store and this run's snapshot of it for an export, when the map shows imported
    incidents (the layer is on and the store holds events); else (None, None)."""
    snap = _shows_events()
    return (_store(), snap) if snap is not None else (None, None)


def enabled() -> bool:
    return bool(st.session_state.get(state.KEY_EVENTS, True))


def type_names() -> tuple[str, ...]:
    snap = snapshot()
    return snap.type_names() if snap is not None else ()


def type_counts(view: View, geodata: Geodata) -> Counter:
    """Events of each ACLED type the view would show without its type filter."""
    result = _query(view, geodata)
    return Counter(dict(result.type_counts)) if result is not None else Counter()


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
    result = _query(view, geodata)
    if result is None or result.map is None:
        return []
    groups = [events_group(result.map, view.lang).group]
    click = _new_click()
    if click is not None and result.popup:
        html = popup_html(list(result.popup), result.popup_total, view.lang)
        groups.append(popup_group(click[0], click[1], html, click[2]))
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


def returned_objects() -> list[str]:
    """What the map must report back for the events layer: clicks, to open a popup."""
    if _shows_events() is None:
        return []
    return ["last_object_clicked", "last_object_clicked_count"]


def summary(view: View, geodata: Geodata) -> None:
    """Counts by type and a monthly histogram following the filters; fatalities with ACLED's
    caveat; and where the data came from."""
    result = _query(view, geodata)
    if result is None:
        return
    lang, s = view.lang, result.summary
    st.markdown(f"**{md(w('layer', lang))}**: {s.shown:,}")
    st.caption(md(result.info.as_of(lang)))
    by = result.info.last_by(lang)
    if by:
        st.caption(md(by))
    if result.info.note:
        st.caption(md(result.info.note))
    if not s.shown:
        return
    html_block(CHART_CSS)  # constant CSS, no data in it
    types = pd.DataFrame(s.by_type, columns=["type", "events"]).set_index("type")
    st.bar_chart(types, horizontal=True, height=200, use_container_width=True)
    months = pd.DataFrame({"month": pd.to_datetime(list(s.months)), "events": s.per_month})
    st.bar_chart(months.set_index("month"), height=160, use_container_width=True)
    st.caption(md(f"{w('fatalities', lang)}: {s.fatalities:,}. {w('fatalities_caveat', lang)}"))
    selection = result.selection
    st.download_button(
        w("download_csv", lang, n=f"{s.shown:,}"),
        lambda: events_csv(selection),  # made only when clicked
        file_name="briefmap-incidents.csv",
        mime="text/csv",
        key="events-csv",
        on_click="ignore",
    )


def toggle(lang: str) -> None:
    """The layer's switch (only when the store holds events)."""
    snap = snapshot()
    if snap is None or not snap.info.rows:
        return
    st.sidebar.toggle(f"{w('layer', lang)} ({snap.info.rows:,})", key=state.KEY_EVENTS)


def uploader(lang: str, who: Person) -> None:
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
        marking = _marking_field(lang)
        skip = st.checkbox(w("skip_invalid", lang), key="events-skip")
        # no button while the marking's parts do not go together (said under the field)
        if (
            marking is not None
            and upload is not None
            and st.button(w("import_go", lang), key="events-go")
        ):
            outcome = _run_import(upload, fmt, skip, marking, lang, who)
            st.session_state[state.EVENTS_IMPORT] = outcome
            if outcome.ok:
                st.rerun()
        _show_outcome(st.session_state.get(state.EVENTS_IMPORT), lang)


def _marking_field(lang: str) -> str | None:
    """The data's marking in the organisation's scheme (TLP by default): its level, and,
    where the scheme has them, its caveats and a REL TO list. None, after saying why, when
    the parts do not go together."""
    scheme = marking_scheme()  # the organisation's, from the settings
    labels = [m.label for m in scheme.levels]
    level = st.selectbox(
        w("import_marking", lang), labels, index=labels.index(scheme.default), key="events-marking"
    )
    caveats: list[str] = []
    release = ""
    if scheme.caveats:
        caveats = st.multiselect(
            w("import_caveats", lang),
            [c.label for c in scheme.caveats],
            key="events-caveats",
            placeholder=w("import_no_caveats", lang),
        )
    if scheme.release is not None:
        release = st.text_input(
            w("import_release", lang), key="events-release", max_chars=200, placeholder="GBR, USA"
        )
    try:
        marking = scheme.compose(level, caveats, release)
    except MarkingError as exc:
        st.error(md(str(exc)))
        return None
    if marking.label != level:
        st.caption(md(marking.label))
    return marking.label


def _run_import(
    upload, fmt: str, skip: bool, marking: str, lang: str, who: Person
) -> state.ImportOutcome:
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
                by=who.login if who.signed_in else None,  # else the server's OS user
                may_raise_marking=who.may(Capability.MANAGE),  # admins (the local user)
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
