"""The columns a map needs, in memory, and the view's filters on them, vectorised.

Imported events filter under the same `layers.view.View` as report features, each filter's
numpy predicate declared with it (`layers.view.filters`, `layers.view.arrays`): actors (an
ACLED name in `actor1`, `actor2` or either associated-actor list that belongs to a chosen actor,
or to one of its members, while that actor existed), event types, a date range (a week- or
month-precise event is kept when its period overlaps the range) and the in-view box.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from layers.events.backend import Summary
from layers.events.schema import ACTOR_COLUMNS, HOT_COLUMNS
from layers.model import Geodata
from layers.view import Filter, View
from layers.view.arrays import in_box as in_box  # re-exported

if TYPE_CHECKING:
    from layers.events.backend import ColumnFiles


@dataclass(eq=False)
class Codes:
    """A dictionary-encoded text column: codes into `names`."""

    codes: np.ndarray
    names: tuple[str, ...]


@dataclass(eq=False)
class EventIndex:
    generation: int
    lat: np.ndarray  # float32
    lon: np.ndarray
    day_start: np.ndarray  # int32 days since 1970
    day_end: np.ndarray
    time_precision: np.ndarray  # int8
    geo_precision: np.ndarray  # int8
    fatalities: np.ndarray  # int32
    h3: np.ndarray  # uint64
    event_type: Codes
    actors: dict[str, Codes]
    _memo: dict = field(default_factory=dict, repr=False)

    @property
    def size(self) -> int:
        return len(self.lat)

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays and the text dictionaries (what a loaded store costs)."""
        arrays = [
            self.lat,
            self.lon,
            self.day_start,
            self.day_end,
            self.time_precision,
            self.geo_precision,
            self.fatalities,
            self.h3,
            self.event_type.codes,
        ]
        arrays += [c.codes for c in self.actors.values()]
        text = sum(len(s) + 49 for c in (self.event_type, *self.actors.values()) for s in c.names)
        return sum(a.nbytes for a in arrays) + text

    @classmethod
    def from_batches(cls, generation: int, rows: int, batches) -> EventIndex:
        """Fill numpy arrays batch by batch (at most one row group in flight)."""
        numbers = {name: np.empty(rows, dtype=dtype) for name, dtype in _NUMBERS.items()}
        texts = {name: _CodesBuilder(rows) for name in ("event_type", *ACTOR_COLUMNS)}
        at = 0
        for batch in batches:
            end = at + batch.num_rows
            for name, target in numbers.items():
                col = batch.column(name)
                if pa.types.is_date32(col.type):
                    col = col.cast(pa.int32())
                target[at:end] = col.to_numpy(zero_copy_only=False)
            for name, builder in texts.items():
                builder.add(at, batch.column(name))
            at = end
        return cls(
            generation=generation,
            lat=numbers["latitude"],
            lon=numbers["longitude"],
            day_start=numbers["date_start"],
            day_end=numbers["date_end"],
            time_precision=numbers["time_precision"],
            geo_precision=numbers["geo_precision"],
            fatalities=numbers["fatalities"],
            h3=numbers["h3"],
            event_type=texts["event_type"].codes(),
            actors={name: texts[name].codes() for name in ACTOR_COLUMNS},
        )

    def type_names(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.event_type.names) - {""}))


_NUMBERS = {
    "latitude": np.float32,
    "longitude": np.float32,
    "date_start": np.int32,
    "date_end": np.int32,
    "time_precision": np.int8,
    "geo_precision": np.int8,
    "fatalities": np.int32,
    "h3": np.uint64,
}


class _CodesBuilder:
    """One dictionary for a text column across batches whose own dictionaries differ."""

    def __init__(self, rows: int):
        self.values = np.empty(rows, dtype=np.int32)
        self.lookup: dict[str, int] = {}

    def add(self, at: int, column: pa.Array) -> None:
        if not pa.types.is_dictionary(column.type):
            column = column.dictionary_encode()
        names = column.dictionary.to_pylist()
        remap = np.array(
            [self.lookup.setdefault(v, len(self.lookup)) for v in names], dtype=np.int32
        )
        indices = column.indices.to_numpy(zero_copy_only=False)
        self.values[at : at + len(indices)] = remap[indices] if len(remap) else 0

    def codes(self) -> Codes:
        return Codes(self.values, tuple(self.lookup))


def index_of(generation: int, rows: int, batches) -> EventIndex:
    """The columns of `rows` events of a generation, from a scan's batches."""
    return EventIndex.from_batches(generation, rows, batches)


def load_index(store: ColumnFiles) -> EventIndex:
    """The current generation's map columns (uncached; the app's queries use
    `layers.events.query.cached_index`)."""
    return index_of(*store.scan(HOT_COLUMNS))


def event_mask(index: EventIndex, view: View | Filter, geodata: Geodata) -> np.ndarray:
    """Events this view (or filter) shows: each declared filter's predicate on the index
    (`layers.view.filters`; the events layer has no per-layer toggle in View)."""
    return (view.filter if isinstance(view, View) else view).index_mask(index, geodata)


def count_types(index: EventIndex, mask: np.ndarray) -> tuple[tuple[str, int], ...]:
    """Events of each type under `mask`, most first (then by name)."""
    codes = index.event_type.codes[mask]
    counts = np.bincount(codes, minlength=len(index.event_type.names)) if len(codes) else []
    return tuple(
        sorted(
            ((name, int(n)) for name, n in zip(index.event_type.names, counts, strict=False) if n),
            key=lambda x: (-x[1], x[0]),
        )
    )


def events_at(
    index: EventIndex, mask: np.ndarray, lat: float, lon: float, tolerance: float = 2e-5
) -> np.ndarray:
    """Rows of the shown events at exactly this place (a clicked point or area centre),
    newest first."""
    here = mask & (np.abs(index.lat - lat) <= tolerance) & (np.abs(index.lon - lon) <= tolerance)
    rows = np.flatnonzero(here)
    return rows[np.argsort(-index.day_start[rows], kind="stable")]


def summarise(index: EventIndex, mask: np.ndarray) -> Summary:
    """Counts by type, a monthly histogram (by each event's first day) and fatalities."""
    by_type = count_types(index, mask)
    months, per_month = (), ()
    if mask.any():
        m = index.day_start[mask].astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        lo = int(m.min())
        hist = np.bincount(m - lo)
        months = tuple(str(np.datetime64(lo + k, "M")) for k in range(len(hist)))
        per_month = tuple(int(v) for v in hist)
    return Summary(
        shown=int(mask.sum()),
        fatalities=int(index.fatalities[mask].sum(dtype=np.int64)),
        by_type=by_type,
        months=months,
        per_month=per_month,
        imprecise_place=int((index.geo_precision[mask] >= 2).sum()),
        imprecise_date=int((index.time_precision[mask] >= 2).sum()),
    )
