"""Upsert and delete on Arrow tables, keyed by `event_id_cnty`, versioned by `timestamp`.

ACLED revises an event under the same id with a newer timestamp; a deletion applies to an
event whose stored version is not newer than the deletion."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


@dataclass(frozen=True)
class Counts:
    new: int = 0
    revised: int = 0
    unchanged: int = 0
    stale: int = 0  # an older version than the one stored: the stored one is kept
    removed: int = 0
    not_found: int = 0  # deletions of events the store does not hold

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def words(self) -> str:
        text = (
            f"{self.new:,} new, {self.revised:,} revised, {self.unchanged:,} unchanged, "
            f"{self.removed:,} removed"
        )
        extra = []
        if self.stale:
            extra.append(f"{self.stale} older than the stored version (kept the stored one)")
        if self.not_found:
            extra.append(f"{self.not_found} deletions of events not in the store")
        return text + (f" ({'; '.join(extra)})" if extra else "")


@dataclass(frozen=True)
class Deletions:
    ids: tuple[str, ...]
    timestamps: tuple[int, ...]


def upsert(old: pa.Table | None, new: pa.Table) -> tuple[pa.Table, Counts]:
    """`new` holds one row per id (the batch settled its repeats)."""
    if old is None or old.num_rows == 0:
        return new, Counts(new=new.num_rows)
    old_ids = pd.Index(old.column("event_id_cnty").to_numpy(zero_copy_only=False))
    pos = old_ids.get_indexer(new.column("event_id_cnty").to_numpy(zero_copy_only=False))
    known = pos >= 0
    new_ts = new.column("timestamp").to_numpy()
    old_ts = old.column("timestamp").to_numpy()
    stored_ts = np.where(known, old_ts[np.where(known, pos, 0)], -1)
    revised = known & (new_ts > stored_ts)
    unchanged = known & (new_ts == stored_ts)
    stale = known & (new_ts < stored_ts)
    keep_old = np.ones(old.num_rows, dtype=bool)
    keep_old[pos[revised]] = False
    take_new = ~known | revised
    merged = pa.concat_tables([old.filter(pa.array(keep_old)), new.filter(pa.array(take_new))])
    counts = Counts(
        new=int((~known).sum()),
        revised=int(revised.sum()),
        unchanged=int(unchanged.sum()),
        stale=int(stale.sum()),
    )
    return merged, counts


def delete(table: pa.Table, deletions: Deletions) -> tuple[pa.Table, int, int]:
    """The table without deleted events; how many were removed and how many not found."""
    if not deletions.ids:
        return table, 0, 0
    ids = pd.Index(table.column("event_id_cnty").to_numpy(zero_copy_only=False))
    pos = ids.get_indexer(list(deletions.ids))
    found = pos >= 0
    stamps = np.asarray(deletions.timestamps, dtype=np.int64)
    stored = table.column("timestamp").to_numpy()
    applies = found & (stored[np.where(found, pos, 0)] <= stamps)
    keep = np.ones(table.num_rows, dtype=bool)
    keep[pos[applies]] = False
    return table.filter(pa.array(keep)), int(applies.sum()), int((~found).sum())


def in_order(table: pa.Table) -> pa.Table:
    """Rows sorted by place (H3 cell) then date, so a file's row groups are compact areas."""
    order = pc.sort_indices(table, sort_keys=[("h3", "ascending"), ("date_start", "ascending")])
    return table.take(order)
