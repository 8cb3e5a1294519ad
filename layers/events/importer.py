"""An import: read and validate a file, then upsert it (and apply a deletions list) into a
store in one atomic step. Nothing is stored unless the whole file is valid, or the caller asked
to skip invalid rows: then they are written, with their reasons, to a side file."""

from __future__ import annotations

import csv
import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from layers.boundary.regular import open_regular
from layers.events.acled import read_acled
from layers.events.batch import Batch
from layers.events.encoding import display
from layers.events.geojson import read_geojson
from layers.events.lines import LineReader
from layers.events.manifest import marking_of
from layers.events.merge import Counts, Deletions
from layers.events.problems import ProblemList
from layers.events.store import EventStore, Source

FORMATS = ("acled", "ucdp", "geojson")
Progress = Callable[[int, int, int], None]  # bytes read, total bytes, rows read


@dataclass(frozen=True)
class ImportResult:
    file: str | None
    rows: int  # valid rows read (after folding monadic rows)
    counts: Counts
    rejected: int
    rejects_file: Path | None
    folded: int
    superseded: int
    seconds: float
    notes: tuple[str, ...] = ()  # what the reader did with the file (encoding, eras)

    def summary(self) -> str:
        rate = self.rows / self.seconds if self.seconds > 0 else 0
        parts = [f"{self.rows:,} rows in {self.seconds:.1f} s ({rate:,.0f} rows/s)"]
        if self.folded:
            parts.append(f"{self.folded} monadic rows folded into their events")
        if self.superseded:
            parts.append(f"{self.superseded} older versions in the file skipped")
        if self.rejected:
            parts.append(f"{self.rejected} rows rejected, see {self.rejects_file}")
        parts.extend(self.notes)
        return f"{self.counts.words()}; " + "; ".join(parts)


def guess_format(path: Path) -> str | None:
    """GeoJSON by its name; a CSV is told ACLED or UCDP by its header."""
    return "geojson" if path.suffix.lower() in (".geojson", ".json") else None


def import_file(
    store: EventStore,
    path: Path | None,
    *,
    fmt: str | None = None,
    skip_invalid: bool = False,
    deletions: Path | None = None,
    rejects: Path | None = None,
    progress: Progress | None = None,
    display_name: str | None = None,
    marking: str | None = None,
    encoding: str | None = None,
    by: str | None = None,
    may_raise_marking: bool = False,
) -> ImportResult:
    """Validate `path` (and `deletions`) completely, then change the store in one step.
    `marking` is the data's handling marking (default: the scheme's, `manifest.marking_of`); an
    unknown one raises `layers.marking.MarkingError` before anything is read. `encoding`: the
    CSV's, when the user names it (else detected and named in the summary). `by`: who imports
    (the signed-in user; None: the operating-system user), recorded with the import.
    `may_raise_marking`: whether this person may raise the store's marking (else an import
    that would is refused, `layers.events.attribution`)."""
    fmt = fmt or (guess_format(path) if path is not None else None)
    label = marking_of(marking, fmt).label
    who = Who(by or "", may_raise_marking)
    with _paused_gc():
        return _import(
            store,
            path,
            fmt,
            skip_invalid,
            deletions,
            rejects,
            progress,
            display_name,
            label,
            encoding,
            who,
        )


def _no_stage(_name: str) -> None:
    """A store without stages (they tell a test each step of an import)."""


@contextmanager
def _paused_gc() -> Iterator[None]:
    """An import makes millions of small acyclic objects (rows, cells); the cyclic garbage
    collector would walk them again and again (a quarter of the CPU time). Paused for the
    import, and restored as it was whatever happens."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@dataclass(frozen=True)
class Who:
    """Who imports, and whether they may raise the store's marking."""

    by: str
    may_raise_marking: bool


def _import(
    store,
    path,
    fmt,
    skip_invalid,
    deletions,
    rejects,
    progress,
    display_name,
    marking,
    encoding,
    who: Who,
):
    started = time.perf_counter()
    batch, sha256 = None, ""
    if path is not None:
        if fmt == "geojson":
            batch, sha256 = read_geojson(path, skip_invalid=skip_invalid, progress=progress)
        else:
            batch, sha256 = read_acled(
                path,
                skip_invalid=skip_invalid,
                progress=progress,
                encoding=encoding,
                dialect=fmt if fmt in ("acled", "ucdp") else None,
            )
            fmt = batch.dialect
    gone, gone_sha = read_deletions(deletions) if deletions else (None, None)
    getattr(store, "stage", _no_stage)("parsed")  # a test may stop the import here
    rejects_file = None
    if batch is not None and batch.rejected:
        rejects_file = rejects or path.with_name(path.name + ".rejected.csv")
        write_rejects(batch, rejects_file)
    source = Source(
        file=display_name or (path.name if path else ""),
        sha256=sha256,
        rows=batch.size() if batch else 0,
        format=fmt or "",
        rejected=len(batch.rejected) if batch else 0,
        deletions_file=deletions.name if deletions else None,
        deletions_sha256=gone_sha,
        deletions_rows=len(gone.ids) if gone else 0,
        marking=marking,
        by=who.by,
    )
    table = batch.table() if batch else None
    counts = store.apply(table, gone, source, may_raise_marking=who.may_raise_marking)
    return ImportResult(
        file=source.file or None,
        rows=source.rows,
        counts=counts,
        rejected=source.rejected,
        rejects_file=rejects_file,
        folded=batch.folded if batch else 0,
        superseded=batch.superseded if batch else 0,
        seconds=time.perf_counter() - started,
        notes=reader_notes(batch) if batch else (),
    )


def reader_notes(batch: Batch) -> tuple[str, ...]:
    """What the reader did with the file, in words for the summary."""
    notes = []
    if batch.encoding != "utf-8":
        notes.append(f"read as {display(batch.encoding)}")
    if batch.undated:
        notes.append(
            "no timestamp column (an ACLED file from before about 2019): its events are "
            "revisions dated by this import, and a later file with timestamps revises them"
        )
    if batch.blank:
        notes.append(f"{batch.blank:,} blank rows skipped")
    if batch.hxl:
        notes.append("the HXL hashtag row skipped")
    return tuple(notes)


def read_deletions(path: Path) -> tuple[Deletions, str]:
    """ACLED's deleted-events list: `event_id_cnty`, `deleted_timestamp` (any other columns
    are ignored). Every bad row is reported; nothing is applied unless all are good."""
    from layers.events import fields as fx

    problems = ProblemList(path.name)
    ids, stamps = [], []
    with open_regular(path) as handle:  # a FIFO or a device is refused, not waited on
        lines = LineReader(handle, problems)
        reader = csv.DictReader(iter(lines))
        header = [h.strip().lower() for h in reader.fieldnames or []]
        reader.fieldnames = header
        for col in ("event_id_cnty", "deleted_timestamp"):
            if col not in header:
                problems.add("line 1", col, "required column is missing")
        if problems:
            raise problems.error()
        for row in reader:
            where = f"line {reader.line_num}"
            try:
                ids.append(fx.event_id(row.get("event_id_cnty") or ""))
                stamps.append(fx.integer(row.get("deleted_timestamp") or "", 0, 10**11))
            except fx.FieldError as exc:
                column = "event_id_cnty" if len(ids) == len(stamps) else "deleted_timestamp"
                problems.add(where, column, str(exc))
                ids = ids[: len(stamps)]
        sha256 = lines.drain()
    if problems:
        raise problems.error()
    return Deletions(tuple(ids), tuple(stamps)), sha256


def write_rejects(batch: Batch, out: Path) -> None:
    """The rejected rows as they were, with where they were and why, safe for spreadsheets."""
    batch.rejected.write(out)
