"""Rows an import sets aside. With --skip-invalid they are spooled to an unnamed temporary file
as they are met (a file of millions of bad rows costs disk, not memory) and written out as the
side file at the end; without it the import is refused anyway, so they are only counted."""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from layers.atomic import write_chunks_atomic
from layers.export.features import csv_safe

MAX_COLUMNS = 1000  # a wider row keeps its first 1,000 columns in the side file
_SURROGATE = re.compile("[\ud800-\udfff]")
_FLUSH = 1 << 20


@dataclass
class Rejected:
    where: str
    raw: dict[str, str]
    reasons: list[str]


def printable(text: str) -> str:
    """Text that can be written as UTF-8: a lone surrogate (possible in JSON's \\ud800) is
    shown as its escape."""
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class Rejects:
    """Rejected rows, counted; kept (spooled) only when `keep`."""

    def __init__(self, keep: bool = False):
        self.keep = keep
        self.count = 0
        self.columns: dict[str, None] = {}  # in order met, at most MAX_COLUMNS
        self._spool: IO[str] | None = None

    def __len__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return self.count > 0

    def append(self, row: Rejected) -> None:
        self.count += 1
        if not self.keep:
            return
        if self._spool is None:
            self._spool = tempfile.TemporaryFile("w+", encoding="utf-8")
        for key in row.raw:
            if len(self.columns) >= MAX_COLUMNS:
                break
            self.columns.setdefault(key, None)
        # ASCII JSON: a lone surrogate survives the round trip as an escape
        self._spool.write(json.dumps([row.where, row.reasons, row.raw]) + "\n")

    def __iter__(self) -> Iterator[Rejected]:
        if self._spool is None:
            return
        self._spool.flush()
        self._spool.seek(0)
        for line in self._spool:
            where, reasons, raw = json.loads(line)
            yield Rejected(where, raw, reasons)

    def write(self, out: Path) -> None:
        """The rejected rows as they were, with where they were and why, safe for
        spreadsheets; written atomically, a megabyte at a time."""
        write_chunks_atomic(out, self._csv_chunks())
        self.close()

    def _csv_chunks(self) -> Iterator[bytes]:
        columns = sorted(self.columns)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["where", "reasons", *(printable(c) for c in columns)])
        for r in self:
            cells = [csv_safe(printable(str(r.raw.get(c, "")))) for c in columns]
            writer.writerow([r.where, csv_safe(printable(" | ".join(r.reasons))), *cells])
            if buffer.tell() > _FLUSH:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue().encode("utf-8")

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()
            self._spool = None
