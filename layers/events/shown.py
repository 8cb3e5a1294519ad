"""The imported incidents a view shows, gathered once for an export: one query of the store
(`layers.events.backend`), whose `Selection` reads the shown rows when an export asks, and the
data's own handling marking.

An export that shows them draws them as the map does (`payload`, `layers.events.payload`),
credits the datasets they come from (ACLED, UCDP GED: `datasets`), and is marked at least as
the store is (`StoreInfo.marking`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow.compute as pc

from layers.events.backend import Box, EventSnapshot, EventStore, Frame, QueryResult, StoreInfo
from layers.marking import Marking
from layers.model import Geodata
from layers.view import View

MARKING_NAME = "imported incidents"  # how a refusal names the event data


@dataclass(frozen=True, eq=False)
class ShownEvents:
    result: QueryResult
    marking: Marking

    @property
    def info(self) -> StoreInfo:
        return self.result.info

    @property
    def count(self) -> int:
        return self.result.shown

    def payload(self, bounds: Box, zoom: float, lang: str = "en") -> dict[str, Any]:
        """What the map draws of the shown events for this box and zoom."""
        return self.result.selection.payload(bounds, zoom, lang)

    def datasets(self, bounds: Box | None = None) -> tuple[str, ...]:
        """The datasets the shown events (within `bounds`) come from, as credited: "ACLED"
        (its CSV or GeoJSON of its columns) and "UCDP GED" (ids `UCDP-<id>`,
        `layers.events.ucdp`). A store that never imported UCDP is not read for it."""
        selection = self.result.selection
        inside = selection.count(bounds)
        if not inside:
            return ()
        if not any(e.get("format") == "ucdp" for e in self.info.imports):
            return ("ACLED",)
        ids = selection.rows(["event_id_cnty"], bounds).column(0)
        ucdp = pc.sum(pc.starts_with(ids, "UCDP-")).as_py() or 0
        return (("ACLED",) if ucdp < inside else ()) + (("UCDP GED",) if ucdp else ())


def shown_events(
    store: EventStore | EventSnapshot, view: View, geodata: Geodata
) -> ShownEvents | None:
    """The events `view` shows from `store`, or from a snapshot the caller holds (the app
    holds one per rerun); None if it shows none. Raises StoreError if the store cannot be
    read."""
    result = store.query(view, Frame(counts=False), geodata)
    if not result.shown:
        return None
    return ShownEvents(result, result.info.marking())
