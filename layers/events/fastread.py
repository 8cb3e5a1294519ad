"""The fast path of an ACLED import: a plain UTF-8 CSV (one line per row, the same number of
cells on every row) parsed by Arrow and validated column by column, with the same rules as the
row-by-row path (`layers.events.batch.parse_record`); a row any rule doubts is read again by
that path, which names its problems by file, row and field. Validation is never weaker: a
value is taken here only when it is of a form whose meaning here is certainly the row-by-row
path's (the same parser applied to each distinct value, or a test that is stricter).

A file the fast path cannot read exactly as the row-by-row path would (another encoding, a
line break inside a cell, a blank or HXL row, rows of unequal length, NUL bytes, over-long
lines, no `timestamp` column, UCDP) is left to that path whole: `read_fast` returns None."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from layers.events import fields as fx
from layers.events.batch import _PLAN, RECORD, Batch, Rules, take_row
from layers.events.countries import _near, swapped
from layers.events.dates import form_of
from layers.events.eras import column_name, is_hxl_row, today_type
from layers.events.problems import ProblemList
from layers.events.schema import LIMITS

_LONGEST = LIMITS["field_chars"]
# every character Python's str.strip() removes: a cell starting or ending with one is doubted
_SPACE = "".join(f"\\x{{{c:x}}}" for c in range(sys.maxunicode + 1) if chr(c).isspace())
_ID = r"^[A-Za-z0-9_.:-]{1,64}$"
_DECIMAL = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?$"
_SPACES = pa.array([chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()])


def _cases(word: str) -> list[str]:
    """Every way of writing `word` in upper and lower case letters."""
    if not word:
        return [""]
    rest = _cases(word[1:])
    heads = {word[0].lower(), word[0].upper()}
    return [h + r for h in sorted(heads) for r in rest]


# a spreadsheet's word for an empty cell, in any case (Python's str.lower() makes none of
# these letters from a letter outside ASCII)
_MISSING = pa.array(sorted({w for word in fx.MISSING for w in _cases(word)}))


def read_fast(data: bytes, header: list[str], rules: Rules) -> dict[str, pa.Array] | None:
    """The data rows of the file in `data` (whose header the row-by-row reader has read and
    checked: `header`, its columns as named today) as Arrow text columns by name; None: the
    file is for the row-by-row path whole. Sets `rules.dates` to the file's date form."""
    if b"\x00" in data or data.count(b"\r") != data.count(b"\r\n"):
        return None
    width = len(header)
    try:
        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{k}": pa.string() for k in range(width)},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    if table.num_columns != width or table.num_rows < 2 or not _one_line_rows(data, table):
        return None
    if [column_name(table.column(k)[0].as_py()) for k in range(width)] != header:
        return None
    table = table.slice(1).combine_chunks()
    columns = {name: table.column(k).chunk(0) for k, name in enumerate(header) if name}
    if is_hxl_row([c[0].as_py() for c in table.columns]):
        return None
    form = _first_form(columns["event_date"])
    if form is not None:
        rules.dates.form, rules.dates.first = form[0], f"line {form[1] + 2}"
    return columns


def _one_line_rows(data: bytes, table: pa.Table) -> bool:
    """No cell holds a line break (the file has as many lines as rows), no row is blank, and
    no line is longer than a line may be."""
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if lines != table.num_rows:
        return False
    if len(data) > LIMITS["line_bytes"]:
        ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
        if int(np.diff(ends, prepend=-1).max(initial=0)) > LIMITS["line_bytes"]:
            return False
    first = table.column(0).combine_chunks()  # a blank row is blank in its first cell too
    maybe = np.flatnonzero(pc.match_substring_regex(first, f"^[{_SPACE}]*$").to_numpy(False))
    for row in maybe.tolist():
        if all(not str(c[row].as_py()).strip() for c in table.columns):
            return False
    return True


def _first_form(dates: pa.Array):
    """The date form of the first row whose date has one, and that row (0: the first row)."""
    encoded = dates.dictionary_encode()
    forms = [form_of(raw) for raw in encoded.dictionary.to_pylist()]
    has = np.array([f is not None for f in forms], dtype=bool)
    rows = np.flatnonzero(has[encoded.indices.to_numpy()])
    if not len(rows):
        return None
    first = int(rows[0])
    return forms[encoded.indices[first].as_py()], first


def _by_value(array: pa.Array, parse: Callable[[str], object], kind: pa.DataType):
    """`parse` applied once to each distinct value: the values, and where it refused."""
    encoded = array.dictionary_encode()
    out, bad = [], []
    for raw in encoded.dictionary.to_pylist():
        try:
            out.append(parse(raw))
            bad.append(False)
        except fx.FieldError:
            out.append(None)
            bad.append(True)
    indices = encoded.indices
    values = pa.array(out, type=kind).take(indices)
    refused = np.asarray(bad, dtype=bool)[indices.to_numpy()]
    return values, refused


def _numbers(array: pa.Array, pattern: str, kind: pa.DataType, low, high, longest: int):
    """Numbers checked in Arrow: those matching `pattern` (no longer than `longest`) and in
    [low, high]; the others are refused."""
    good = pc.and_(
        pc.match_substring_regex(array, pattern),
        pc.less_equal(pc.utf8_length(array), longest),
    )
    text = pc.if_else(good, array, "0")
    values = text.cast(kind)
    good = pc.and_(good, pc.and_(pc.greater_equal(values, low), pc.less_equal(values, high)))
    return values, ~good.to_numpy(zero_copy_only=False)


_KIND = {
    "event_date": pa.date32(),
    "time_precision": pa.int8(),
    "year": pa.int16(),
    "iso": pa.int16(),
    "latitude": pa.float64(),
    "longitude": pa.float64(),
    "geo_precision": pa.int8(),
    "fatalities": pa.int32(),
    "timestamp": pa.int64(),
}
_BY_VALUE = {
    "event_date",
    "time_precision",
    "year",
    "iso",
    "geo_precision",
    "fatalities",
    "interaction",
    "inter1",
    "inter2",
    "assoc_actor_1",
    "assoc_actor_2",
    "tags",
}


def validate(columns: dict[str, pa.Array], rows: int, rules: Rules):
    """The rows the column rules take, as typed columns in RECORD order, and a mask of the
    rows left to the row-by-row path (True: doubted)."""
    doubted = np.zeros(rows, dtype=bool)
    typed: dict[str, pa.Array] = {}
    for name, parse, required in _PLAN:
        array = columns.get(name)
        kind = _KIND.get(name, pa.string())
        if array is None:  # no such column: as an empty cell in every row
            if required:
                return None
            try:
                empty = parse("") if parse is not None else ""
            except fx.FieldError:
                return None
            typed[name] = pa.nulls(rows, kind).fill_null(pa.scalar(empty, kind))
            continue
        ends = pa.chunked_array(
            [pc.utf8_slice_codeunits(array, 0, 1), pc.utf8_slice_codeunits(array, -1)]
        )
        edge = pc.is_in(ends, value_set=_SPACES).to_numpy(zero_copy_only=False)
        edge = edge[:rows] | edge[rows:]
        missing = pc.is_in(array, value_set=_MISSING).to_numpy(zero_copy_only=False)
        blank = pc.equal(pc.binary_length(array), 0).to_numpy(zero_copy_only=False)
        doubted |= edge | missing | (blank if required else False)
        if name == "timestamp":
            latest = min(10**11, int(time.time()) + 86_400)
            values, refused = _numbers(array, "^[0-9]+$", kind, 0, latest, 12)
        elif name in ("latitude", "longitude"):
            limit = 90.0 if name == "latitude" else 180.0
            try:
                values, refused = _numbers(array, _DECIMAL, kind, -limit, limit, 30)
            except (pa.ArrowInvalid, pa.ArrowException):
                values, refused = _by_value(array, parse, kind)
        elif name in _BY_VALUE:
            values, refused = _by_value(array, parse, kind)
        elif name == "event_id_cnty":
            values = array
            refused = ~pc.match_substring_regex(array, _ID).to_numpy(zero_copy_only=False)
        else:  # text (event_type and actor1 required: blank rows are doubted above)
            values = array
            refused = pc.greater(pc.utf8_length(array), _LONGEST).to_numpy(zero_copy_only=False)
        doubted |= refused
        typed[name] = values
    doubted |= _doubted_across(typed, columns["event_date"], rules)
    _today_types(typed)
    return typed, doubted


def _doubted_across(typed: dict[str, pa.Array], dates: pa.Array, rules: Rules) -> np.ndarray:
    """Rules across columns: the file's one date form, the year of the date, coordinates
    that look swapped (left to the row-by-row path, which names them)."""
    encoded = dates.dictionary_encode()
    other = np.array(
        [form_of(raw) is not rules.dates.form for raw in encoded.dictionary.to_pylist()],
        dtype=bool,
    )
    doubted = other[encoded.indices.to_numpy()]
    day = typed["event_date"]
    year = typed["year"].fill_null(0).to_numpy(zero_copy_only=False)
    day_year = pc.year(day.fill_null(date(2000, 1, 1))).to_numpy(zero_copy_only=False)
    doubted |= (year != 0) & (year != day_year)
    lat = typed["latitude"].fill_null(0.0).to_numpy(zero_copy_only=False)
    lon = typed["longitude"].fill_null(0.0).to_numpy(zero_copy_only=False)
    iso = typed["iso"].fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    doubted[_maybe_swapped(lat, lon, iso)] = True
    return doubted


def _tenths(values: np.ndarray) -> np.ndarray:
    """round(value, 1) * 10 as Python rounds, as whole numbers (a value whose tenfold lies
    near a half is rounded by Python itself)."""
    scaled = values * 10
    near_half = np.abs(np.abs(scaled - np.floor(scaled)) - 0.5) < 1e-6
    out = np.rint(scaled)
    for k in np.flatnonzero(near_half).tolist():
        out[k] = round(round(float(values[k]), 1) * 10)
    return out.astype(np.int64)


def _maybe_swapped(lat: np.ndarray, lon: np.ndarray, iso: np.ndarray) -> np.ndarray:
    """The rows `countries.swapped` judges swapped: its test near the country on the 0.1°
    grid made once per distinct (country, cell), the whole test only for points not near."""
    asked = np.flatnonzero((lat != lon) & (np.abs(lon) <= 90))
    if not len(asked):
        return asked
    tlat, tlon = _tenths(lat[asked]), _tenths(lon[asked])
    key = (iso[asked] << 40) + ((tlat + 1000) << 20) + (tlon + 2000)
    distinct, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    near = np.array(
        [_near(int(iso[asked[k]]), int(tlat[k]) / 10, int(tlon[k]) / 10) for k in first.tolist()],
        dtype=bool,
    )
    far = asked[~near[inverse.ravel()]]
    found = [k for k in far.tolist() if swapped(float(lat[k]), float(lon[k]), int(iso[k]))]
    return np.asarray(found, dtype=np.int64)


def _today_types(typed: dict[str, pa.Array]) -> None:
    """Event types of ACLED's earlier eras as today's, the type as filed kept in the tags
    (`layers.events.eras.today_type`, once per distinct event type, actor types and
    sub-event type)."""
    names = ("event_type", "inter1", "inter2", "sub_event_type")
    encoded = [typed[n].fill_null("").dictionary_encode() for n in names]
    key = np.zeros(len(typed["event_type"]), dtype=np.int64)
    for column in encoded:
        key = key * max(1, len(column.dictionary)) + column.indices.to_numpy().astype(np.int64)
    distinct, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    values = [c.dictionary.to_pylist() for c in encoded]
    indices = [c.indices.to_numpy() for c in encoded]
    kinds, subs, tags = [], [], []
    for row in first.tolist():
        kind, inter1, inter2, sub = (v[i[row]] for v, i in zip(values, indices, strict=True))
        new, new_sub, tag = today_type(kind, inter1, inter2, sub)
        kinds.append(new)
        subs.append(new_sub)
        tags.append(tag)
    if not any(tags):
        return
    take = pa.array(inverse.ravel())
    tag = pa.array(tags, pa.string()).take(take)
    typed["event_type"] = pa.array(kinds, pa.string()).take(take)
    typed["sub_event_type"] = pa.array(subs, pa.string()).take(take)
    old = typed["tags"].fill_null("")
    joined = pc.if_else(pc.equal(old, ""), tag, pc.binary_join_element_wise(old, tag, "; "))
    typed["tags"] = pc.if_else(pc.equal(tag, ""), old, joined)


def read_rows(
    columns: dict[str, pa.Array],
    rows: int,
    batch: Batch,
    problems: ProblemList,
    skip_invalid: bool,
    rules: Rules,
) -> bool:
    """The file's rows into `batch`: the ones the column rules take as one table, the
    doubted ones through the row-by-row path (in file order, so problems are listed in it).
    False: the file is for the row-by-row path whole (nothing was added)."""
    checked = validate(columns, rows, rules)
    if checked is None:
        return False
    typed, doubted = checked
    slow = np.flatnonzero(doubted)
    if len(slow):
        picks = pa.array(slow)
        cells = {name: columns[name].take(picks).to_pylist() for name in columns}
        for k, row in enumerate(slow.tolist()):
            raws = [cells[name][k] if name in cells else None for name in RECORD]
            take_row(raws, rules, f"line {row + 2}", batch, problems, skip_invalid)
    keep = pa.array(~doubted)
    batch.fast = pa.table({name: typed[name].filter(keep) for name in RECORD})
    batch.fast_lines = np.flatnonzero(~doubted) + 2
    return True
