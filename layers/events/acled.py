"""ACLED CSV of every era, streamed and validated row by row: any column order, header names in
any case and by their historical names (`layers.events.eras`), extra columns ignored, optional
columns (`timestamp` too) may be missing; UTF-8 with or without BOM, or Windows-1252/Latin-1
detected; CRLF, quoted newlines; blank rows and the HXL hashtag row of HDX copies skipped."""

from __future__ import annotations

import csv
import os
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from layers.boundary.regular import open_regular
from layers.events import ucdp
from layers.events.batch import RECORD, Batch, Rejected, Rules, take_row, undated_revision
from layers.events.encoding import SAMPLE, detect
from layers.events.eras import column_name, is_hxl_row
from layers.events.lines import LineReader
from layers.events.problems import EventDataError, ProblemList, RowProblem
from layers.events.rejects import Rejects
from layers.events.schema import LIMITS, REQUIRED

Progress = Callable[[int, int, int], None]  # bytes read, total bytes, rows read
PROGRESS_EVERY = 5_000
_SNIFF = 8192
MAX_COLUMNS = 1_000  # ACLED has 31; a header of more is not an incident file
# a file from this size on is read by the fast path when it can (`layers.events.fastread`);
# `batch.records` then holds only the rows that path doubted
FAST_BYTES = 1 << 20


def read_acled(
    path: Path,
    *,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    encoding: str | None = None,
    now: float | None = None,
    dialect: str | None = None,
) -> tuple[Batch, str]:
    """Every valid row as a Batch, and the file's SHA-256. Raises EventDataError listing the
            problems (listed up to a limit, then counted; unless `skip_invalid`: then bad rows are
            spooled to `batch.rejected`, on disk). Memory holds the valid rows only. `encoding`: the
        file's, when the user names it (else detected). `now`: the import's time, the revision time
        of a file without `timestamp`. `dialect`: "acled" or "ucdp" (UCDP GED,
    `layers.events.ucdp`); by default told from the header."""
    name = path.name
    problems = ProblemList(name)
    csv.field_size_limit(LIMITS["line_bytes"])  # longer cells are reported by column
    with open_regular(path) as handle:  # a FIFO or a device is refused, not waited on
        total = os.fstat(handle.fileno()).st_size
        head = handle.read(SAMPLE)
        _check_text(head[:_SNIFF], name)
        handle.seek(0)
        batch = Batch(name, rejected=Rejects(keep=skip_invalid))
        batch.encoding = encoding or detect(head)
        lines = LineReader(handle, problems, batch.encoding)
        reader = csv.reader(iter(lines))
        header, batch.dialect = _header(reader, name, problems, dialect)
        positions = {col: k for k, col in enumerate(header) if col}
        build = _builder(batch.dialect, positions)
        rules = Rules()
        if "timestamp" not in positions:
            batch.undated = True
            rules.undated_revision = undated_revision(time.time() if now is None else now)
        fast = batch.encoding == "utf-8" and batch.dialect == "acled" and not batch.undated
        fast = fast and total >= FAST_BYTES
        if fast and _read_fast(handle, header, batch, problems, skip_invalid, rules):
            last_line = batch.size() + len(batch.rejected) + 1
            handle.seek(0)
            lines = LineReader(handle, problems, batch.encoding)  # the SHA-256 of it all
        rows_read = _rows(reader, lines, batch, problems) if batch.fast is None else ()
        for start, row, rows in rows_read:
            if rows == 1 and is_hxl_row(row):
                batch.hxl = True
                continue
            _one_row(row, header, build, f"line {start}", batch, problems, skip_invalid, rules)
            if progress and rows % PROGRESS_EVERY == 0:
                progress(lines.bytes_read, total, rows)
        last_line = reader.line_num if batch.fast is None else last_line
        sha256 = lines.drain()
    if not batch.size() and not batch.rejected and not problems:
        problems.add(f"line {last_line + 1}", "column 1", "no rows after the header")
        raise problems.error()
    batch.settle_repeats(problems)
    if problems and not skip_invalid:
        raise problems.error()
    if progress:
        progress(total, total, batch.size())
    return batch, sha256


def _rows(reader, lines: LineReader, batch: Batch, problems: ProblemList):
    """Each row with cells in it: its first line, its cells and how many rows came so far
    (blank rows too). A row that is not valid CSV is a problem and a rejected row; a blank or
    unreadable one is counted or rejected here."""
    last_line, rows = reader.line_num, 0
    while True:
        start = last_line + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            last_line = reader.line_num
            lines.take_bad(last_line)
            problems.add(f"line {start}", "column 1", f"not valid CSV: {exc}")
            batch.rejected.append(Rejected(f"line {start}", {}, [f"not valid CSV: {exc}"]))
            continue
        last_line, rows = reader.line_num, rows + 1
        unreadable = lines.take_bad(last_line)
        if not row or not any(cell.strip() for cell in row):
            if start in unreadable:
                batch.rejected.append(Rejected(f"line {start}", {}, ["unreadable line"]))
            else:
                batch.blank += 1
            continue
        yield start, row, rows


def _read_fast(handle, header, batch: Batch, problems, skip_invalid: bool, rules: Rules) -> bool:
    """The rows after the header by the fast path (`layers.events.fastread`), if it can read
    this file exactly as the row-by-row path would (else the handle is left where it was)."""
    from layers.events import fastread
    from layers.events.dates import OneForm

    at = handle.tell()
    handle.seek(0)
    data = handle.read()
    columns = fastread.read_fast(data, header, rules)
    del data
    rows = len(columns["event_date"]) if columns else 0
    if columns and fastread.read_rows(columns, rows, batch, problems, skip_invalid, rules):
        return True
    rules.dates = OneForm()
    handle.seek(at)
    return False


def _check_text(head: bytes, name: str) -> None:
    if not head:
        raise EventDataError(
            name,
            [
                _p(
                    name,
                    "line 1",
                    "column 1",
                    "the file is empty; expected a header row "
                    "naming ACLED columns (event_id_cnty, event_date, …)",
                )
            ],
        )
    if b"\x00" in head:
        at = head.index(b"\x00")
        line = head[:at].count(b"\n") + 1
        column = at - head.rfind(b"\n", 0, at)
        raise EventDataError(
            name,
            [
                _p(
                    name,
                    f"line {line}",
                    f"column {column}",
                    "binary content (a NUL byte); expected a CSV text file",
                )
            ],
        )


def _p(name: str, where: str, column: str, message: str) -> RowProblem:
    return RowProblem(name, where, column, message)


def _builder(dialect: str, positions: dict[str, int]):
    """A row's raw texts in RECORD order (None: no such column)."""
    if dialect == "ucdp":

        def cell(row, name):
            k = positions.get(name)
            return row[k] if k is not None else ""

        return lambda row: [
            raw.get(name) for raw in [ucdp.raws(lambda n: cell(row, n))] for name in RECORD
        ]
    index = [positions.get(name) for name in RECORD]
    return lambda row: [row[k] if k is not None else None for k in index]


def _header(reader, name: str, problems: ProblemList, dialect: str | None) -> tuple[list[str], str]:
    try:
        header = next(reader)
    except StopIteration:
        header = []
    except csv.Error as exc:
        problem = _p(name, "line 1", "column 1", f"unreadable header: {exc}")
        raise EventDataError(name, [problem]) from None
    if problems:
        raise problems.error()
    if len(header) > MAX_COLUMNS:
        problem = _p(
            name,
            "line 1",
            "column 1",
            f"the header has {len(header):,} columns (limit {MAX_COLUMNS:,}); "
            "expected ACLED's columns (event_id_cnty, event_date, …)",
        )
        raise EventDataError(name, [problem])
    header = [column_name(h) for h in header]
    names = set(header)
    if dialect is None:
        dialect = "ucdp" if ucdp.looks_like(header) else "acled"
    required = ucdp.REQUIRED if dialect == "ucdp" else REQUIRED
    missing = [c for c in required if c not in names and c != "timestamp"]
    if missing:
        hint = ""
        if len(header) == 1 and any(d in header[0] for d in ";\t|"):
            sep = next(d for d in ";\t|" if d in header[0])
            hint = f" (the header is one column: is the delimiter {sep!r} rather than ','?)"
        for col in missing:
            problems.add("line 1", col, f"required column is missing{hint}")
        raise problems.error()
    counts = Counter(header)
    repeated = sorted(h for h, n in counts.items() if h and n > 1)
    for col in repeated:
        problems.add("line 1", col, "column appears more than once in the header")
    if problems:
        raise problems.error()
    return header, dialect


def _one_row(row, header, build, where, batch: Batch, problems, skip_invalid, rules) -> None:
    if len(row) != len(header):
        message = f"expected {len(header)} fields as in the header, got {len(row)}"
        column = header[min(len(row), len(header)) - 1] if header else "column 1"
        problems.add(where, column, message)
        raw = dict(zip(header, row, strict=False))
        batch.rejected.append(Rejected(where, raw, [f"{column}: {message}"]))
        return

    take_row(build(row), rules, where, batch, problems, skip_invalid)
