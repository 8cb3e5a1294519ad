"""What a view shows of a table of events, worked out in pandas from the rules as the View
states them (not from the numpy engine): types, a date range overlapping each event's period,
the chosen actors and their members by their ACLED names while each existed, the in-view box."""

from __future__ import annotations

import pandas as pd

from layers.events.schema import ACTOR_COLUMNS
from layers.model import Geodata
from layers.view import View


def shown(df: pd.DataFrame, view: View, geodata: Geodata) -> pd.DataFrame:
    keep = pd.Series(True, index=df.index)
    if view.types:
        keep &= df.event_type.isin(view.types)
    if view.date_from is not None:
        keep &= df.date_end >= view.date_from
    if view.date_to is not None:
        keep &= df.date_start <= view.date_to
    if view.actors:
        keep &= _actors(df, view.actor_closure(geodata), geodata)
    if view.bbox is not None:
        keep &= within(df, view.bbox)
    return df[keep]


def within(df: pd.DataFrame, box) -> pd.Series:
    w, s, e, n = box
    return df.longitude.between(w, e) & df.latitude.between(s, n)


def _actors(df: pd.DataFrame, actor_ids, geodata: Geodata) -> pd.Series:
    out = pd.Series(False, index=df.index)
    for actor_id in actor_ids:
        actor = geodata.actors.get(actor_id)
        if actor is None or not actor.acled_names:
            continue
        names = set(actor.acled_names)
        named = pd.Series(False, index=df.index)
        for column in ACTOR_COLUMNS:
            parts = df[column].fillna("").str.split(";")
            named |= parts.map(lambda ps, names=names: any(p.strip() in names for p in ps))
        if actor.valid_from is not None:
            named &= df.date_end >= actor.valid_from
        if actor.valid_to is not None:
            named &= df.date_start <= actor.valid_to
        out |= named
    return out


def by_type(df: pd.DataFrame) -> tuple[tuple[str, int], ...]:
    counts = df.event_type.value_counts()
    return tuple(sorted(((k, int(v)) for k, v in counts.items()), key=lambda x: (-x[1], x[0])))


def months(df: pd.DataFrame) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Events per month of their first day, every month from the first to the last."""
    if df.empty:
        return (), ()
    month = pd.to_datetime(df.date_start).dt.to_period("M")
    span = pd.period_range(month.min(), month.max(), freq="M")
    counts = month.value_counts().reindex(span, fill_value=0)
    return tuple(str(p) for p in span), tuple(int(v) for v in counts)
