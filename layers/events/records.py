"""The records a store keeps of its imports and of their removals, the same for every backend.

Every import gets an id (a whole number, never reused by the store) that its record carries
(`id`) and that every event row it wrote carries too (the `import_id` column, beside the
event's own columns of `layers.events.schema.STORE_SCHEMA`). An event keeps the id of the
import that wrote its current row: a later import that brings the same version leaves it
with the earlier one; one that revises it takes it over.

Removing an import (`remove_import`, an admin's act: `layers.access.roles.Capability.MANAGE`)
deletes the events whose current row it wrote and its record, in one atomic step, and keeps a
record of the removal instead (which import, its file and marking, how many events, who, when,
the store's marking before and after). The stores keep no earlier revisions of an event, so an
event the removed import had revised goes with it (the version it replaced is not brought
back), and deletions the import applied are not undone. The store's marking is then the
highest of the remaining imports' (`layers.events.attribution.store_marking`).

Imports recorded before ids were kept (no `id` in their record) cannot be removed: their events
cannot be told from those of other imports. Removing one is refused, saying so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from layers.errors import StorageError
from layers.events.attribution import os_user, store_marking
from layers.events.manifest import marking_of
from layers.events.merge import Counts
from layers.events.schema import STORE_SCHEMA

IMPORT_ID = "import_id"  # the column of every stored event row: the import that wrote it
IMPORT_FIELD = pa.field(IMPORT_ID, pa.int64())
STORED_SCHEMA = STORE_SCHEMA.append(IMPORT_FIELD)  # what a store keeps of each event


class RemovalError(StorageError, ValueError):
    """An import that cannot be removed (unknown id, recorded before ids were kept); nothing
    was changed."""

    exit_code = 2  # a request that cannot be met (as an unknown id elsewhere)


@dataclass(frozen=True)
class Removal:
    """What a removal did: the import's record, how many events went, the marking before and
    after, and the record the store keeps of it."""

    entry: dict[str, Any]
    events: int
    marking_before: str
    marking_after: str
    record: dict[str, Any]

    def words(self) -> str:
        file = self.entry.get("file") or "(deletions only)"
        return (
            f"removed import {self.entry['id']} ({file}, imported {self.entry['imported_at']} "
            f"by {self.entry.get('by') or 'unrecorded'}): {self.events:,} events removed; "
            f"marking {self.marking_before} → {self.marking_after}"
        )


def import_entry(source, counts: Counts, ident: int | None = None) -> dict[str, Any]:
    """The record of one import (`source`: a `layers.events.backend.Source`)."""
    entry: dict[str, Any] = {} if ident is None else {"id": ident}
    entry.update(
        {
            "file": source.file,
            "sha256": source.sha256,
            "rows": source.rows,
            "format": source.format,
            "rejected": source.rejected,
            "imported_at": _now(),
            "counts": counts.as_dict(),
            "marking": marking_of(source.marking).label,
            "by": source.by or os_user(),
        }
    )
    if source.deletions_file:
        entry["deletions"] = {
            "file": source.deletions_file,
            "sha256": source.deletions_sha256,
            "rows": source.deletions_rows,
        }
    return entry


def with_import_id(batch: pa.Table, ident: int) -> pa.Table:
    """An import's batch with its id on every row."""
    return batch.append_column(IMPORT_FIELD, pa.array([ident] * batch.num_rows, IMPORT_FIELD.type))


def next_id(imports: Iterable[dict[str, Any]], removals: Iterable[dict[str, Any]]) -> int:
    """The id the next import gets: above every id recorded, removed ones included."""
    ids = [e["id"] for e in imports if "id" in e] + [r["import"] for r in removals]
    return max(ids, default=0) + 1


def find(imports: list[dict[str, Any]], ident: Any) -> dict[str, Any]:
    """The record of import `ident`; RemovalError when there is none (or no ids were kept)."""
    if not isinstance(ident, int) or isinstance(ident, bool) or ident < 1:
        raise RemovalError(f"import {str(ident)[:40]!r}: not an import id (a whole number ≥ 1)")
    for entry in imports:
        if entry.get("id") == ident:
            return entry
    known = [str(e["id"]) for e in imports if "id" in e]
    legacy = sum(1 for e in imports if "id" not in e)
    said = f"the store's imports are {', '.join(known)}" if known else "the store has none"
    if legacy:
        said += (
            f"; {legacy} import(s) recorded by an earlier briefmap have no id and cannot be "
            "removed (their events cannot be told from other imports')"
        )
    raise RemovalError(f"no import {ident} in the store ({said}); nothing was changed")


def removal(imports: list[dict[str, Any]], entry: dict[str, Any], events: int, by: str) -> Removal:
    """What removing `entry` (one of `imports`) with `events` events does, and its record."""
    before = store_marking(imports).label
    after = store_marking([e for e in imports if e is not entry]).label
    record = {
        "import": entry["id"],
        "file": entry["file"],
        "sha256": entry["sha256"],
        "marking": entry.get("marking", marking_of(None).label),
        "imported_at": entry["imported_at"],
        "imported_by": entry.get("by", ""),
        "events": events,
        "marking_before": before,
        "marking_after": after,
        "by": by or os_user(),
        "removed_at": _now(),
    }
    return Removal(entry, events, before, after, record)


def listed(entry: dict[str, Any], lang: str = "en") -> str:
    """One import as an admin's list shows it: id, file, marking, who and when."""
    from layers.events.words import w

    return w(
        "import_line",
        lang,
        id=entry.get("id", "–"),
        file=entry["file"] or "(deletions)",
        marking=entry.get("marking", marking_of(None).label),
        by=str(entry.get("by") or "–")[:64],
        when=entry["imported_at"][:16].replace("T", " "),
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
