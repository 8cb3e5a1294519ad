"""The event store's GeoParquet backend (`ParquetStore`): the interface every backend offers,
and the values it answers with, are `layers.events.backend`'s; its queries are answered by
`layers.events.query` from the numpy columns of one generation (`layers.events.index`).

A store directory holds `manifest.json` and one `events-NNNNNN.parquet` per generation. An
import writes the next generation's file (temporary name, fsync, rename), then the manifest
(temporary name, fsync, rename): the manifest's rename is the commit. Killed before it, the
store is as it was; the stray file is removed by the next import. The previous generation's
file is kept one round, so a reader that has just read the manifest still finds its data.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from platformdirs import user_data_dir

from layers.atomic import write_text_atomic, write_with_atomic
from layers.events import merge
from layers.events.attribution import check_raise
from layers.events.backend import EventSnapshot, EventStore, Frame, QueryResult, Source, StoreInfo
from layers.events.datafile import (
    StoreError,
    check_data,
    date_span,
    geo_metadata,
    read_data,
    writing,
)
from layers.events.manifest import DATA as _DATA
from layers.events.manifest import (
    FORMAT,
    VERSION,
    ManifestError,
    NewerStoreError,
    migrate,
)
from layers.events.manifest import check as check_manifest
from layers.events.merge import Counts, Deletions
from layers.events.query import ParquetSnapshot
from layers.events.records import (
    IMPORT_FIELD,
    IMPORT_ID,
    STORED_SCHEMA,
    Removal,
    find,
    import_entry,
    next_id,
    removal,
    with_import_id,
)
from layers.events.schema import DETAIL_COLUMNS, STORE_SCHEMA
from layers.model import Geodata
from layers.view import View

__all__ = [
    "EventSnapshot",
    "EventStore",
    "ParquetStore",
    "Source",
    "StoreError",
    "StoreInfo",
    "open_store",
]

MANIFEST = "manifest.json"
MARKER = ".briefmap-store"  # written before anything else: this folder is a store
MAX_MANIFEST = 32 << 20
_SYSTEM = tuple(
    Path(p) for p in ("/dev", "/proc", "/sys", "/etc", "/boot", "/bin", "/sbin", "/usr", "/run")
) + tuple(Path(p) for p in ("/lib", "/lib32", "/lib64"))
_TMP = re.compile(r"^\.events-\d{6}\.parquet(\.\d+\.\w+)?\.tmp$")  # layers.atomic's
ROW_GROUP = 8192
Stage = Callable[[str], None]  # told each step of a write (tests stop an import there)


def checkpoint(name: str) -> None:
    """The default `Stage`: nothing to do. A test gives the store its own to stop an import
    at a known step ("parsed", "merged", "data-tmp", "data-written", "committed")."""


def default_location() -> Path:
    """The per-user data directory (the settings' default, `layers.settings`)."""
    return Path(user_data_dir("briefmap", appauthor=False))


def open_store(location: str | Path | None = None) -> EventStore:
    """The store at `location` (a directory; created on first import)."""
    if location is not None and not str(location).strip():
        raise StoreError("the store location is empty; give a folder")
    return ParquetStore(check_location(Path(location) if location else default_location()))


def check_location(root: Path) -> Path:
    """Refuse a store location that is a system folder (or inside one) or not a folder."""
    real = Path(os.path.realpath(root))
    if real.exists() and not real.is_dir():
        raise StoreError(f"{root}: not a folder (give the event store's folder)")
    if real == Path("/") or any(real == s or s in real.parents for s in _SYSTEM):
        raise StoreError(f"{root}: a system folder; give the event store a folder of its own")
    return root


class ParquetStore:
    def __init__(self, root: Path, stage: Stage | None = None):
        self.root = Path(root)
        self.stage = stage or checkpoint

    # -- reading --------------------------------------------------------------------------
    def manifest(self) -> dict[str, Any]:
        """The manifest as the current schema version (an older one migrated in memory)."""
        return self._manifest()[0]

    def _manifest(self) -> tuple[dict[str, Any], str | None]:
        path = self.root / MANIFEST
        if not path.is_file():
            empty = {"format": FORMAT, "version": VERSION, "columns": list(STORE_SCHEMA.names)}
            return {**empty, "generation": 0, "data": None, "rows": 0, "imports": []}, None
        try:
            if path.stat().st_size > MAX_MANIFEST:
                raise StoreError(f"{path}: manifest larger than {MAX_MANIFEST >> 20} MB")
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError) as exc:
            raise StoreError(f"{path}: unreadable manifest ({str(exc)[:200]})") from exc
        return migrate(checked_manifest(data, path))

    def describe(self) -> StoreInfo:
        m, note = self._manifest()
        return StoreInfo(
            location=str(self.root),
            generation=m["generation"],
            rows=m["rows"],
            data_file=m["data"],
            imports=tuple(m["imports"]),
            first_date=m.get("first_date"),
            last_date=m.get("last_date"),
            version=m["version"],
            note=note,
            removals=tuple(m.get("removals", [])),
        )

    def snapshot(self) -> EventSnapshot:
        """The store as of its current generation, read once (`layers.events.query`)."""
        return ParquetSnapshot.of(self, self.describe())

    def query(self, view: View, frame: Frame, geodata: Geodata) -> QueryResult:
        return self.snapshot().query(view, frame, geodata)

    def load(self, columns: Sequence[str]) -> tuple[int, pa.Table]:
        """The current generation and these columns of every event (dictionary-encoded text)."""
        m = self.manifest()
        schema = pa.schema([STORE_SCHEMA.field(c) for c in columns])
        if not m["data"]:
            return m["generation"], schema.empty_table()
        text = [c for c in columns if pa.types.is_string(STORE_SCHEMA.field(c).type)]
        path = self.root / m["data"]
        check_data(path, m["rows"])
        try:
            table = pq.read_table(path, columns=list(columns), read_dictionary=text)
        except (OSError, pa.ArrowException, KeyError, ValueError) as exc:
            raise StoreError(f"{path}: cannot read ({exc})") from exc
        return m["generation"], table.unify_dictionaries().combine_chunks()

    def index_key(self, info: StoreInfo) -> tuple | None:
        """The data file's real path, generation, time and size (a file replaced in place is
        a new key); None when it is missing (the scan says so, naming the file)."""
        path = self.root / str(info.data_file)
        try:
            stat = path.stat()
        except OSError:
            return None
        return (os.path.realpath(path), info.generation, stat.st_mtime_ns, stat.st_size)

    def scan(
        self, columns: Sequence[str], info: StoreInfo | None = None
    ) -> tuple[int, int, Iterator[pa.RecordBatch]]:
        """The generation (`info`'s, else the current), its number of events, and these
        columns in batches (one row group at a time, text dictionary-encoded): a loader fills
        its own arrays and never holds the whole table."""
        info = info or self.describe()
        if not info.data_file:
            return info.generation, 0, iter(())
        text = [c for c in columns if pa.types.is_string(STORE_SCHEMA.field(c).type)]
        path = self.root / info.data_file
        check_data(path, info.rows)
        try:
            handle = pq.ParquetFile(path, read_dictionary=text)
        except (OSError, pa.ArrowException, ValueError) as exc:
            raise StoreError(f"{path}: cannot read ({exc})") from exc
        rows = handle.metadata.num_rows
        return info.generation, rows, handle.iter_batches(ROW_GROUP, columns=list(columns))

    def details(self, generation: int, rows: Sequence[int]) -> list[dict[str, Any]]:
        """Every column but the geometry for these rows of a generation, in the given order."""
        path = self.root / f"events-{generation:06d}.parquet"
        try:
            handle = pq.ParquetFile(path)
        except (OSError, pa.ArrowException) as exc:
            raise StoreError(f"{path}: cannot read ({exc})") from exc
        out: dict[int, dict[str, Any]] = {}
        for group in sorted({r // ROW_GROUP for r in rows}):
            part = handle.read_row_group(group, columns=list(DETAIL_COLUMNS)).to_pylist()
            for r in rows:
                if r // ROW_GROUP == group:
                    out[r] = part[r - group * ROW_GROUP]
        return [out[r] for r in rows]

    def take(self, generation: int, rows: Sequence[int], columns: Sequence[str]) -> pa.Table:
        """These columns of these rows of a generation (e.g. the shown events, for export)."""
        if not len(rows):  # nothing to read (an empty store has no file to read it from)
            return pa.schema([STORE_SCHEMA.field(c) for c in columns]).empty_table()
        path = self.root / f"events-{generation:06d}.parquet"
        try:
            table = pq.read_table(path, columns=list(columns))
        except (OSError, pa.ArrowException, KeyError, ValueError) as exc:
            raise StoreError(f"{path}: cannot read ({exc})") from exc
        return table.take(pa.array(rows, type=pa.int64()))

    def table(self) -> pa.Table | None:
        m = self.manifest()
        if not m["data"]:
            return None
        return read_data(self.root / m["data"], m["rows"])

    def check(self) -> None:
        """StoreError naming the data file when it is missing, unreadable, foreign or short."""
        m = self.manifest()
        if m["data"]:
            check_data(self.root / m["data"], m["rows"])

    # -- writing --------------------------------------------------------------------------
    def upsert(self, batch: pa.Table, source: Source, *, may_raise_marking: bool = False) -> Counts:
        return self.apply(batch, None, source, may_raise_marking=may_raise_marking)

    def delete(self, deletions: Deletions, source: Source) -> Counts:
        return self.apply(None, deletions, source)

    def apply(
        self,
        batch: pa.Table | None,
        deletions: Deletions | None,
        source: Source,
        *,
        may_raise_marking: bool = False,
    ) -> Counts:
        """Upsert `batch`, then apply `deletions`, as one atomic step, recorded with who and
        when; MarkingRaiseError (nothing changed) if it would raise the store's marking and the
        caller may not (`layers.events.attribution`)."""
        self._claim()
        with self._locked():
            self._sweep()
            m = self.manifest()
            check_raise(m["imports"], source.file, source.marking, may_raise_marking)
            ident = next_id(m["imports"], m.get("removals", []))
            old = self._stored()
            if batch is not None:
                merged, counts = merge.upsert(old, with_import_id(batch, ident))
            else:
                merged, counts = old, Counts()
            if deletions is not None and merged is not None:
                merged, removed, missing = merge.delete(merged, deletions)
                counts = Counts(**{**counts.as_dict(), "removed": removed, "not_found": missing})
            elif deletions is not None:
                counts = Counts(**{**counts.as_dict(), "not_found": len(deletions.ids)})
            self.stage("merged")
            if old is None or counts.new or counts.revised or counts.removed:
                m = self._write_generation(m, merged)  # the data changed
            m["imports"] = [*m["imports"], import_entry(source, counts, ident)]
            self._commit(m)
        return counts

    def remove_import(self, import_id: int, *, by: str = "") -> Removal:
        """Delete the events whose current row import `import_id` wrote, and its record,
        recording the removal, as one atomic step (`layers.events.records`); RemovalError,
        nothing changed, for an id the store does not have."""
        find(self.manifest()["imports"], import_id)  # before the lock: a store never made
        with self._locked():
            self._sweep()
            m = self.manifest()
            entry = find(m["imports"], import_id)
            old = self._stored()
            ids = old.column(IMPORT_ID) if old is not None else pa.array([], IMPORT_FIELD.type)
            gone = pc.fill_null(pc.equal(ids, import_id), False)
            done = removal(m["imports"], entry, pc.sum(gone).as_py() or 0, by)
            self.stage("merged")
            if done.events:
                m = self._write_generation(m, old.filter(pc.invert(gone)))
            m["imports"] = [e for e in m["imports"] if e is not entry]
            m["removals"] = [*m.get("removals", []), done.record]
            self._commit(m)
        return done

    def _stored(self) -> pa.Table | None:
        """The current events with the import that wrote each (null: an earlier briefmap's),
        the data file read once."""
        m = self.manifest()
        if not m["data"]:
            return None
        path = self.root / m["data"]
        check_data(path, m["rows"])
        try:
            found = pq.read_schema(path)
            held = found.get_field_index(IMPORT_ID) >= 0
            schema = STORE_SCHEMA.append(found.field(IMPORT_ID)) if held else STORE_SCHEMA
            table = pq.read_table(path, schema=schema)
        except (OSError, pa.ArrowException, KeyError, ValueError) as exc:
            raise StoreError(f"{path}: cannot read ({str(exc)[:200]})") from exc
        if not held:
            return table.append_column(IMPORT_FIELD, pa.nulls(table.num_rows, IMPORT_FIELD.type))
        ids = table.column(IMPORT_ID).cast(IMPORT_FIELD.type)
        return table.drop_columns([IMPORT_ID]).append_column(IMPORT_FIELD, ids)

    def _write_generation(self, m: dict[str, Any], table: pa.Table | None) -> dict[str, Any]:
        """The next generation's data file written (not yet committed): the manifest for it."""
        generation = m["generation"] + 1
        name = f"events-{generation:06d}.parquet"
        table = merge.in_order(table) if table is not None else STORED_SCHEMA.empty_table()
        self._write_parquet(table, self.root / name)
        self.stage("data-written")
        m = {**m, "generation": generation, "data": name, "rows": table.num_rows}
        m.update(date_span(table))
        return m

    def _commit(self, m: dict[str, Any]) -> None:
        """The manifest's rename: the commit. Then the files no manifest names are swept."""
        write_text_atomic(self.root / MANIFEST, json.dumps(m, indent=1, ensure_ascii=False))
        self.stage("committed")
        self._sweep(keep_previous=m["generation"] - 1)

    def _write_parquet(self, table: pa.Table, path: Path) -> None:
        meta = {**(table.schema.metadata or {}), b"geo": json.dumps(geo_metadata(table))}
        table = table.replace_schema_metadata(meta)

        def write(tmp: Path) -> None:
            pq.write_table(table, tmp, row_group_size=ROW_GROUP, compression="zstd")

        with writing(path):  # a full disk: StoreError, and no temporary file left
            write_with_atomic(path, write, ready=partial(self.stage, "data-tmp"))

    def _claim(self) -> None:
        """Make the folder a store (new or empty: the marker), or check that it is one. A
        folder holding anything else is refused: the sweep must never delete a stranger's
        file that happens to look like ours."""
        check_location(self.root)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            if (self.root / MARKER).is_file() or (self.root / MANIFEST).is_file():
                return
            others = sorted(p.name for p in self.root.iterdir())
            if others:
                shown = ", ".join(others[:3]) + (", …" if len(others) > 3 else "")
                raise StoreError(
                    f"{self.root}: not a briefmap event store and not empty ({shown}); give "
                    "a new or empty folder"
                )
            (self.root / MARKER).write_text("briefmap event store\n", encoding="utf-8")
        except OSError as exc:
            raise StoreError(f"{self.root}: cannot use as the event store ({exc})") from exc

    def _sweep(self, keep_previous: int | None = None) -> None:
        """Remove what no manifest points to: our own temporary data files and data of old
        generations (the one before the current is kept for readers in flight). Only in a
        store (`_claim`), only files named as this module names them."""
        current = self.manifest()["data"]
        for path in self.root.iterdir():
            match = _DATA.match(path.name)
            if _TMP.match(path.name):
                path.unlink(missing_ok=True)
            elif match and path.name != current:
                if keep_previous is None or int(match.group(1)) != keep_previous:
                    path.unlink(missing_ok=True)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """One writer at a time (the app's uploader and the CLI may share a store)."""
        with (self.root / ".lock").open("a") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def checked_manifest(data: Any, path: Path) -> dict[str, Any]:
    try:
        return check_manifest(data)
    except NewerStoreError as exc:
        raise StoreError(f"{path.parent}: {exc}") from None
    except ManifestError as exc:
        raise StoreError(f"{path}: damaged manifest: {exc}") from None
