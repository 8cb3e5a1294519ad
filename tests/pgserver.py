"""One PostgreSQL server for a test session (Debian's, `layers.team.cluster`), started on first
use and removed when the session ends; a fresh database per caller. Used by the team tests and
by the event store contract's PostGIS backend."""

from __future__ import annotations

import atexit
import hashlib
import re
import tempfile
import threading
import uuid
from pathlib import Path

import psycopg
from psycopg import sql

from layers.team.cluster import Cluster, free_port

_LOCK = threading.Lock()
_CLUSTER: list[Cluster] = []


def cluster() -> Cluster:
    with _LOCK:
        if not _CLUSTER:
            folder = Path(tempfile.mkdtemp(dir="/tmp", prefix="briefmap-test-pg-"))
            started = Cluster(folder, free_port())
            atexit.register(started.remove)
            started.init().start()
            _CLUSTER.append(started)
        return _CLUSTER[0]


def new_database(hint: str = "t") -> str:
    """A new, empty database (its name begins with `hint`, so messages show it); its URI."""
    stem = re.sub(r"[^a-z0-9-]", "-", hint.lower())[:30] or "t"
    name = f"{stem}-{uuid.uuid4().hex[:10]}"
    server = cluster()
    with psycopg.connect(server.dsn(), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return server.dsn(name)


def drop_database(dsn: str) -> None:
    """Drop it, closing this process's pool for it first (`layers.team.database`)."""
    from layers.team.database import forget

    forget(dsn)
    name = psycopg.conninfo.conninfo_to_dict(dsn)["dbname"]
    with psycopg.connect(cluster().dsn(), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def database_for(folder: Path) -> str:
    """The same database for the same folder within a session (a backend's `open(folder)`)."""
    key = hashlib.sha256(str(folder).encode()).hexdigest()[:8]
    with _LOCK:
        known = _FOR.get(key)
    if known is None:
        known = new_database(f"{Path(folder).name}-{key}")
        with _LOCK:
            _FOR[key] = known
    return known


_FOR: dict[str, str] = {}
