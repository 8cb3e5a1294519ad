"""A View as a URL query string, and back. Unknown or malformed values are dropped with a note
saying what was ignored, so a stale or hand-edited link still opens. The filters' keys come from
their declarations (`layers.view.filters`); the frame's (`lang`, `c`, `z`, `hl`) are here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from layers.boundary.problems import show
from layers.model import Geodata
from layers.table import feature_table
from layers.view import _query as q
from layers.view import filters
from layers.view._query import params_get
from layers.view.spec import Vocabulary
from layers.view.value import LANGS, Frame, View

FRAME_KEYS = ("lang", "c", "z", "hl")
# Keys a link may carry that are not about the view: which window and briefing it opens.
WINDOW_KEYS = ("mode", "walkthrough", "scene", "briefing")
MAX_VALUE = 2000  # characters in one query value; a longer one is dropped whole
MAX_PARTS = q.MAX_PARTS  # comma-separated ids in one value
MAX_NOTES = 12


def keys() -> tuple[str, ...]:
    """Every key of a view's link: the filters', then the frame's."""
    return (*(k for spec in filters.declared() for k in spec.url_keys), *FRAME_KEYS)


def to_query(view: View, highlight: Sequence[str] = ()) -> dict[str, str]:
    """Only what differs from the default view, so links stay short. `highlight`: the ids of
    the features the map highlights (a search hit, an annotation), carried as `hl` (default:
    the view's frame's)."""
    query: dict[str, str] = {}
    for spec in filters.declared():
        query.update(spec.write_url(view.filter))
    frame = view.frame
    if frame.lang != "en":
        query["lang"] = frame.lang
    if frame.center:
        query["c"] = f"{frame.center[0]:.4f},{frame.center[1]:.4f}"
    if frame.zoom is not None:
        query["z"] = f"{frame.zoom:g}"
    highlight = highlight or frame.highlight
    if highlight:
        query["hl"] = ",".join(dict.fromkeys(highlight))  # in order, once each
    return query


def link_highlight(params: Mapping[str, object], geodata: Geodata) -> tuple[str, ...]:
    """The known feature ids a link's `hl` highlights, in its order (unknown ones are named in
    `from_query`'s notes)."""
    params = _bounded(params, [])
    known = {f.id for f in geodata.features}
    return tuple(dict.fromkeys(p for p in q.split(params, "hl") or () if p in known))


def vocabulary(geodata: Geodata, event_types: tuple[str, ...] = ()) -> Vocabulary:
    """What a link may name: the geodata's layers, actors and types (and imported incidents'
    types)."""
    types = set(feature_table(geodata)["type"]) | set(event_types)
    return Vocabulary(frozenset(geodata.layers), frozenset(geodata.actors), frozenset(types))


def from_query(
    params: Mapping[str, object],
    geodata: Geodata,
    date_range: tuple[date, date] | None = None,
    event_types: tuple[str, ...] = (),
) -> View:
    """The view a link describes. What cannot be used is dropped (or, with `date_range`, dates
    are clamped into it) and said in `view.notes`, in short, bounded words. `event_types`: the
    ACLED event types of imported incidents, also valid in `types`."""
    notes: list[str] = []
    params = _bounded(params, notes)
    vocab = vocabulary(geodata, event_types)
    lang = params_get(params, "lang")
    if lang is not None and lang not in LANGS:
        notes.append(f"lang={show(lang)} (expected en or ar)")
    fields: dict[str, object] = {}
    for spec in filters.declared():
        fields.update(spec.read_url(params, vocab, notes))
    frame = Frame(
        lang=lang if lang in LANGS else "en",
        center=q.numbers(params, "c", 2, notes),  # type: ignore[arg-type]
        zoom=_zoom(params, notes),
    )
    q.ids(params, "hl", {f.id for f in geodata.features}, notes)  # kept by link_highlight
    view = View(frame=frame, **fields)
    if date_range is not None:
        view, moved = view.clamp_dates(date_range)
        notes.extend(moved)
    if len(notes) > MAX_NOTES:
        notes[MAX_NOTES:] = [f"and {len(notes) - MAX_NOTES} more"]
    return view.with_changes(notes=tuple(notes))


def _bounded(params: Mapping[str, object], notes: list[str]) -> dict[str, str]:
    """Known keys with a single text value of bounded length; the rest named in a note."""
    out: dict[str, str] = {}
    unknown = []
    known = keys()
    for key in params:
        if key not in known:
            if key not in WINDOW_KEYS:
                unknown.append(show(key))
            continue
        value = params_get(params, key)
        if value is None:
            notes.append(f"{key}: expected text")
        elif len(value) > MAX_VALUE:
            notes.append(f"{key}: {len(value):,} characters (at most {MAX_VALUE:,})")
        else:
            out[key] = value
    if unknown:
        shown = ", ".join(unknown[:5]) + (
            f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        )
        notes.append(f"unknown key(s) {shown}")
    return out


def _zoom(params, notes: list[str]) -> float | None:
    raw = params_get(params, "z")
    if raw is None:
        return None
    try:
        zoom = float(raw)
    except ValueError:
        zoom = -1
    if not 0 <= zoom <= 20:  # NaN fails this too
        notes.append(f"z={show(raw)} (expected a zoom level 0-20)")
        return None
    return zoom
