"""The current view: one frozen value shared by the map, the exports, the URL and (later) the
walkthrough scenes.

A View filters by layer, actor, type and date, may restrict to a bounding box ("only what is in
view"), and carries the language and the map extent (centre and zoom frame the view but filter
nothing). Filtering runs on a table (`layers.table`), so report features now and imported
incidents later go through the same code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from layers.model import Feature, Geodata
from layers.table import feature_table

LANGS = ("en", "ar")
# The span the date filter offers: the reports' earliest date (2003) to the end of the
# withdrawal timetable they discuss. A link or a scene outside it is clamped, with a note.
DATE_RANGE = (date(2003, 1, 1), date(2026, 12, 31))


@dataclass(frozen=True)
class View:
    layers: frozenset[str] | None = None  # None: the catalogue's default visibility
    actors: frozenset[str] = frozenset()  # empty: any actor
    types: frozenset[str] = frozenset()  # empty: any type (incident type, else feature kind)
    date_from: date | None = None
    date_to: date | None = None
    include_undated: bool = True
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    lang: str = "en"
    center: tuple[float, float] | None = None  # (lat, lon): frames the view, filters nothing
    zoom: float | None = None
    notes: tuple[str, ...] = field(default=(), compare=False)  # what from_query ignored

    # -- what is shown -----------------------------------------------------------------
    def visible_layers(self, geodata: Geodata) -> list[str]:
        """Layer ids shown, in catalogue order."""
        if self.layers is None:
            return [lid for lid, layer in geodata.layers.items() if layer.visible]
        return [lid for lid in geodata.layers if lid in self.layers]

    def actor_closure(self, geodata: Geodata) -> frozenset[str]:
        """The chosen actors and their members (choosing Iran includes the Quds Force)."""
        chosen = set(self.actors)
        grew = True
        while grew:
            members = {a.id for a in geodata.actors.values() if a.member_of in chosen}
            grew = not members <= chosen
            chosen |= members
        return frozenset(chosen)

    def mask(self, table: pd.DataFrame, geodata: Geodata) -> pd.Series:
        """Rows of a feature/incident table that this view shows.

        The table has the columns of `layers.table.COLUMNS`. A date range keeps every row whose
        period overlaps it; an open end counts as unbounded. Undated rows are kept unless
        `include_undated` is off.
        """
        keep = table["layer"].isin(self.visible_layers(geodata))
        if self.actors:
            wanted = self.actor_closure(geodata)
            keep &= table["actors"].map(lambda row: not wanted.isdisjoint(row)).astype(bool)
        if self.types:
            keep &= table["type"].isin(self.types)
        keep &= self._date_mask(table)
        if self.bbox is not None:
            w, s, e, n = self.bbox
            keep &= (
                (table["maxx"] >= w)
                & (table["minx"] <= e)
                & (table["maxy"] >= s)
                & (table["miny"] <= n)
            )
        return keep

    def _date_mask(self, table: pd.DataFrame) -> pd.Series:
        undated = table["date_start"].isna() & table["date_end"].isna()
        dated_ok = pd.Series(True, index=table.index)
        if self.date_to is not None:
            dated_ok &= table["date_start"].isna() | (
                table["date_start"] <= pd.Timestamp(self.date_to)
            )
        if self.date_from is not None:
            dated_ok &= table["date_end"].isna() | (
                table["date_end"] >= pd.Timestamp(self.date_from)
            )
        return (undated & self.include_undated) | (~undated & dated_ok)

    def select(self, geodata: Geodata) -> list[Feature]:
        table = feature_table(geodata)
        ids = set(table.loc[self.mask(table, geodata), "id"])
        return [f for f in geodata.features if f.id in ids]

    # -- the same view, elsewhere ------------------------------------------------------
    def with_changes(self, **changes: object) -> View:
        return replace(self, **changes)

    def clamp_dates(self, span: tuple[date, date] = DATE_RANGE) -> tuple[View, list[str]]:
        """The view with its dates inside `span` (the date filter's range), and a note for
        each date moved: a link from 1990 opens at 2003 and says so."""
        lo, hi = span
        notes = []
        date_from, date_to = self.date_from, self.date_to
        if date_from is not None and not lo <= date_from <= hi:
            date_from = min(max(date_from, lo), hi)
            notes.append(
                f"from {self.date_from} is outside {lo.year}–{hi.year}: set to {date_from}"
            )
        if date_to is not None and not lo <= date_to <= hi:
            date_to = min(max(date_to, lo), hi)
            notes.append(f"to {self.date_to} is outside {lo.year}–{hi.year}: set to {date_to}")
        if date_from is not None and date_to is not None and date_from > date_to:
            date_from, date_to = date_to, date_from
        return self.with_changes(date_from=date_from, date_to=date_to), notes


def params_get(params: Mapping[str, object], key: str) -> str | None:
    value = params.get(key)
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    return value if isinstance(value, str) else None
