"""The filters, each declared once (`FILTERS`): layers, actors, types, dates, undated items and
the in-view box. Every reader and writer of a view iterates this table; adding a filter is one
declaration here plus its widget in the sidebar (`dashboard/sidebar.py`).

The order of `FILTERS` is the order of a link's keys, a scene's `view:` keys and the export
options; `words_rank` orders the words ("Kata'ib Hezbollah, 2013 – 2025, dated items only").
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from layers.dates import DateError, parse_date
from layers.i18n import pick, t, type_label
from layers.table import feature_type
from layers.view import _query as q
from layers.view.arrays import actor_mask, day_number, in_box, types_in
from layers.view.phrases import date_range_words, join, short_name
from layers.view.spec import FilterSpec, Flag, Values, Vocabulary

# The span the date filter offers: the reports' earliest date (2003) to the end of the
# withdrawal timetable they discuss. A link or a scene outside it is clamped, with a note.
DATE_RANGE = (date(2003, 1, 1), date(2026, 12, 31))

# The sidebar's widget keys (and the map's last reported box, which "in view" filters by).
KEY_ACTORS, KEY_TYPES, KEY_DATES = "actors", "types", "dates"
KEY_UNDATED, KEY_IN_VIEW, BOUNDS = "undated", "in_view", "bm_bounds"


def layer_key(layer_id: str) -> str:
    return f"layer-{layer_id}"


def visible_layers(layers: frozenset[str] | None, geodata: Any) -> list[str]:
    """Layer ids shown, in catalogue order (None: the catalogue's default visibility)."""
    if layers is None:
        return [lid for lid, layer in geodata.layers.items() if layer.visible]
    return [lid for lid in geodata.layers if lid in layers]


def actor_closure(actors: frozenset[str], geodata: Any) -> frozenset[str]:
    """The chosen actors and their members (choosing Iran includes the Quds Force)."""
    chosen = set(actors)
    grew = True
    while grew:
        members = {a.id for a in geodata.actors.values() if a.member_of in chosen}
        grew = not members <= chosen
        chosen |= members
    return frozenset(chosen)


def _none(*_args: Any) -> None:
    return None


# -- in a walkthrough file: problems are logged on `v` (`layers.boundary.problems.Fields`) ----
def yaml_ids(v: Any, name: str, known, what: str) -> frozenset[str]:
    values = v.text_list(name)
    known = set(known) if known is not None else None
    for value in values:
        if known is not None and value not in known:
            v.problem(name, f"unknown {what} {q.show(value)}")
    return frozenset(values)


def yaml_day(v: Any, name: str, end: bool) -> date | None:
    raw = v.data.get(name)
    if raw is None:
        return None
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)  # `from: 2013` is a year written without quotes
    try:
        span = parse_date(raw)
    except DateError as exc:
        v.problem(name, str(exc))
        return None
    return span.end if end else span.start


# -- layers -------------------------------------------------------------------------------
def _layers_url(params, vocab: Vocabulary, notes: list[str]) -> Values:
    parts = q.split(params, "layers")
    if parts is None:
        return {"layers": None}
    if parts == ["none"]:
        return {"layers": frozenset()}
    known = q.keep_known(parts, set(vocab.layers), "layers", notes)
    return {"layers": known or None}  # nothing usable: the default layers, not an empty map


def _layers_yaml(v: Any, vocab: Vocabulary) -> Values:
    raw = v.data.get("layers")
    if raw in (None, "default"):
        return {"layers": None}
    if raw == "all":
        return {"layers": frozenset(vocab.layers)}
    return {"layers": yaml_ids(v, "layers", vocab.layers, "layer")}


def _layer_words(f: Any, geodata: Any, lang: str) -> str:
    if f.layers is None:
        return ""
    shown = visible_layers(f.layers, geodata)
    if shown == visible_layers(None, geodata):
        return ""
    if not shown:
        return t("no_layers", lang)
    if len(shown) <= 3:
        return join(
            [pick(geodata.layers[x].name_en, geodata.layers[x].name_ar, lang) for x in shown], lang
        )
    return t("layers_some", lang, n=len(shown), total=len(geodata.layers))


def _layers_to_state(f: Any, geodata: Any) -> dict[str, bool]:
    shown = set(visible_layers(f.layers, geodata))
    return {layer_key(lid): lid in shown for lid in geodata.layers}


def _layers_from_state(ss, geodata: Any) -> Values:
    chosen = frozenset(lid for lid in geodata.layers if ss.get(layer_key(lid)))
    default = frozenset(visible_layers(None, geodata))
    return {"layers": None if chosen == default else chosen}


LAYERS = FilterSpec(
    name="layers",
    fields={"layers": None},
    url_keys=("layers",),
    read_url=_layers_url,
    write_url=lambda f: (
        {} if f.layers is None else {"layers": ",".join(sorted(f.layers)) or "none"}
    ),
    flags=(
        Flag(
            "--layers",
            "layers",
            "layers",
            "comma-separated layer ids, or 'all' (default: the layers the app shows by default)",
            to_url=lambda raw, geodata: (
                (",".join(geodata.layers) or "none") if raw == "all" else raw
            ),
        ),
    ),
    words=_layer_words,
    words_rank=4,
    to_state=_layers_to_state,
    from_state=_layers_from_state,
    table_mask=lambda f, table, geodata: table["layer"].isin(visible_layers(f.layers, geodata)),
    index_mask=_none,  # the imported incidents have their own switch, not a layer id
    yaml_keys=("layers",),
    read_yaml=_layers_yaml,
    # an entry about features follows their layers; one about none, actors and dates only
    keeps_annotation=lambda f, a, features, geodata: (
        not features or any(x.layer in visible_layers(f.layers, geodata) for x in features)
    ),
    write_yaml=lambda f: {"layers": sorted(f.layers) if f.layers is not None else "default"},
)


# -- actors and types ----------------------------------------------------------------------
def _actors_table(f: Any, table: pd.DataFrame, geodata: Any) -> pd.Series | None:
    if not f.actors:
        return None
    wanted = actor_closure(f.actors, geodata)
    return table["actors"].map(lambda row: not wanted.isdisjoint(row)).astype(bool)


ACTORS = FilterSpec(
    name="actors",
    fields={"actors": frozenset()},
    url_keys=("actors",),
    read_url=lambda params, vocab, notes: {"actors": q.ids(params, "actors", vocab.actors, notes)},
    write_url=lambda f: {"actors": ",".join(sorted(f.actors))} if f.actors else {},
    flags=(Flag("--actors", "actors", "actors", "comma-separated actor ids (members included)"),),
    words=lambda f, geodata, lang: join(
        sorted(short_name(geodata.actors[a], lang) for a in f.actors), lang
    ),
    words_rank=0,
    to_state=lambda f, geodata: {KEY_ACTORS: sorted(f.actors)},
    from_state=lambda ss, geodata: {"actors": frozenset(ss.get(KEY_ACTORS, ()))},
    table_mask=_actors_table,
    index_mask=lambda f, index, geodata: (
        actor_mask(index, actor_closure(f.actors, geodata), geodata) if f.actors else None
    ),
    yaml_keys=("actors",),
    read_yaml=lambda v, vocab: {"actors": yaml_ids(v, "actors", vocab.actors, "actor")},
    keeps_annotation=lambda f, a, features, geodata: (
        not f.actors or not actor_closure(f.actors, geodata).isdisjoint(a.actors)
    ),
    write_yaml=lambda f: {"actors": sorted(f.actors)} if f.actors else {},
)

TYPES = FilterSpec(
    name="types",
    fields={"types": frozenset()},
    url_keys=("types",),
    read_url=lambda params, vocab, notes: {"types": q.ids(params, "types", vocab.types, notes)},
    write_url=lambda f: {"types": ",".join(sorted(f.types))} if f.types else {},
    flags=(Flag("--types", "types", "types", "comma-separated incident or feature types"),),
    words=lambda f, geodata, lang: join(sorted(type_label(x, lang) for x in f.types), lang),
    words_rank=1,
    to_state=lambda f, geodata: {KEY_TYPES: sorted(f.types)},
    from_state=lambda ss, geodata: {"types": frozenset(ss.get(KEY_TYPES, ()))},
    table_mask=lambda f, table, geodata: table["type"].isin(f.types) if f.types else None,
    index_mask=lambda f, index, geodata: types_in(index, f.types) if f.types else None,
    yaml_keys=("types",),
    read_yaml=lambda v, vocab: {"types": yaml_ids(v, "types", vocab.types, "type")},
    keeps_annotation=lambda f, a, features, geodata: (
        not f.types or any(feature_type(x) in f.types for x in features)
    ),
    write_yaml=lambda f: {"types": sorted(f.types)} if f.types else {},
)


# -- dates and undated items ---------------------------------------------------------------
def _dates_url(params, vocab: Vocabulary, notes: list[str]) -> Values:
    lo, hi = q.day(params, "from", notes, end=False), q.day(params, "to", notes, end=True)
    if lo and hi and lo > hi:
        notes.append("from is after to: dates ignored")
        lo = hi = None
    return {"date_from": lo, "date_to": hi}


def _dates_yaml(v: Any, vocab: Vocabulary) -> Values:
    lo, hi = yaml_day(v, "from", end=False), yaml_day(v, "to", end=True)
    if lo and hi and lo > hi:
        v.problem("to", f"ends ({hi}) before 'from' ({lo})")
    return {"date_from": lo, "date_to": hi}


def _iso(f: Any) -> dict[str, str]:
    pairs = (("from", f.date_from), ("to", f.date_to))
    return {key: day.isoformat() for key, day in pairs if day}


def _undated(table: pd.DataFrame) -> pd.Series:
    return table["date_start"].isna() & table["date_end"].isna()


def _dates_table(f: Any, table: pd.DataFrame, geodata: Any) -> pd.Series | None:
    """A dated row is kept when its period overlaps the range (an open end is unbounded);
    undated rows are the `undated` filter's."""
    if f.date_from is None and f.date_to is None:
        return None
    keep = _undated(table)
    dated_ok = pd.Series(True, index=table.index)
    if f.date_to is not None:
        dated_ok &= table["date_start"].isna() | (table["date_start"] <= pd.Timestamp(f.date_to))
    if f.date_from is not None:
        dated_ok &= table["date_end"].isna() | (table["date_end"] >= pd.Timestamp(f.date_from))
    return keep | dated_ok


def _dates_index(f: Any, index: Any, geodata: Any) -> np.ndarray | None:
    if f.date_from is None and f.date_to is None:
        return None
    keep = np.ones(index.size, dtype=bool)
    if f.date_from is not None:
        keep &= index.day_end >= day_number(f.date_from)
    if f.date_to is not None:
        keep &= index.day_start <= day_number(f.date_to)
    return keep


def _dates_from_state(ss, geodata: Any) -> Values:
    lo_min, hi_max = DATE_RANGE
    lo, hi = ss.get(KEY_DATES, DATE_RANGE)
    return {"date_from": lo if lo > lo_min else None, "date_to": hi if hi < hi_max else None}


DATES = FilterSpec(
    name="dates",
    fields={"date_from": None, "date_to": None},
    url_keys=("from", "to"),
    read_url=_dates_url,
    write_url=_iso,
    flags=(
        Flag(
            "--from",
            "date_from",
            "from",
            "keep items whose period reaches this date or later",
            metavar="YYYY-MM-DD",
        ),
        Flag("--to", "date_to", "to", "keep items whose period starts by this date", "YYYY-MM-DD"),
    ),
    words=lambda f, geodata, lang: date_range_words(f.date_from, f.date_to, lang),
    words_rank=2,
    to_state=lambda f, geodata: {
        KEY_DATES: (f.date_from or DATE_RANGE[0], f.date_to or DATE_RANGE[1])
    },
    from_state=_dates_from_state,
    table_mask=_dates_table,
    index_mask=_dates_index,
    yaml_keys=("from", "to"),
    read_yaml=_dates_yaml,
    keeps_annotation=lambda f, a, features, geodata: (
        a.date is None or a.date.overlaps(f.date_from, f.date_to)
    ),
    write_yaml=_iso,
)

UNDATED = FilterSpec(
    name="undated",
    fields={"include_undated": True},
    url_keys=("undated",),
    read_url=lambda params, vocab, notes: {
        "include_undated": q.params_get(params, "undated") != "0"
    },
    write_url=lambda f: {} if f.include_undated else {"undated": "0"},
    flags=(),  # `briefmap export` keeps undated items, as it always has
    words=lambda f, geodata, lang: "" if f.include_undated else t("dated_only", lang),
    words_rank=3,
    to_state=lambda f, geodata: {KEY_UNDATED: f.include_undated},
    from_state=lambda ss, geodata: {"include_undated": bool(ss.get(KEY_UNDATED, True))},
    table_mask=lambda f, table, geodata: None if f.include_undated else ~_undated(table),
    index_mask=_none,  # every imported event has a date
    yaml_keys=("undated",),
    read_yaml=lambda v, vocab: {"include_undated": v.flag("undated", True)},
    keeps_annotation=lambda f, a, features, geodata: f.include_undated or a.date is not None,
    write_yaml=lambda f: {} if f.include_undated else {"undated": False},
)


# -- in view -------------------------------------------------------------------------------
def _box_table(f: Any, table: pd.DataFrame, geodata: Any) -> pd.Series | None:
    if f.bbox is None:
        return None
    w, s, e, n = f.bbox
    return (table["maxx"] >= w) & (table["minx"] <= e) & (table["maxy"] >= s) & (table["miny"] <= n)


IN_VIEW = FilterSpec(
    name="in_view",
    fields={"bbox": None},  # west, south, east, north
    url_keys=("inview",),
    read_url=lambda params, vocab, notes: {"bbox": q.numbers(params, "inview", 4, notes)},
    write_url=lambda f: {"inview": ",".join(f"{v:.4f}" for v in f.bbox)} if f.bbox else {},
    flags=(Flag("--bbox", "bbox", "inview", "only what intersects this box", "W,S,E,N"),),
    words=lambda f, geodata, lang: t("in_view", lang) if f.bbox else "",
    words_rank=5,
    to_state=lambda f, geodata: {KEY_IN_VIEW: f.bbox is not None, BOUNDS: f.bbox},
    from_state=lambda ss, geodata: {"bbox": ss.get(BOUNDS) if ss.get(KEY_IN_VIEW) else None},
    table_mask=_box_table,
    index_mask=lambda f, index, geodata: None if f.bbox is None else in_box(index, f.bbox),
)  # not in walkthrough files: a scene frames the map with its `extent` instead

FILTERS: tuple[FilterSpec, ...] = (LAYERS, ACTORS, TYPES, DATES, UNDATED, IN_VIEW)


def declared() -> tuple[FilterSpec, ...]:
    """The filters, read at call time (a test may declare one more)."""
    return FILTERS


_defaults: list = [None, {}]  # the table they were read from, and the defaults


def defaults() -> dict[str, Any]:
    """Every filter field and its value that filters nothing (shared: do not change it)."""
    table = declared()
    if _defaults[0] is not table:
        _defaults[:] = [table, {k: v for spec in table for k, v in spec.fields.items()}]
    return _defaults[1]
