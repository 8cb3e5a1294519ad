"""A View as a URL query string, and back. Unknown or malformed values are dropped with a note
saying what was ignored, so a stale or hand-edited link still opens."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from layers.boundary.problems import show
from layers.dates import DateError, parse_date
from layers.model import Geodata
from layers.table import feature_table
from layers.view import LANGS, View, params_get

KEYS = ("layers", "actors", "types", "from", "to", "undated", "inview", "lang", "c", "z", "hl")
# Keys a link may carry that are not about the view: which window and briefing it opens.
WINDOW_KEYS = ("mode", "walkthrough", "scene", "briefing")
MAX_VALUE = 2000  # characters in one query value; a longer one is dropped whole
MAX_PARTS = 200  # comma-separated ids in one value
MAX_NOTES = 12


def to_query(view: View, highlight: Sequence[str] = ()) -> dict[str, str]:
    """Only what differs from the default view, so links stay short. `highlight`: the ids of
    the features the map highlights (a search hit, an annotation), carried as `hl`."""
    q: dict[str, str] = {}
    if view.layers is not None:
        q["layers"] = ",".join(sorted(view.layers)) or "none"
    if view.actors:
        q["actors"] = ",".join(sorted(view.actors))
    if view.types:
        q["types"] = ",".join(sorted(view.types))
    if view.date_from:
        q["from"] = view.date_from.isoformat()
    if view.date_to:
        q["to"] = view.date_to.isoformat()
    if not view.include_undated:
        q["undated"] = "0"
    if view.bbox:
        q["inview"] = ",".join(f"{v:.4f}" for v in view.bbox)
    if view.lang != "en":
        q["lang"] = view.lang
    if view.center:
        q["c"] = f"{view.center[0]:.4f},{view.center[1]:.4f}"
    if view.zoom is not None:
        q["z"] = f"{view.zoom:g}"
    if highlight:
        q["hl"] = ",".join(dict.fromkeys(highlight))  # in order, once each
    return q


def link_highlight(params: Mapping[str, object], geodata: Geodata) -> tuple[str, ...]:
    """The known feature ids a link's `hl` highlights, in its order (unknown ones are named in
    `from_query`'s notes)."""
    params = _bounded(params, [])
    known = {f.id for f in geodata.features}
    return tuple(dict.fromkeys(p for p in _split(params, "hl") or () if p in known))


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
    known_types = set(feature_table(geodata)["type"]) | set(event_types)
    lang = params_get(params, "lang")
    if lang is not None and lang not in LANGS:
        notes.append(f"lang={show(lang)} (expected en or ar)")
    view = View(
        layers=_layers(params, geodata, notes),
        actors=_ids(params, "actors", set(geodata.actors), notes),
        types=_ids(params, "types", known_types, notes),
        date_from=_day(params, "from", notes, end=False),
        date_to=_day(params, "to", notes, end=True),
        include_undated=params_get(params, "undated") != "0",
        bbox=_numbers(params, "inview", 4, notes),  # type: ignore[arg-type]
        lang=lang if lang in LANGS else "en",
        center=_numbers(params, "c", 2, notes),  # type: ignore[arg-type]
        zoom=_zoom(params, notes),
    )
    _ids(params, "hl", {f.id for f in geodata.features}, notes)  # kept by link_highlight
    if view.date_from and view.date_to and view.date_from > view.date_to:
        notes.append("from is after to: dates ignored")
        view = view.with_changes(date_from=None, date_to=None)
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
    for key in params:
        if key not in KEYS:
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


def _split(params: Mapping[str, object], key: str) -> list[str] | None:
    raw = params_get(params, key)
    if raw is None:
        return None
    return [part.strip() for part in raw.split(",", MAX_PARTS)[:MAX_PARTS] if part.strip()]


def _layers(params, geodata: Geodata, notes: list[str]) -> frozenset[str] | None:
    parts = _split(params, "layers")
    if parts is None:
        return None
    if parts == ["none"]:
        return frozenset()
    known = _keep_known(parts, set(geodata.layers), "layers", notes)
    return known or None  # nothing usable: the default layers, not an empty map


def _ids(params, key: str, known: set[str], notes: list[str]) -> frozenset[str]:
    parts = _split(params, key)
    return _keep_known(parts, known, key, notes) if parts else frozenset()


def _keep_known(parts: list[str], known: set[str], key: str, notes: list[str]) -> frozenset[str]:
    unknown = [show(p) for p in parts if p not in known]
    if unknown:
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        notes.append(f"{key}: unknown {', '.join(unknown[:5])}{more}")
    return frozenset(p for p in parts if p in known)


def _day(params, key: str, notes: list[str], end: bool) -> date | None:
    raw = params_get(params, key)
    if raw is None:
        return None
    try:
        span = parse_date(raw)
    except DateError:
        notes.append(f"{key}={show(raw)} (expected a date like 2013 or 2025-03-14)")
        return None
    return span.end if end else span.start


def _numbers(params, key: str, count: int, notes: list[str]) -> tuple[float, ...] | None:
    parts = _split(params, key)
    if parts is None:
        return None
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:  # float() takes 'nan' and 'inf', which _plausible refuses
        values = ()
    if len(values) != count or not _plausible(key, values):
        shape = "lat,lon" if key == "c" else "west,south,east,north"
        notes.append(f"{key}={show(params_get(params, key))} (expected {shape} in degrees)")
        return None
    return values


def _plausible(key: str, values: tuple[float, ...]) -> bool:
    if key == "c":
        lat, lon = values
        return -90 <= lat <= 90 and -180 <= lon <= 180
    w, s, e, n = values
    return -180 <= w < e <= 180 and -90 <= s < n <= 90


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
