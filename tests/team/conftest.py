"""A PostgreSQL server for the team tests: Debian's own, started once per test session as an
unprivileged user in a temporary folder (`tests.pgserver`), one fresh database per test.
Never skipped: without PostgreSQL installed the tests fail and say what to install."""

from __future__ import annotations

import pytest

from tests import pgserver


@pytest.fixture(scope="session")
def pg_cluster():
    return pgserver.cluster()


@pytest.fixture
def database(pg_cluster) -> str:
    """A fresh, empty database of its own; its connection URI. Dropped after the test."""
    dsn = pgserver.new_database()
    yield dsn
    pgserver.drop_database(dsn)
