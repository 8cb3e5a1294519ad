"""Reading the PostGIS event store: one generation's events, as the Parquet backend reads its
files, so both answer every query with the same engine (`layers.events.query`).

Rows are versioned: each version of an event holds the generations it belongs to
(`gen_from` ≤ g < `gen_to`, open-ended while current), and an import keeps the versions of the
generation before it, so a snapshot taken before an import still reads its own rows. A
generation's map columns are read once per process (COPY out as CSV, parsed by pyarrow) and
kept with the events' identities in the same order, which is how positions in the in-memory
index find their rows again for a popup or an export.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
from psycopg import sql

from layers.events.backend import StoreInfo
from layers.events.merge import Counts
from layers.events.schema import STORE_SCHEMA

KEEP = 2  # generations whose identities stay in memory (as the index cache keeps)
BATCH = 65_536
_IDS: OrderedDict[tuple, tuple[np.ndarray, np.ndarray]] = OrderedDict()
_LOCK = threading.Lock()


def _select(column: str) -> sql.Composable:
    if column == "geometry":
        return sql.SQL("encode(ST_AsBinary(geom), 'hex') AS geometry")
    return sql.Identifier(column)


def _types(columns: Sequence[str]) -> dict[str, pa.DataType]:
    out = {}
    for name in columns:
        kind = STORE_SCHEMA.field(name).type
        out[name] = {pa.uint64(): pa.int64(), pa.binary(): pa.string()}.get(kind, kind)
    return out


def _typed(table: pa.Table, columns: Sequence[str]) -> pa.Table:
    """The CSV's columns as the store's schema has them (H3 unsigned, WKB as bytes)."""
    arrays = []
    for name in columns:
        column = table.column(name)
        kind = STORE_SCHEMA.field(name).type
        if kind == pa.uint64():
            column = column.cast(pa.uint64())
        elif kind == pa.binary():
            column = pa.array(
                [bytes.fromhex(v) if v is not None else None for v in column.to_pylist()],
                pa.binary(),
            )
        arrays.append(column)
    return pa.table(arrays, schema=pa.schema([STORE_SCHEMA.field(c) for c in columns]))


def copy_out(conn, query: sql.Composable, params: dict, columns: Sequence[str]) -> pa.Table:
    """The rows of `query` (its columns named `columns`, then any others) as an Arrow table
    typed as the store's schema: COPY out as CSV, read by pyarrow (NULL unquoted, empty
    text quoted, so the two stay apart)."""
    sink = io.BytesIO()
    statement = sql.SQL("COPY ({}) TO STDOUT (FORMAT csv, HEADER true)").format(query)
    with conn.cursor().copy(statement, params) as copy:
        for chunk in copy:
            sink.write(chunk)
    convert = pacsv.ConvertOptions(
        column_types=_types(columns),
        strings_can_be_null=True,
        quoted_strings_can_be_null=False,
    )
    parse = pacsv.ParseOptions(newlines_in_values=True)
    sink.seek(0)
    table = pacsv.read_csv(sink, parse_options=parse, convert_options=convert)
    return table


def scan(
    conn, key: tuple, generation: int, columns: Sequence[str]
) -> tuple[int, int, Iterator[pa.RecordBatch]]:
    """`columns` of every event of `generation`, in the order of their ids, in batches; the
    ids and versions are kept (`KEEP` generations) to find rows by position later."""
    query = sql.SQL(
        "SELECT {cols}, event_id_cnty AS bm_id, gen_from AS bm_from FROM briefmap_event "
        "WHERE gen_from <= %(g)s AND (gen_to IS NULL OR gen_to > %(g)s) ORDER BY event_id_cnty"
    ).format(cols=sql.SQL(", ").join(map(_select, columns)))
    table = copy_out(conn, query, {"g": generation}, columns)
    ids = table.column("bm_id").to_numpy(zero_copy_only=False)
    froms = table.column("bm_from").to_numpy(zero_copy_only=False)
    _remember(key, ids, froms)
    data = _typed(table, columns)
    return generation, data.num_rows, iter(data.to_batches(BATCH))


def identities(conn, key: tuple, generation: int) -> tuple[np.ndarray, np.ndarray]:
    """The ids and versions of `generation`'s events in index order (read again if this
    process no longer holds them)."""
    with _LOCK:
        if key in _IDS:
            _IDS.move_to_end(key)
            return _IDS[key]
    rows = conn.execute(
        "SELECT event_id_cnty, gen_from FROM briefmap_event WHERE gen_from <= %(g)s AND "
        "(gen_to IS NULL OR gen_to > %(g)s) ORDER BY event_id_cnty",
        {"g": generation},
    ).fetchall()
    ids = np.array([r[0] for r in rows], dtype=object)
    froms = np.array([r[1] for r in rows], dtype=np.int64)
    _remember(key, ids, froms)
    return ids, froms


def take(
    conn, key: tuple, generation: int, rows: Sequence[int], columns: Sequence[str]
) -> pa.Table:
    """These columns of the events at these positions of `generation`, in the order given;
    StoreError-worthy None when a version is no longer held (two imports later)."""
    schema = pa.schema([STORE_SCHEMA.field(c) for c in columns])
    if not len(rows):
        return schema.empty_table()
    ids, froms = identities(conn, key, generation)
    at = np.asarray(rows, dtype=np.int64)
    query = sql.SQL(
        "SELECT {cols}, k.n AS bm_n FROM briefmap_event e JOIN "
        "unnest(%(ids)s::text[], %(froms)s::bigint[], %(n)s::bigint[]) AS k(id, gf, n) "
        "ON e.event_id_cnty = k.id AND e.gen_from = k.gf"
    ).format(cols=sql.SQL(", ").join(map(_select, columns)))
    params = {"ids": ids[at].tolist(), "froms": froms[at].tolist(), "n": list(range(len(at)))}
    table = copy_out(conn, query, params, columns)
    if table.num_rows != len(at):
        return None
    order = np.argsort(table.column("bm_n").to_numpy(zero_copy_only=False), kind="stable")
    return _typed(table, columns).take(pa.array(order))


def details(conn, key: tuple, generation: int, rows: Sequence[int]) -> list[dict[str, Any]] | None:
    from layers.events.schema import DETAIL_COLUMNS

    table = take(conn, key, generation, rows, DETAIL_COLUMNS)
    return None if table is None else table.to_pylist()


def _remember(key: tuple, ids: np.ndarray, froms: np.ndarray) -> None:
    with _LOCK:
        _IDS[key] = (ids, froms)
        _IDS.move_to_end(key)
        while len(_IDS) > KEEP:
            _IDS.popitem(last=False)


def changed_rows(conn, batch: pa.Table) -> tuple[np.ndarray, Counts]:
    """Which rows of `batch` change the store (new events, or a newer `timestamp` than the
    current version), and the counts of each kind, from the current versions' ids and
    timestamps (read inside the import's transaction, under its lock)."""
    query = sql.SQL("SELECT event_id_cnty, timestamp FROM briefmap_event WHERE gen_to IS NULL")
    sink = io.BytesIO()
    statement = sql.SQL("COPY ({}) TO STDOUT (FORMAT csv)").format(query)
    with conn.cursor().copy(statement) as copy:
        for chunk in copy:
            sink.write(chunk)
    sink.seek(0)
    names = ["event_id_cnty", "timestamp"]
    stored = pacsv.read_csv(
        sink,
        read_options=pacsv.ReadOptions(column_names=names),
        convert_options=pacsv.ConvertOptions(
            column_types={"event_id_cnty": pa.string(), "timestamp": pa.int64()}
        ),
    )
    ids = pd.Index(stored.column("event_id_cnty").to_numpy(zero_copy_only=False))
    pos = ids.get_indexer(batch.column("event_id_cnty").to_numpy(zero_copy_only=False))
    known = pos >= 0
    ours = batch.column("timestamp").to_numpy()
    theirs = np.where(known, stored.column("timestamp").to_numpy()[np.where(known, pos, 0)], 0)
    revised = known & (ours > theirs)
    counts = Counts(
        new=int((~known).sum()),
        revised=int(revised.sum()),
        unchanged=int((known & (ours == theirs)).sum()),
        stale=int((known & (ours < theirs)).sum()),
    )
    return ~known | revised, counts


def forget(location: str, before: int) -> None:
    """Drop the identities of `location`'s generations before `before`."""
    with _LOCK:
        for key in [k for k in _IDS if k[1] == location and k[2] < before]:
            del _IDS[key]


def index_key(location: str, info: StoreInfo) -> tuple:
    return ("postgis", location, info.generation)
