"""What an event store backend provides, and the values it answers with.

A backend (GeoParquet today, `layers.events.store`; a database next) gives:

- `describe()` → `StoreInfo`: generation, rows, imports, marking, schema version;
- `snapshot()` → an `EventSnapshot`: the store as of ONE generation, read once. Its
  `type_names()` and `query(filter, frame, geodata)` answer from that generation only, so a
  page that asks several questions in one rerun reads the store once;
- `query(filter, frame, geodata)`: `snapshot().query(...)`;
- `apply` / `upsert` / `delete`: one atomic write each, recorded with who and when, and
  refused if it would raise the store's marking unless `may_raise_marking`
  (`layers.events.attribution`); `check()`: the data readable;
- `remove_import(id, by=...)`: one atomic write that deletes the events whose current row that
  import wrote and its record, recording the removal (`layers.events.records`); the only
  thing that can lower the store's marking. An admin's act: callers check the person's
  `Capability.MANAGE` (the command line is the operator's).

A `QueryResult` is everything the page and the exports ask of the shown events: counts by
type (with and without the filter's types), the monthly histogram, fatalities, the map payload
for the frame (`layers.events.payload`), the rows of a clicked place for a popup, and a
`Selection` that reads the shown rows for a CSV or GeoJSON export when asked.

The filter is today's `layers.view.View`; how a backend turns it into its own query is its
business (the Parquet backend: `layers.events.query.mask_of`). The map payload is
`layers.events.payload`'s whatever the backend: one that filters elsewhere (in a database)
can fill an `EventIndex` with the map columns of the rows in the frame's padded box
(`layers.events.index.index_of`) and hand it to `payload`. The shared contract a backend
must pass is `tests/events/contract/`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import pyarrow as pa

from layers.events.attribution import store_marking
from layers.events.merge import Counts, Deletions
from layers.events.records import Removal
from layers.events.words import w
from layers.marking import Marking
from layers.model import Geodata
from layers.view import View

Box = tuple[float, float, float, float]  # west, south, east, north (degrees)


@dataclass(frozen=True)
class Source:
    """Where an import came from."""

    file: str
    sha256: str
    rows: int
    format: str
    rejected: int = 0
    deletions_file: str | None = None
    deletions_sha256: str | None = None
    deletions_rows: int = 0
    marking: str = ""  # the data's own handling marking ("": the scheme's default)
    by: str = ""  # who imports: the signed-in user ("" : the operating-system user)


@dataclass(frozen=True)
class StoreInfo:
    location: str
    generation: int
    rows: int
    data_file: str | None
    imports: tuple[dict[str, Any], ...]
    first_date: str | None
    last_date: str | None
    version: int = 0  # the schema version it is read as (`layers.events.manifest.VERSION`)
    note: str | None = None  # said when the store was written by an earlier briefmap
    removals: tuple[dict[str, Any], ...] = ()  # imports removed: which, who, when, how many

    def marking(self) -> Marking:
        """The highest marking of any import that brought events (deletions bring none): what
        an export showing the store's events is marked at least."""
        return store_marking(self.imports)

    def last_by(self, lang: str = "en") -> str | None:
        """Who made the last import, and when (None: no import, or one that recorded no
        one, as before issue 20)."""
        if not self.imports or not self.imports[-1].get("by"):
            return None
        last = self.imports[-1]
        when = last["imported_at"][:16].replace("T", " ")
        return w("imported_by", lang, by=str(last["by"])[:64], when=when)

    def as_of(self, lang: str = "en") -> str:
        """'Incident data as of …' for a briefing: the last import, its file and checksum."""
        if not self.imports:
            return w("no_data", lang)
        last = self.imports[-1]
        return w(
            "as_of",
            lang,
            when=last["imported_at"][:16].replace("T", " "),
            rows=f"{self.rows:,}",
            first=self.first_date or "–",
            last=self.last_date or "–",
            file=last["file"],
            sha=last["sha256"][:12],
            n=f"{last['rows']:,}",
        )


@dataclass(frozen=True)
class Frame:
    """How the page frames a query: the map's box and zoom (no map payload without a box),
    the language of the payload's words, a clicked place (its rows for a popup, `page` at
    most), and whether the counts and the histogram are wanted."""

    bounds: Box | None = None
    zoom: float | None = None
    lang: str = "en"
    click: tuple[float, float] | None = None  # latitude, longitude
    page: int = 12
    counts: bool = True


@dataclass(frozen=True)
class Summary:
    shown: int
    fatalities: int
    by_type: tuple[tuple[str, int], ...]  # most first
    months: tuple[str, ...]  # YYYY-MM, contiguous
    per_month: tuple[int, ...]
    imprecise_place: int  # geo_precision 2-3
    imprecise_date: int  # time_precision 2-3


NO_EVENTS = Summary(0, 0, (), (), (), 0, 0)


class Selection(Protocol):
    """The shown events of one query, in their generation: read only when asked."""

    @property
    def generation(self) -> int: ...

    def count(self, bounds: Box | None = None) -> int: ...

    def rows(self, columns: Sequence[str], bounds: Box | None = None) -> pa.Table: ...

    def payload(self, bounds: Box, zoom: float, lang: str = "en") -> dict[str, Any]: ...


@dataclass(frozen=True)
class QueryResult:
    info: StoreInfo
    summary: Summary  # the filter's events: counts by type, months, fatalities
    type_counts: tuple[tuple[str, int], ...]  # the filter without its types (the type picker)
    map: dict[str, Any] | None  # the frame's payload (None: no box, or nothing shown)
    popup: tuple[dict[str, Any], ...]  # the clicked place's rows, newest first (`frame.page`)
    popup_total: int  # how many shown events are at the clicked place
    selection: Selection

    @property
    def shown(self) -> int:
        return self.summary.shown


class EventSnapshot(Protocol):
    info: StoreInfo

    def type_names(self) -> tuple[str, ...]: ...

    def query(self, view: View, frame: Frame, geodata: Geodata) -> QueryResult: ...


class ColumnFiles(Protocol):
    """What the in-memory index and its snapshots read from a store: a key for one
    generation's columns, those columns in batches, and rows of a generation by position (the
    Parquet backend from its files, the PostGIS one from its versioned rows). Named here so
    that the index and the query need not import the store that uses them."""

    def index_key(self, info: StoreInfo) -> tuple | None:
        """What names `info`'s generation's columns for the in-memory cache (None: do not
        keep them; the scan then says what is wrong)."""
        ...

    def scan(
        self, columns: Sequence[str], info: StoreInfo | None = None
    ) -> tuple[int, int, Iterator[pa.RecordBatch]]: ...

    def details(self, generation: int, rows: Sequence[int]) -> list[dict[str, Any]]: ...

    def take(self, generation: int, rows: Sequence[int], columns: Sequence[str]) -> pa.Table: ...


class EventStore(Protocol):
    """What the app, the CLI and the exports ask of a store (see the module's docstring)."""

    def describe(self) -> StoreInfo: ...

    def snapshot(self) -> EventSnapshot: ...

    def query(self, view: View, frame: Frame, geodata: Geodata) -> QueryResult: ...

    def apply(
        self,
        batch: pa.Table | None,
        deletions: Deletions | None,
        source: Source,
        *,
        may_raise_marking: bool = False,
    ) -> Counts: ...

    def upsert(
        self, batch: pa.Table, source: Source, *, may_raise_marking: bool = False
    ) -> Counts: ...

    def delete(self, deletions: Deletions, source: Source) -> Counts: ...

    def remove_import(self, import_id: int, *, by: str = "") -> Removal: ...

    def check(self) -> None: ...
