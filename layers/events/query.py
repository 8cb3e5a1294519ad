"""The Parquet backend's answers: one generation's map columns in numpy (`EventIndex`, loaded
once per generation and kept for the next reruns), and every query of a snapshot answered from
them — counts, histogram, map payload, the rows of a clicked place, the rows of an export.

The filter reaches the numpy engine in one place, `mask_of`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from layers.events.backend import NO_EVENTS, Box, Frame, QueryResult, StoreInfo
from layers.events.index import (
    EventIndex,
    count_types,
    event_mask,
    events_at,
    in_box,
    index_of,
    summarise,
)
from layers.events.payload import payload
from layers.events.schema import HOT_COLUMNS as _HOT
from layers.model import Geodata
from layers.view import View

if TYPE_CHECKING:
    from layers.events.backend import ColumnFiles

KEEP = 2  # generations whose columns stay in memory (the current one and the one before)
_CACHE: OrderedDict[tuple, EventIndex] = OrderedDict()
_LOCK = threading.Lock()


def mask_of(index: EventIndex, view: View, geodata: Geodata) -> np.ndarray:
    """The events `view` shows: the one place the filter meets the numpy engine."""
    return event_mask(index, view, geodata)


def cached_index(store: ColumnFiles, info: StoreInfo) -> EventIndex:
    """The map columns of `info`'s generation, loaded once and kept for `KEEP` generations
    (a new import is a new generation; a data file replaced in place is a new key too)."""
    key = store.index_key(info)
    with _LOCK:
        index = _CACHE.get(key) if key else None
        if index is None:
            index = index_of(*store.scan(_HOT, info))
            if key:
                _CACHE[key] = index
                while len(_CACHE) > KEEP:
                    _CACHE.popitem(last=False)
        else:
            _CACHE.move_to_end(key)
    return index


def forget(stale: Callable[[tuple], bool]) -> tuple[tuple, ...]:
    """Drop the cached columns whose keys `stale` accepts (a store told that its data moved
    on); the keys held before."""
    with _LOCK:
        held = tuple(_CACHE)
        for key in held:
            if stale(key):
                del _CACHE[key]
    return held


@dataclass(frozen=True, eq=False)
class ParquetSelection:
    """The shown events of a query: a mask over one generation's columns."""

    store: ColumnFiles
    index: EventIndex
    mask: np.ndarray

    @property
    def generation(self) -> int:
        return self.index.generation

    def _rows(self, bounds: Box | None) -> np.ndarray:
        return self.mask if bounds is None else self.mask & in_box(self.index, bounds)

    def count(self, bounds: Box | None = None) -> int:
        return int(self._rows(bounds).sum())

    def rows(self, columns: Sequence[str], bounds: Box | None = None) -> pa.Table:
        """These columns of the shown events (within `bounds`), in the store's order."""
        where = np.flatnonzero(self._rows(bounds)).tolist()
        return self.store.take(self.index.generation, where, columns)

    def payload(self, bounds: Box, zoom: float, lang: str = "en") -> dict[str, Any]:
        return payload(self.index, self.mask, bounds, zoom, lang)


@dataclass(frozen=True, eq=False)
class ParquetSnapshot:
    store: ColumnFiles
    info: StoreInfo
    index: EventIndex | None  # None: the store holds no events

    @classmethod
    def of(cls, store: ColumnFiles, info: StoreInfo) -> ParquetSnapshot:
        return cls(store, info, cached_index(store, info) if info.rows else None)

    def type_names(self) -> tuple[str, ...]:
        return self.index.type_names() if self.index is not None else ()

    def query(self, view: View, frame: Frame, geodata: Geodata) -> QueryResult:
        index = self.index
        if index is None:
            empty = ParquetSelection(self.store, index_of(self.info.generation, 0, ()), _NONE)
            return QueryResult(self.info, NO_EVENTS, (), None, (), 0, empty)
        mask = mask_of(index, view, geodata)
        summary, type_counts = NO_EVENTS, ()
        if frame.counts:
            summary = summarise(index, mask)
            type_counts = summary.by_type
            if view.types:
                wider = mask_of(index, view.with_changes(types=frozenset()), geodata)
                type_counts = count_types(index, wider)
        else:
            summary = replace(NO_EVENTS, shown=int(np.count_nonzero(mask)))
        shown = summary.shown
        data = None
        if frame.bounds is not None and shown:
            zoom = frame.zoom if frame.zoom is not None else 6.0
            data = payload(index, mask, frame.bounds, zoom, frame.lang)
        popup, total = self._popup(mask, frame) if frame.click and shown else ((), 0)
        selection = ParquetSelection(self.store, index, mask)
        return QueryResult(self.info, summary, type_counts, data, popup, total, selection)

    def _popup(self, mask: np.ndarray, frame: Frame) -> tuple[tuple[dict[str, Any], ...], int]:
        lat, lon = frame.click
        rows = events_at(self.index, mask, lat, lon)
        if not len(rows):
            return (), 0
        details = self.store.details(self.index.generation, rows[: frame.page].tolist())
        return tuple(details), len(rows)


_NONE = np.zeros(0, dtype=bool)
