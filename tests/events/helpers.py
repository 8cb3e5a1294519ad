"""Small ACLED files for tests, made from the seeded generator, and a byte-for-byte snapshot of
a store directory."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from layers.events import synth
from layers.events.batch import RECORD
from layers.events.schema import ACLED_COLUMNS


def rows(n: int = 3, seed: int = 11) -> list[dict[str, str]]:
    """`n` valid ACLED rows as text, as a CSV export would hold them."""
    out = []
    for rec in synth.records(n, seed):
        row = dict(zip(RECORD, rec, strict=True))
        row["event_date"] = row["event_date"].isoformat()
        out.append({c: str(row[c]) for c in ACLED_COLUMNS})
    return out


def csv_text(data: list[dict[str, str]], columns=ACLED_COLUMNS, delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    for row in data:
        writer.writerow([row.get(c, "") for c in columns])
    return buffer.getvalue()


def write(path: Path, data: list[dict[str, str]], **kw) -> Path:
    path.write_text(csv_text(data, **kw), encoding="utf-8")
    return path


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under a store directory, by relative path, with its bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }
