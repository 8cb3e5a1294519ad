"""Session state in a few named places.

- widget keys (`KEY_*`, `layer_key`): what the sidebar shows; seeded once from the URL;
- `EXTENT`: the map's centre and zoom as the browser last reported them;
- `BASE`: language and extent the mounted base map was built with (changes only with language);
- `FOCUS`: the current highlight and the one-shot "fly here" request.

`current_view()` turns these into the one `View` the page uses (each filter reads its own
widgets: `layers.view.widgets`); `sync_url()` writes it back.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import streamlit as st

from layers.model import Geodata
from layers.render.leaflet import DEFAULT_CENTER, DEFAULT_ZOOM, fit_view
from layers.table import feature_type
from layers.view import DATE_RANGE, Frame, View
from layers.view.filters import (  # noqa: F401 - the widget keys, for the sidebar
    BOUNDS,
    KEY_ACTORS,
    KEY_DATES,
    KEY_IN_VIEW,
    KEY_TYPES,
    KEY_UNDATED,
    layer_key,
)
from layers.view.url import from_query, link_highlight, to_query
from layers.view.widgets import filter_from_widgets, widget_values

KEY_LANG = "lang"
# the filters' widget keys are declared with the filters (`layers.view.filters`)
KEY_SEARCH = "search"
KEY_EVENTS = "events_on"  # the imported-incidents layer's switch
EVENTS_IMPORT = "bm_events_import"  # the outcome of this session's last incident import
IMPORT_REMOVAL = "bm_import_removal"  # the import an admin asked to remove, to confirm
IMPORT_REMOVED = "bm_import_removed"  # (ok, what the last removal came to), shown once
SEEDED = "bm_seeded"
NOTES = "bm_url_notes"
EXTENT = "bm_extent"
BASE = "bm_base"
FOCUS = "bm_focus"
PINNED = "bm_pinned"  # a link's `inview` box, kept until the map is moved by hand
EXPORT, EXPORT_ERROR = "bm_export", "bm_export_error"  # the last file built for download
PACK, PACK_ERROR = "bm_pack", "bm_pack_error"  # the last briefing pack built

DATE_MIN, DATE_MAX = DATE_RANGE


@dataclass(frozen=True)
class Focus:
    """What the map should highlight, and whether to fly there on this run."""

    label: str
    feature_ids: tuple[str, ...]
    target: dict
    nonce: int
    fly: bool


@dataclass(frozen=True)
class ImportOutcome:
    """What the last incident import in this session came to, shown until the next one."""

    file: str
    ok: bool
    headline: str
    details: str  # counts and rows/s, or the problems one per line
    rejects: bytes | None = None  # the side file of rejected rows (with --skip-invalid)


def seed_from_url(geodata: Geodata, event_types: Callable[[], tuple[str, ...]] = tuple) -> None:
    """Once per session: the link's view becomes the widgets' starting values
    (`event_types`: the imported incidents' types, also valid in a link)."""
    if st.session_state.get(SEEDED):
        return
    st.session_state.setdefault(KEY_EVENTS, True)
    params = st.query_params.to_dict()
    view = from_query(params, geodata, DATE_RANGE, event_types())
    seed_widgets(view, geodata)
    if view.bbox is not None:
        _pin_link_box(view)
    _highlight_from_link(link_highlight(params, geodata), geodata, view)


def _highlight_from_link(ids: tuple[str, ...], geodata: Geodata, view: View) -> None:
    """A link's highlighted features: highlighted again, and flown to when the link gives
    no frame of its own (no centre, no `inview` box)."""
    if not ids:
        return
    features = [geodata.feature(fid) for fid in ids]
    sep = "، " if view.lang == "ar" else ", "
    label = sep.join(f.name_ar if view.lang == "ar" else f.name_en for f in features)
    bounds = [f.geometry.bounds for f in features]
    target = {
        "bounds": [
            min(b[0] for b in bounds),
            min(b[1] for b in bounds),
            max(b[2] for b in bounds),
            max(b[3] for b in bounds),
        ],
        "max_zoom": 9,
    }
    fly = view.center is None and view.bbox is None
    st.session_state[FOCUS] = Focus(label, ids, target, nonce=1, fly=fly)


def highlighted_ids() -> tuple[str, ...]:
    """The features the map highlights now (for the link to this view)."""
    focus = st.session_state.get(FOCUS)
    return focus.feature_ids if focus else ()


def _pin_link_box(view: View) -> None:
    """Keep the sender's `inview` box as the filter until the map is moved by hand: the
    receiver's map reports its own window's bounds, which must not replace the box the link
    was made with. Without a centre in the link, the map opens framing the box."""
    ss = st.session_state
    if view.center is None:
        (lat, lon), zoom = fit_view(view.bbox)  # type: ignore[arg-type]
        ss[EXTENT] = (lat, lon, zoom)
        ss[BASE] = (view.lang, lat, lon, zoom)
    ss[PINNED] = ss[EXTENT]


def seed_widgets(view: View, geodata: Geodata) -> None:
    """Make `view` what the analyst's widgets show (a link, or the scene a presenter left).
    Dates outside the date filter's range are clamped into it and said in the notes."""
    ss = st.session_state
    view, moved = view.clamp_dates(DATE_RANGE)
    view = view.with_changes(notes=(*view.notes, *(n for n in moved if n not in view.notes)))
    ss[KEY_LANG] = view.lang
    for key, value in widget_values(view.filter, geodata).items():
        ss[key] = value
    center = view.center or DEFAULT_CENTER
    zoom = view.zoom if view.zoom is not None else DEFAULT_ZOOM
    ss[EXTENT] = (center[0], center[1], zoom)
    ss[BASE] = (view.lang, center[0], center[1], zoom)
    ss[NOTES] = view.notes
    ss[SEEDED] = True


def tidy_filters(geodata: Geodata, event_types: Callable[[], tuple[str, ...]] = tuple) -> None:
    """Before the view is read, and before the filters' widgets are drawn (a widget's value
    can only be set before it in a run): drop chosen actors and types the data no longer has
    (the widgets would drop them silently, after the map had used them), and switch the
    incidents layer on again if its value was cleared while the widget was not drawn (a
    presenter's page), as a new session has it."""
    ss = st.session_state
    ss.setdefault(KEY_EVENTS, True)
    ss[KEY_ACTORS] = [a for a in ss.get(KEY_ACTORS, []) if a in geodata.actors]
    known = {feature_type(f) for f in geodata.features} | set(event_types())
    ss[KEY_TYPES] = [x for x in ss.get(KEY_TYPES, []) if x in known]


def current_view(geodata: Geodata) -> View:
    ss = st.session_state
    lat, lon, zoom = ss[EXTENT]
    at_default = (round(lat, 4), round(lon, 4), zoom) == (*DEFAULT_CENTER, DEFAULT_ZOOM)
    frame = Frame(
        lang=ss.get(KEY_LANG, "en"),
        center=None if at_default else (round(lat, 4), round(lon, 4)),
        zoom=None if at_default else zoom,
    )
    return View(filter_from_widgets(ss, geodata), frame)


def sync_url(view: View) -> None:
    """Write the view into the address bar (only when it changed, to spare history)."""
    wanted = to_query(view, highlighted_ids())
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def record_map(result: dict | None) -> bool:
    """Keep what the map reported (centre, zoom, bounds); True if the extent changed."""
    if not result or not result.get("center"):
        return False
    center, zoom = result["center"], result.get("zoom")
    extent = (center["lat"], center["lng"], zoom)
    bounds = result.get("bounds")
    pinned = st.session_state.get(PINNED)
    if pinned and _same_extent(pinned, extent):
        bounds = None  # the map as the link opened it: the link's box stays the filter
    elif pinned:
        st.session_state[PINNED] = None  # moved by hand: from now on the map's bounds count
    if bounds and bounds.get("_southWest") and bounds.get("_northEast"):
        sw, ne = bounds["_southWest"], bounds["_northEast"]
        st.session_state[BOUNDS] = (sw["lng"], sw["lat"], ne["lng"], ne["lat"])
    changed = extent != st.session_state.get(EXTENT)
    st.session_state[EXTENT] = extent
    return changed


def _same_extent(a: tuple, b: tuple) -> bool:
    """The same zoom and a centre within a pixel: the map's own report of an extent can differ
    from the one it was built with by pixel rounding (a pan by hand moves it further)."""
    if a[2] != b[2] or a[2] is None:
        return False
    pixel = 360 / (256 * 2 ** a[2])  # degrees of longitude in one pixel at this zoom
    return abs(a[0] - b[0]) < pixel and abs(a[1] - b[1]) < pixel


def base_extent(view: View) -> tuple[float, float, float]:
    """Centre and zoom to build the base map with: fixed until the language changes, so the
    mounted map is never rebuilt by a pan or a filter."""
    ss = st.session_state
    lang, lat, lon, zoom = ss[BASE]
    if lang != view.lang:
        lat, lon, zoom = ss[EXTENT]
        ss[BASE] = (view.lang, lat, lon, zoom)
    return lat, lon, zoom


def request_focus(label: str, feature_ids: tuple[str, ...], target: dict) -> None:
    previous = st.session_state.get(FOCUS)
    nonce = previous.nonce + 1 if previous else 1
    st.session_state[FOCUS] = Focus(label, feature_ids, target, nonce, fly=True)


def take_focus() -> Focus | None:
    """The focus for this run; its fly request is consumed (the next run only highlights)."""
    focus = st.session_state.get(FOCUS)
    if focus and focus.fly:
        st.session_state[FOCUS] = Focus(
            focus.label, focus.feature_ids, focus.target, focus.nonce, fly=False
        )
    return focus


def clear_focus() -> None:
    st.session_state[FOCUS] = None


# -- briefing mode ------------------------------------------------------------------------
KEY_MODE = "mode"  # query key: presenter | audience | dashboard
DRAFT = "bm_draft"  # the walkthrough being authored in this session
PAUSED = "bm_paused"  # the briefing a presenter left with Esc, to resume it
NAVIGATION = "bm_navigation"  # the move in progress (a dict, empty when none)
RUNS = "bm_runs"  # full runs of the page in this session
# A run asked for with the old link reaches the server within moments of the move; after this
# long, a link that differs is the user's own (the browser's Back), and it is followed.
MOVE_HOLD_S = 10.0


def navigate(params: dict[str, str], done: Callable[[], None] | None = None) -> None:
    """Move this window to another mode (Present, Resume, Esc) by its link.

    Every run starts from the link the browser sent with it. A run the browser asked for
    before it had the new link (the map reporting in the same moment as the click) carries
    the old link and would undo the move, so the move is kept here, and re-applied, until a
    later run arrives from a browser that has it (`settle_navigation`). `done` (no Streamlit
    call in it) is run with the keeping of the move, so a press is marked as applied exactly
    when its move is kept, whatever stops the run."""
    ss = st.session_state
    move = ss.setdefault(NAVIGATION, {})  # Streamlit may stop the run here, before any change
    runs = ss.get(RUNS, 0)
    # from here to from_dict, plain Python only: nothing can stop the run in between
    move.clear()
    move.update(wanted=dict(params), run=runs + 1, at=time.monotonic())
    if done is not None:
        done()
    st.query_params.from_dict(params)


def settle_navigation() -> None:
    """First thing in a run (callbacks have run before it): re-apply a move that this run's
    link does not show; forget it once a run after the move's own shows it."""
    ss = st.session_state
    runs = ss[RUNS] = ss.get(RUNS, 0) + 1
    move = ss.get(NAVIGATION)
    if not move:
        return
    if time.monotonic() - move["at"] > MOVE_HOLD_S:
        move.clear()
    elif mode() != _mode_of(move["wanted"]):  # an old link: asked for before the move
        st.query_params.from_dict(move["wanted"])
    elif runs > move["run"]:  # not the move's own run: the browser has the link
        move.clear()


def confirm_navigation() -> None:
    """In a fragment's own run (the presenter's clock, not its first drawing inside a full
    run, whose link may be ours): its link is the browser's, so a move it shows is done (a
    presenter page may not run in full again for minutes)."""
    move = st.session_state.get(NAVIGATION)
    if move and mode() == _mode_of(move["wanted"]):
        move.clear()


def keep_in_move(key: str, value: str) -> None:
    """Add to the move in progress what its own run chose (a new briefing's key), so a run
    with the old link re-applies the same move instead of making another briefing."""
    move = st.session_state.get(NAVIGATION)
    if move and mode() == _mode_of(move["wanted"]):
        move["wanted"][key] = value


def mode() -> str:
    return _mode_of(st.query_params)


def _mode_of(params: Mapping[str, str]) -> str:
    wanted = params.get(KEY_MODE)
    if wanted in ("presenter", "audience", "dashboard"):
        return wanted
    return "presenter" if params.get("walkthrough") else "dashboard"


def link_language() -> str:
    """The language the link asks for ("ar" or "en"), before the link is read in full."""
    return "ar" if st.query_params.get("lang") == "ar" else "en"
