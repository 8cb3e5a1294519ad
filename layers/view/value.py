"""The view as values: what filters (`Filter`), how it is framed (`Frame`), and `View`, the
two together with the notes a reader left (what a link's parser ignored).

`Filter` holds one value per field of the declared filters (`layers.view.filters`); it runs
on a pandas feature table (`mask`, `layers.table`) and on a numpy `EventIndex` (`index_mask`),
each filter contributing its own predicate to each.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from layers.table import feature_table
from layers.view import filters

if TYPE_CHECKING:
    from layers.model import Feature, Geodata

LANGS = ("en", "ar")


@dataclass(frozen=True)
class Filter:
    """What is shown: the declared filters' fields that differ from their defaults, by name
    (`f.actors`, `f.date_from`, ...; a field left out has its default)."""

    values: tuple[tuple[str, Any], ...] = ()

    def __post_init__(self) -> None:
        # every field as a plain attribute: read as fast as a dataclass field
        _check_names()
        self.__dict__.update(self.fields())

    @classmethod
    def of(cls, **fields: Any) -> Filter:
        known = filters.defaults()
        unknown = sorted(set(fields) - set(known))
        if unknown:
            raise TypeError(f"not a filter field: {', '.join(unknown)}")
        return cls(tuple((k, v) for k, v in sorted(fields.items()) if v != known[k]))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        values = dict(self.__dict__.get("values", ()))
        if name in values:
            return values[name]
        known = filters.defaults()
        if name in known:
            return known[name]
        raise AttributeError(f"Filter has no field {name!r}")

    def fields(self) -> dict[str, Any]:
        """Every declared field with its value (defaults included)."""
        return {**filters.defaults(), **dict(self.values)}

    def with_changes(self, **changes: Any) -> Filter:
        return Filter.of(**{**dict(self.values), **changes})

    def visible_layers(self, geodata: Geodata) -> list[str]:
        """Layer ids shown, in catalogue order."""
        return filters.visible_layers(self.layers, geodata)

    def actor_closure(self, geodata: Geodata) -> frozenset[str]:
        return filters.actor_closure(self.actors, geodata)

    def mask(self, table: pd.DataFrame, geodata: Geodata) -> pd.Series:
        """Rows of a feature/incident table (columns of `layers.table.COLUMNS`) it keeps."""
        keep = pd.Series(True, index=table.index)
        for spec in filters.declared():
            part = spec.table_mask(self, table, geodata)
            if part is not None:
                keep &= part
        return keep

    def index_mask(self, index: Any, geodata: Geodata) -> np.ndarray:
        """Events of an `EventIndex` (`layers.events.index`) it keeps."""
        keep = np.ones(index.size, dtype=bool)
        for spec in filters.declared():
            part = spec.index_mask(self, index, geodata)
            if part is not None:
                keep &= part
        return keep

    def keeps_annotation(self, annotation: Any, geodata: Geodata) -> bool:
        """Whether a timeline entry follows this filter (through its own actors and dates, and
        the layers and types of the features it is about)."""
        features = [geodata.feature(fid) for fid in annotation.features]
        return all(
            spec.keeps_annotation(self, annotation, features, geodata)
            for spec in filters.declared()
            if spec.keeps_annotation is not None
        )


@dataclass(frozen=True)
class Frame:
    """How the view is framed: language, map centre and zoom, and what is highlighted. It
    filters nothing."""

    lang: str = "en"
    center: tuple[float, float] | None = None  # (lat, lon)
    zoom: float | None = None
    highlight: tuple[str, ...] = ()


_FRAME_FIELDS = frozenset(Frame.__dataclass_fields__)


@dataclass(frozen=True, init=False)
class View:
    """A Filter and a Frame, read as one: `View(actors=..., lang="ar")`, `view.actors`."""

    filter: Filter
    frame: Frame
    notes: tuple[str, ...] = field(default=(), compare=False)  # what a reader ignored

    def __init__(
        self,
        filter: Filter | None = None,  # noqa: A002 - the view's own word for it
        frame: Frame | None = None,
        notes: tuple[str, ...] = (),
        **fields: Any,
    ) -> None:
        framing = {k: v for k, v in fields.items() if k in _FRAME_FIELDS}
        filtering = {k: v for k, v in fields.items() if k not in _FRAME_FIELDS}
        base_filter = filter or Filter()
        base_frame = frame or Frame()
        if filtering:
            base_filter = base_filter.with_changes(**filtering)
        object.__setattr__(self, "filter", base_filter)
        object.__setattr__(self, "frame", replace(base_frame, **framing) if framing else base_frame)
        object.__setattr__(self, "notes", tuple(notes))
        fields = {**vars(self.filter), **vars(self.frame)}  # their fields, as attributes
        del fields["values"]
        self.__dict__.update(fields)  # a plain attribute: `view.actors` is fast

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name in ("filter", "frame", "notes"):
            raise AttributeError(name)
        if name in _FRAME_FIELDS:
            return getattr(self.frame, name)
        return getattr(self.filter, name)

    def __reduce__(self):
        return (_view, (self.filter, self.frame, self.notes))

    def with_changes(self, **changes: Any) -> View:
        notes = changes.pop("notes", self.notes)
        return View(self.filter, self.frame, notes, **changes)

    # -- what is shown -----------------------------------------------------------------
    def visible_layers(self, geodata: Geodata) -> list[str]:
        return self.filter.visible_layers(geodata)

    def actor_closure(self, geodata: Geodata) -> frozenset[str]:
        return self.filter.actor_closure(geodata)

    def mask(self, table: pd.DataFrame, geodata: Geodata) -> pd.Series:
        return self.filter.mask(table, geodata)

    def select(self, geodata: Geodata) -> list[Feature]:
        table = feature_table(geodata)
        ids = set(table.loc[self.mask(table, geodata), "id"])
        return [f for f in geodata.features if f.id in ids]

    def clamp_dates(self, span: tuple[date, date] = filters.DATE_RANGE) -> tuple[View, list[str]]:
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


_checked: list = [None]  # the declarations whose field names were checked


def _check_names() -> None:
    """A filter field may not take the name of a method or of the frame's fields."""
    table = filters.declared()
    if _checked[0] is table:
        return
    for name in filters.defaults():
        if hasattr(Filter, name) or hasattr(View, name) or name in _FRAME_FIELDS:
            raise TypeError(f"a filter field may not be named {name!r}")
    _checked[0] = table


def _view(filter_: Filter, frame: Frame, notes: tuple[str, ...]) -> View:
    return View(filter_, frame, notes)
