"""The store's data file checked before it is read: present, a Parquet file, of the event
table's schema, and holding the number of events the manifest records. A damaged store (a
truncated, empty or foreign file; a deleted one) is one StoreError naming the file."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from layers.atomic import is_disk_full
from layers.errors import StorageError
from layers.events.schema import STORE_SCHEMA


class StoreError(StorageError, RuntimeError):
    """A store that cannot be read or written; says which and why."""


def check_data(path: Path, rows: int) -> None:
    try:
        meta = pq.ParquetFile(path).metadata
        schema = meta.schema.to_arrow_schema()
    except FileNotFoundError:
        raise StoreError(
            f"{path}: the data file the manifest names is missing (the store is damaged: "
            "restore the file, or start a new store)"
        ) from None
    except (OSError, pa.ArrowException, ValueError) as exc:
        raise StoreError(
            f"{path}: not a readable Parquet file ({str(exc)[:200]}); the store is damaged"
        ) from exc
    missing = [f.name for f in STORE_SCHEMA if schema.get_field_index(f.name) < 0]
    wrong = [
        f.name
        for f in STORE_SCHEMA
        if f.name not in missing and not schema.field(f.name).type.equals(f.type)
    ]
    if missing or wrong:
        said = ", ".join(
            [*(f"{n} missing" for n in missing), *(f"{n} of another type" for n in wrong)]
        )
        raise StoreError(f"{path}: not briefmap's event table ({said[:300]}); the store is damaged")
    if meta.num_rows != rows:
        raise StoreError(
            f"{path}: holds {meta.num_rows:,} events where the manifest records {rows:,}; "
            "the store is damaged"
        )


def read_data(path: Path, rows: int) -> pa.Table:
    """The whole event table, checked first."""
    check_data(path, rows)
    try:
        return pq.read_table(path, schema=STORE_SCHEMA)
    except (OSError, pa.ArrowException, KeyError, ValueError) as exc:
        raise StoreError(f"{path}: cannot read ({str(exc)[:200]})") from exc


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """Around the atomic write of a new data file `path` (the temporary file is removed by
    `layers.atomic` on any failure, so the store keeps its current data): a full disk is a
    StoreError saying so."""
    try:
        yield
    except OSError as exc:  # pyarrow's file system errors carry the errno
        if is_disk_full(exc):
            raise StoreError(f"disk full writing {path}; nothing was stored") from exc
        raise


def date_span(table: pa.Table) -> dict[str, str | None]:
    """The first and last event dates the manifest records."""
    if table.num_rows == 0:
        return {"first_date": None, "last_date": None}
    dates = table.column("event_date")
    lo, hi = pc.min(dates).as_py(), pc.max(dates).as_py()
    return {"first_date": lo.isoformat(), "last_date": hi.isoformat()}


def geo_metadata(table: pa.Table) -> dict[str, Any]:
    """GeoParquet 1.1 metadata: WKB points in WGS84 longitude/latitude (OGC:CRS84)."""
    column: dict[str, Any] = {"encoding": "WKB", "geometry_types": ["Point"]}
    if table.num_rows:
        lon, lat = table.column("longitude"), table.column("latitude")
        column["bbox"] = [
            pc.min(lon).as_py(),
            pc.min(lat).as_py(),
            pc.max(lon).as_py(),
            pc.max(lat).as_py(),
        ]
    return {"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": column}}
