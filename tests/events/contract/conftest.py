"""The backends the contract runs against (see `__init__`): one fixture each."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from layers.events.store import MANIFEST, open_store


@dataclass(frozen=True)
class Backend:
    name: str
    open: Callable[[Path], Any]
    damage: Callable[[Any], None]
    foreign: Callable[[Path], None]
    set_version: Callable[[Any, int], None]


def _parquet_damage(store) -> None:
    (store.root / store.describe().data_file).write_bytes(b"PAR1 not a parquet file")


def _parquet_foreign(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "holiday.jpg").write_bytes(b"\xff\xd8 somebody's photo")


def _parquet_set_version(store, version: int) -> None:
    path = store.root / MANIFEST
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("version", None)
    data.pop("columns", None)
    if version != 1:  # version 1 recorded none
        data["version"] = version
        data["columns"] = list(store.manifest()["columns"])
    path.write_text(json.dumps(data), encoding="utf-8")


def _postgis_open(folder: Path):
    from layers.team.eventstore import PostgisStore
    from tests import pgserver

    return PostgisStore(pgserver.database_for(folder))


def _postgis_damage(store) -> None:
    import psycopg

    with psycopg.connect(store.dsn) as conn:
        conn.execute("ALTER TABLE briefmap_event RENAME TO briefmap_event_lost")


def _postgis_foreign(folder: Path) -> None:
    import psycopg

    from tests import pgserver

    with psycopg.connect(pgserver.database_for(folder)) as conn:
        conn.execute("CREATE TABLE holiday_photos (name text, taken date)")


def _postgis_set_version(store, version: int) -> None:
    import psycopg

    with psycopg.connect(store.dsn) as conn:
        conn.execute("UPDATE briefmap_store SET schema_version = %s", (version,))


BACKENDS = [
    Backend("parquet", open_store, _parquet_damage, _parquet_foreign, _parquet_set_version),
    Backend("postgis", _postgis_open, _postgis_damage, _postgis_foreign, _postgis_set_version),
]


@pytest.fixture(params=BACKENDS, ids=lambda b: b.name)
def backend(request) -> Backend:
    return request.param


N = 10_500  # enough for density cells over the region (more than POINT_LIMIT in view)


@pytest.fixture(scope="module", params=BACKENDS, ids=lambda b: b.name)
def loaded(request, tmp_path_factory):
    """A store of each backend holding `N` synthetic events, and the same events in pandas."""
    from layers.events import synth
    from layers.events.store import Source

    table = synth.table(N, seed=3)
    store = request.param.open(tmp_path_factory.mktemp(f"contract-{request.param.name}"))
    store.apply(table, None, Source("synthetic.csv", "0" * 64, N, "acled"))
    return store, table.to_pandas()
