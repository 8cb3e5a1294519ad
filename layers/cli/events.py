"""`briefmap import`, `briefmap store` and `briefmap store remove-import`: the command-line
side of the event store. The command line is the operator's: whoever runs it on the store
holds every role (`layers.access.roles`), as on the laptop."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from layers.errors import BriefmapError
from layers.events.attribution import os_user
from layers.events.encoding import EncodingError, known
from layers.events.importer import FORMATS, import_file
from layers.events.manifest import import_marking
from layers.events.problems import EventDataError
from layers.marking import MarkingError, MarkingRaiseError
from layers.runtime import open_event_store
from layers.settings import is_database

BAR = 30


def add_commands(sub) -> None:
    imp = sub.add_parser(
        "import",
        help="import incident data (ACLED CSV or GeoJSON) into the event store",
        description="Validate FILE completely, then add its events to the store (new events "
        "added, revised ones replaced, none duplicated). A file with any invalid row is "
        "rejected whole unless --skip-invalid is given. Prints new / revised / unchanged / "
        "removed counts.",
    )
    imp.add_argument("file", nargs="?", type=Path, metavar="FILE")
    imp.add_argument(
        "--format",
        choices=FORMATS,
        help="default: GeoJSON by the file name; a CSV is told ACLED or UCDP GED by its header",
    )
    imp.add_argument(
        "--store",
        type=store_dir,
        help="store directory (default: from the settings, see `briefmap config`)",
    )
    imp.add_argument(
        "--skip-invalid",
        action="store_true",
        help="store the valid rows; write the others with reasons to a side file",
    )
    imp.add_argument(
        "--rejects", type=Path, help="side file for rejected rows (default: FILE.rejected.csv)"
    )
    imp.add_argument(
        "--deletions",
        type=Path,
        metavar="FILE",
        help="ACLED deleted-events list (event_id_cnty, deleted_timestamp)",
    )
    imp.add_argument(
        "--marking",
        metavar="TEXT",
        help="the data's handling marking, e.g. TLP:AMBER (default: ACLED's public data and "
        "GeoJSON are TLP:CLEAR); exports showing these events are marked at least this",
    )
    imp.add_argument(
        "--raise-marking",
        action="store_true",
        help="allow this import to raise the store's marking (refused otherwise: every "
        "export of the store's events would then carry the higher marking)",
    )
    imp.add_argument(
        "--encoding",
        type=_encoding,
        metavar="NAME",
        help="the CSV's text encoding, e.g. cp1252 (default: UTF-8, or Windows-1252/Latin-1 "
        "when detected; named in the summary)",
    )
    imp.add_argument("--quiet", action="store_true", help="no progress bar")
    imp.set_defaults(run=run_import)
    _store_command(sub)


def _store_command(sub) -> None:
    """`briefmap store`."""
    store = sub.add_parser(
        "store",
        help="describe the event store: events, imports (when, by whom), 'data as of'",
        description="What the event store holds, where each import came from, when and by "
        "whom it was imported, and the store's marking (the highest of its imports').",
    )
    store.add_argument("--store", type=store_dir, help="store directory")
    store.set_defaults(run=run_store)
    actions = store.add_subparsers(dest="store_action", metavar="ACTION")
    remove = actions.add_parser(
        "remove-import",
        help="remove one import: the events it wrote and its record (an admin's act)",
        description="Remove import ID (as `briefmap store` lists it) in one atomic step: the "
        "events whose current version it wrote and its record go, a record of the removal "
        "(who, when, how many events) stays, and the store's marking becomes the highest of "
        "the imports left. The store keeps no earlier versions of an event, so events the "
        "import revised go with it; deletions it applied are not undone. Import the source "
        "again to bring events back.",
    )
    remove.add_argument("id", type=int, metavar="ID", help="the import's id")
    suppress = argparse.SUPPRESS  # given here or before the action: either is kept
    remove.add_argument("--store", type=store_dir, default=suppress, help="store directory")
    remove.add_argument("--config", type=Path, metavar="FILE", default=suppress)
    remove.add_argument("--marking-scheme", type=Path, metavar="FILE", default=suppress)
    remove.set_defaults(run=run_remove_import)


def _encoding(text: str) -> str:
    try:
        return known(text)
    except EncodingError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def store_dir(text: str) -> Path | str:
    """--store: a folder, or a PostgreSQL URI (kept as text); an empty text is refused here
    (as a Path it would be the current folder); the place itself is checked where it is
    opened (`layers.runtime.open_event_store`)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("empty; give the event store's folder")
    return text if is_database(text) else Path(text)


class ProgressBar:
    """A one-line bar on stderr with rows per second (a plain line every 10 % when stderr is
    not a terminal, so logs stay readable)."""

    def __init__(self, stream=sys.stderr):
        self.stream, self.started = stream, time.perf_counter()
        self.tty = stream.isatty()
        self.shown = -1

    def __call__(self, done: int, total: int, rows: int) -> None:
        share = done / total if total else 1.0
        rate = rows / max(time.perf_counter() - self.started, 1e-9)
        words = f"{share:4.0%}  {rows:,} rows  {rate:,.0f} rows/s"
        if self.tty:
            filled = int(share * BAR)
            self.stream.write(f"\r[{'#' * filled}{'.' * (BAR - filled)}] {words}")
        elif int(share * 10) > self.shown:
            self.shown = int(share * 10)
            self.stream.write(words + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")


def run_import(args: argparse.Namespace) -> int:
    if args.file is None and args.deletions is None:
        print("briefmap import: give a FILE, --deletions FILE, or both", file=sys.stderr)
        return 2
    if args.file is None and args.marking is not None:
        print("briefmap import: --marking goes with a FILE", file=sys.stderr)
        return 2
    bar = None if args.quiet or args.file is None else ProgressBar()
    try:
        store = open_event_store(args.settings.store)
        result = import_file(
            store,
            args.file,
            fmt=args.format,
            skip_invalid=args.skip_invalid,
            deletions=args.deletions,
            rejects=args.rejects,
            progress=bar,
            marking=args.marking,
            encoding=args.encoding,
            by=os_user(),
            may_raise_marking=args.raise_marking,
        )
    except MarkingRaiseError as exc:
        if bar:
            bar.close()
        print(f"briefmap import: {exc}", file=sys.stderr)
        return 2
    except MarkingError as exc:
        if bar:
            bar.close()
        print(f"briefmap import: --marking: {exc}", file=sys.stderr)
        return 2
    except EventDataError as exc:
        if bar:
            bar.close()
        print(f"briefmap import: {exc}", file=sys.stderr)
        return 1
    except (BriefmapError, OSError) as exc:  # the store's, a file's: one line, exit 1
        if bar:
            bar.close()
        print(f"briefmap import: {exc}", file=sys.stderr)
        return 1
    if bar:
        bar.close()
    print(f"imported {result.file or 'deletions'}: {result.summary()}")
    return 0


def run_store(args: argparse.Namespace) -> int:
    try:
        store = open_event_store(args.settings.store)
        info = store.describe()
        store.check()  # the data file too: readable, of our schema, the rows the manifest says
        marking = info.marking() if info.rows else None
    except BriefmapError as exc:  # a damaged store, an unknown marking in it
        print(f"briefmap store: {exc}", file=sys.stderr)
        return 1
    print(f"store: {info.location} (schema version {info.version})")
    if info.note:
        print(f"note: {info.note}")
    print(info.as_of())
    if marking is not None:
        print(f"marking: {marking.label} (the highest of the imports below)")
    for entry in info.imports:
        counts = ", ".join(f"{k} {v}" for k, v in entry["counts"].items() if v)
        marked = f"  {import_marking(entry).label}" if entry["file"] else ""
        by = f"by {entry.get('by') or 'unrecorded'}"  # imports before issue 20 recorded no one
        ident = f"id {entry.get('id', '–')}"  # –: recorded before ids (it cannot be removed)
        print(
            f"  {entry['imported_at']}  {ident}  {by}  {entry['file'] or '(deletions only)'}  "
            f"sha256 {entry['sha256'][:12]}  {entry['rows']:,} rows  {counts}{marked}"
        )
    for record in info.removals:
        print(
            f"  {record['removed_at']}  removed by {record['by']}: import {record['import']} "
            f"({record['file'] or 'deletions only'}, {record.get('marking', '')}), "
            f"{record['events']:,} events; marking {record.get('marking_before', '?')} → "
            f"{record.get('marking_after', '?')}"
        )
    return 0


def run_remove_import(args: argparse.Namespace) -> int:
    """`briefmap store remove-import ID`: what went, and the marking before → after."""
    done = open_event_store(args.settings.store).remove_import(args.id, by=os_user())
    print(done.words())
    revised = done.entry["counts"].get("revised", 0)
    if revised:
        print(
            f"note: it had revised {revised:,} events; the store keeps no earlier versions, "
            "so those it still held went with it (import their source again to bring them back)"
        )
    if done.entry["counts"].get("removed", 0):
        print("note: the deletions it applied are not undone")
    return 0
