"""Validated rows in columns: one row's raw values become a typed record (or problems), rows
collect into columns, and `finish` folds monadic exports, settles repeated ids and builds the
Arrow table the store takes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import h3
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from layers.events import fields as fx
from layers.events.countries import swapped
from layers.events.dates import OneForm, parse_date
from layers.events.eras import today_type
from layers.events.problems import ProblemList
from layers.events.rejects import Rejected, Rejects
from layers.events.schema import H3_RES, MONADIC_PAIRS, STORE_SCHEMA, TEXT_COLUMNS

_LISTS = ("assoc_actor_1", "assoc_actor_2", "tags")
_TYPES = ("inter1", "inter2")
RECORD = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "year",
    *TEXT_COLUMNS,
    "iso",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "timestamp",
)
_POS = {name: i for i, name in enumerate(RECORD)}
_SWAP = [(_POS[a], _POS[b]) for a, b in MONADIC_PAIRS]


# A file without `timestamp` (ACLED before about 2019): its events are revisions dated by
# the import, below every real timestamp, so any later file that has one revises them.
UNDATED_BASE = -(10**11)


@dataclass
class Rules:
    """What a file's rows share: the one date form they keep to, and the revision time of a
    file without `timestamp` (None: the file has the column)."""

    dates: OneForm = field(default_factory=OneForm)
    undated_revision: int | None = None
    used_undated: bool = False


def undated_revision(seconds: float) -> int:
    return UNDATED_BASE + int(seconds)


def revision_time(timestamp: int) -> int:
    """Unix seconds of a stored revision: its timestamp, or the import's for a file that had
    none (stored below every real timestamp)."""
    return timestamp - UNDATED_BASE if timestamp < 0 else timestamp


def _plan() -> list[tuple[str, Callable[[str], object] | None, bool]]:
    """How to read each RECORD column: (name, parser or None for plain text, required)."""
    parsers: dict[str, Callable[[str], object]] = {
        "event_id_cnty": fx.event_id,
        "event_date": parse_date,
        "time_precision": lambda r: fx.integer(r, 1, 3, 1),
        "year": lambda r: fx.integer(r, 1900, 2100, 0),
        "iso": lambda r: fx.integer(r, 0, 999, 0),
        "latitude": lambda r: fx.degrees(r, 90, "latitude"),
        "longitude": lambda r: fx.degrees(r, 180, "longitude"),
        "geo_precision": lambda r: fx.integer(r, 1, 3, 1),
        "fatalities": lambda r: fx.integer(r, 0, 1_000_000, 0),
        "timestamp": fx.timestamp,
        "interaction": fx.interaction,
        "event_type": lambda r: fx.text(r, True),
        "actor1": lambda r: fx.text(r, True),
    }
    for name in _LISTS:
        parsers[name] = fx.listing
    for name in _TYPES:
        parsers[name] = fx.actor_type
    required = {
        "event_id_cnty",
        "event_date",
        "event_type",
        "actor1",
        "latitude",
        "longitude",
        "timestamp",
    }
    return [(name, parsers.get(name), name in required) for name in RECORD]


_PLAN = _plan()
_LONGEST = fx.LIMITS["field_chars"]
_MISSING = fx.missing


def parse_record(
    raws: list[str | None], rules: Rules | None = None, where: str = ""
) -> tuple[tuple | None, list[tuple[str, str]]]:
    """A record in RECORD order from raw texts in RECORD order (None: no such column), or the
    problems as (column, what was expected). `NA`, `NULL`, `N/A`, `nan` are empty cells."""
    rules = rules or Rules()
    problems: list[tuple[str, str]] = []
    out: list[object] = []
    for (name, parse, required), raw in zip(_PLAN, raws, strict=True):
        if (
            name == "timestamp"
            and rules.undated_revision is not None
            and (not raw or _MISSING(raw))
        ):
            out.append(rules.undated_revision)
            rules.used_undated = True
            continue
        if not raw or _MISSING(raw):
            if required:
                problems.append((name, "is empty or missing (required)"))
                out.append(None)
                continue
            raw = ""
        if parse is None:  # plain text: the common case, kept inline
            value = raw.strip()
            if len(value) > _LONGEST:
                problems.append((name, f"is {len(value)} characters long (limit {_LONGEST})"))
            out.append(value)
            continue
        try:
            out.append(parse(raw))
        except fx.FieldError as exc:
            problems.append((name, str(exc)))
            out.append(None)
    values = dict(zip(RECORD, out, strict=True))
    other_form = rules.dates.check(raws[_POS["event_date"]] or "", where)
    if other_form and isinstance(values["event_date"], date):
        problems.append(("event_date", other_form))
    problems.extend(_consistency(values))
    if problems:
        return None, problems
    return _today_type(out), []


def take_row(
    raws: list[str | None],
    rules: Rules,
    where: str,
    batch: Batch,
    problems: ProblemList,
    skip_invalid: bool,
) -> None:
    """One row read by the row-by-row rules: its record added to `batch`, or its problems
    listed by `where` and column (and, with `skip_invalid`, the row kept as rejected)."""
    record, bad = parse_record(raws, rules, where)
    if record is not None:
        batch.add(record, where)
        return
    for column, message in bad:
        problems.add(where, column, message)
    if skip_invalid:
        raw = {col: v for col, v in zip(RECORD, raws, strict=True) if v is not None}
        batch.rejected.append(Rejected(where, raw, [f"{c}: {m}" for c, m in bad]))


def _consistency(values: dict) -> list[tuple[str, str]]:
    problems = []
    day, year = values["event_date"], values["year"]
    if isinstance(day, date) and year and year != day.year:
        problems.append(("year", f"is {year} but event_date is in {day.year}"))
    lat, lon = values["latitude"], values["longitude"]
    if isinstance(lat, float) and isinstance(lon, float) and swapped(lat, lon, values["iso"] or 0):
        problems.append(
            (
                "latitude",
                f"latitude {lat:g} and longitude {lon:g} look swapped (the point lies outside "
                "the country its iso code names, and inside it with the two exchanged)",
            )
        )
    return problems


_TYPE, _SUB, _INTER1, _INTER2, _TAGS = (
    _POS[n] for n in ("event_type", "sub_event_type", "inter1", "inter2", "tags")
)


def _today_type(out: list[object]) -> tuple:
    """An event type of ACLED's earlier eras as today's, the type as filed kept in the tags."""
    new, sub, tag = today_type(out[_TYPE], out[_INTER1], out[_INTER2], out[_SUB])
    if tag:
        out[_TYPE], out[_SUB] = new, sub
        out[_TAGS] = f"{out[_TAGS]}; {tag}" if out[_TAGS] else tag
    return tuple(out)


@dataclass
class Batch:
    """Rows read so far, as records, with the line (or feature) each came from."""

    file: str
    records: list[tuple] = field(default_factory=list)
    wheres: list[str] = field(default_factory=list)
    rejected: Rejects = field(default_factory=Rejects)  # counted; kept with --skip-invalid
    folded: int = 0  # rows of a monadic export folded into their event
    superseded: int = 0  # older versions of an event met later in the same file
    blank: int = 0  # blank rows skipped
    hxl: bool = False  # the HXL hashtag row (HDX copies) was skipped
    encoding: str = "utf-8"
    undated: bool = False  # no `timestamp` column: revisions dated by the import
    dialect: str = "acled"  # or "ucdp", "geojson": what the file was read as
    # rows the fast path took (`layers.events.fastread`): typed columns in RECORD order, and
    # each row's line; `records` then holds the rows the row-by-row path read
    fast: pa.Table | None = None
    fast_lines: np.ndarray | None = None

    def size(self) -> int:
        """How many valid rows were read."""
        return len(self.records) + (self.fast.num_rows if self.fast is not None else 0)

    def add(self, record: tuple, where: str) -> None:
        self.records.append(record)
        self.wheres.append(where)

    def settle_repeats(self, problems: ProblemList) -> None:
        """Fold monadic rows, keep the newest version of a repeated id, and report the same
        id repeated with the same timestamp (unless it is a monadic pair)."""
        if self.fast is not None and self._repeats():
            self._as_records()
        seen: dict[str, int] = {}
        drop: set[int] = set()
        for i, rec in enumerate(self.records):
            eid = rec[0]
            j = seen.get(eid)
            if j is None:
                seen[eid] = i
                continue
            first = self.records[j]
            if rec[-1] != first[-1]:  # timestamps differ: the newer version wins
                older, newer = (i, j) if rec[-1] < first[-1] else (j, i)
                drop.add(older)
                seen[eid] = newer
                self.superseded += 1
            elif rec != first and _swapped(rec) == first:
                drop.add(i)
                self.folded += 1
            else:
                what = "the same row again" if rec == first else _differences(first, rec)
                reason = (
                    f"event {eid} repeats {self.wheres[j]} with the same timestamp "
                    f"{rec[-1]} ({what}); a revision needs a newer timestamp"
                )
                problems.add(self.wheres[i], "event_id_cnty", reason)
                raw = {name: str(value) for name, value in zip(RECORD, rec, strict=True)}
                self.rejected.append(Rejected(self.wheres[i], raw, [f"event_id_cnty: {reason}"]))
                drop.add(i)
        if drop:
            self.records = [r for k, r in enumerate(self.records) if k not in drop]
            self.wheres = [w for k, w in enumerate(self.wheres) if k not in drop]

    def table(self) -> pa.Table:
        if self.fast is None:
            return records_table(self.records)
        lines = [int(where.split()[-1]) for where in self.wheres]
        both = pa.concat_tables([columns_table(self.fast), records_table(self.records)])
        order = np.argsort(np.concatenate([self.fast_lines, lines]), kind="stable")
        return both.take(pa.array(order)) if len(lines) else both

    def _repeats(self) -> bool:
        """Whether any event id is read more than once."""
        ids = pa.chunked_array(
            [self.fast.column("event_id_cnty"), pa.array([r[0] for r in self.records], pa.string())]
        )
        return pc.count_distinct(ids).as_py() != len(ids)

    def _as_records(self) -> None:
        """The fast path's rows as records among the others, in file order (for the rules on
        repeated ids, which read rows one by one)."""
        fast = list(zip(*(self.fast.column(n).to_pylist() for n in RECORD), strict=True))
        lines = self.fast_lines.tolist() + [int(w.split()[-1]) for w in self.wheres]
        rows = fast + self.records
        order = sorted(range(len(rows)), key=lines.__getitem__)
        self.records = [rows[k] for k in order]
        self.wheres = [f"line {lines[k]}" for k in order]
        self.fast, self.fast_lines = None, None


def _swapped(rec: tuple) -> tuple:
    out = list(rec)
    for a, b in _SWAP:
        out[a], out[b] = rec[b], rec[a]
    return tuple(out)


def _differences(a: tuple, b: tuple) -> str:
    names = [RECORD[k] for k in range(len(RECORD)) if a[k] != b[k]]
    return "differing in " + ", ".join(names[:5]) + ("…" if len(names) > 5 else "")


def columns_table(records: pa.Table) -> pa.Table:
    """Typed columns in RECORD order (the fast path's) as a table of STORE_SCHEMA, as
    `records_table` makes of the same records."""
    day = records.column("event_date").combine_chunks()
    days = day.cast(pa.int32()).to_numpy().astype("datetime64[D]")
    precision = records.column("time_precision").to_numpy()
    month = days.astype("datetime64[M]")
    start = np.where(
        precision == 2, days - 3, np.where(precision == 3, month.astype("datetime64[D]"), days)
    )
    last = (month + 1).astype("datetime64[D]") - 1
    end = np.where(precision == 2, days + 3, np.where(precision == 3, last, days))
    lat = records.column("latitude").to_numpy()
    lon = records.column("longitude").to_numpy()
    cells = np.fromiter(
        (
            h3.api.basic_int.latlng_to_cell(a, b, H3_RES)
            for a, b in zip(lat.tolist(), lon.tolist(), strict=True)
        ),
        dtype=np.uint64,
        count=len(lat),
    )
    year = records.column("year").to_numpy()
    year = np.where(year == 0, pc.year(day).to_numpy(), year)
    arrays = {
        "date_start": pa.array(start, pa.date32()),
        "date_end": pa.array(end, pa.date32()),
        "year": pa.array(year, pa.int16()),
        "h3": pa.array(cells, pa.uint64()),
        "geometry": pa.array(shapely.to_wkb(shapely.points(lon, lat)), pa.binary()),
    }
    return pa.table(
        {
            f.name: arrays[f.name] if f.name in arrays else records.column(f.name).cast(f.type)
            for f in STORE_SCHEMA
        },
        schema=STORE_SCHEMA,
    )


def records_table(records: list[tuple]) -> pa.Table:
    """Records (RECORD order) as a table of STORE_SCHEMA, with periods, H3 cells and WKB."""
    cols = list(zip(*records, strict=True)) if records else [[] for _ in RECORD]
    data = {name: list(cols[k]) for k, name in enumerate(RECORD)}
    spans = [
        fx.period(d, tp) for d, tp in zip(data["event_date"], data["time_precision"], strict=True)
    ]
    epoch = np.datetime64("1970-01-01", "D")
    lat = np.asarray(data["latitude"], dtype=np.float64)
    lon = np.asarray(data["longitude"], dtype=np.float64)
    cells = np.fromiter(
        (
            h3.api.basic_int.latlng_to_cell(a, b, H3_RES)
            for a, b in zip(lat.tolist(), lon.tolist(), strict=True)
        ),
        dtype=np.uint64,
        count=len(lat),
    )
    data["year"] = [y or d.year for y, d in zip(data["year"], data["event_date"], strict=True)]
    arrays = {
        **data,
        "date_start": epoch + np.asarray([s[0] for s in spans], dtype="timedelta64[D]"),
        "date_end": epoch + np.asarray([s[1] for s in spans], dtype="timedelta64[D]"),
        "h3": cells,
        "geometry": shapely.to_wkb(shapely.points(lon, lat)),
    }
    return pa.table(
        {f.name: pa.array(arrays[f.name], type=f.type) for f in STORE_SCHEMA}, schema=STORE_SCHEMA
    )
