"""A PostgreSQL server for the team tests: Debian's own, started once per test session as an
unprivileged user in a temporary folder (`layers.team.cluster`), one fresh database per test.
Never skipped: without PostgreSQL installed the tests fail and say what to install."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from layers.team.cluster import Cluster, free_port


@pytest.fixture(scope="session")
def pg_cluster():
    cluster = Cluster(Path(tempfile.mkdtemp(dir="/tmp", prefix="briefmap-test-pg-")), free_port())
    try:
        cluster.init().start()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def database(pg_cluster) -> str:
    """A fresh, empty database of its own; its connection URI. Dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(pg_cluster.dsn(), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield pg_cluster.dsn(name)
    with psycopg.connect(pg_cluster.dsn(), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
