"""The imported incidents a view shows, gathered once for an export: which events (a mask over
the store's loaded columns), the store they come from, and the data's own handling marking.

An export that shows them draws them as the map does (`layers.events.payload`), credits the
datasets they come from (ACLED, UCDP GED: `datasets`), and is marked at least as the store is
(`StoreInfo.marking`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow.compute as pc

from layers.events.index import EventIndex, event_mask, in_box, load_index
from layers.events.store import EventStore, StoreInfo
from layers.marking import Marking
from layers.model import Geodata
from layers.view import View

MARKING_NAME = "imported incidents"  # how a refusal names the event data


@dataclass(frozen=True, eq=False)
class ShownEvents:
    store: EventStore
    info: StoreInfo
    index: EventIndex
    mask: np.ndarray  # the view's events (its filters), anywhere on the map
    marking: Marking

    @property
    def count(self) -> int:
        return int(self.mask.sum())

    def within(self, bounds: tuple[float, float, float, float]) -> np.ndarray:
        """The shown events inside a west, south, east, north box."""
        return self.mask & in_box(self.index, bounds)

    def datasets(self, rows: np.ndarray) -> tuple[str, ...]:
        """The datasets the events of `rows` (a mask) come from, as credited: "ACLED" (its CSV
        or GeoJSON of its columns) and "UCDP GED" (ids `UCDP-<id>`, `layers.events.ucdp`).
        A store that never imported UCDP is not read for it."""
        if not rows.any():
            return ()
        if not any(e.get("format") == "ucdp" for e in self.info.imports):
            return ("ACLED",)
        where = np.flatnonzero(rows).tolist()
        ids = self.store.take(self.index.generation, where, ["event_id_cnty"]).column(0)
        ucdp = pc.sum(pc.starts_with(ids, "UCDP-")).as_py() or 0
        return (("ACLED",) if ucdp < len(where) else ()) + (("UCDP GED",) if ucdp else ())


def shown_events(
    store: EventStore, view: View, geodata: Geodata, index: EventIndex | None = None
) -> ShownEvents | None:
    """The events `view` shows from `store` (None if it shows none). `index`: the store's
    loaded columns if the caller holds them already (the app caches them). Raises StoreError
    if the store cannot be read."""
    info = store.describe()
    if not info.rows:
        return None
    if index is None or index.generation != info.generation:
        index = load_index(store)
    mask = event_mask(index, view, geodata)
    if not mask.any():
        return None
    return ShownEvents(store, info, index, mask, info.marking())
