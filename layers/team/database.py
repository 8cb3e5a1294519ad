"""A team database as one process uses it: one pool of connections per URI (psycopg_pool),
made on first use and shared by whatever in the process uses that database (the event store,
the briefings); work done once per process and database (making the schema); and the error
that says the database cannot be reached.

When PostgreSQL goes away (stopped, restarted, the network gone) a call fails with
`DatabaseUnreachable`, naming the database (never its password) and the reason, and the pool
is closed. While it is away, each call tries one direct connection (a stopped server refuses
at once) and says so again; the first call that reaches it opens a new pool and carries on,
with no restart of the app. A connection the server dropped while it lay idle (a restart
between two calls) is caught by the check made on every lend, and the whole pool is renewed
at once, rather than one dead connection per back-off step of the pool's own retry.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from layers.errors import StorageError

WAIT = 10.0  # seconds a call waits for a free connection before saying they are all busy
MAX_CONNECTIONS = 10  # per process and database
PROBE_SECONDS = 5  # connect timeout of the direct try while the database is away
# Session memory for temporary tables (an import's staging table), taken only as used: the
# default 8 MB sends a large import's staging rows through temporary files, and it can be set
# only before a session first touches a temporary table, so it is set as each connection opens.
SESSION_OPTIONS = "-c temp_buffers=256MB"


class DatabaseUnreachable(StorageError):
    """The database cannot be reached now; the next call tries again by itself."""

    def __init__(self, message: str, *, shown: str = "", reason: str = ""):
        super().__init__(message)
        self.shown, self.reason = shown, reason  # the database (no password), and why

    @classmethod
    def at(cls, shown: str, reason: str) -> DatabaseUnreachable:
        return cls(
            f"{shown}: the database is unreachable ({reason}); briefmap carries on by "
            "itself as soon as it answers again",
            shown=shown,
            reason=reason,
        )


class DatabaseBusy(StorageError):
    """Every connection of this process to the database stayed busy for `WAIT` seconds."""


class Database:
    """One database (`dsn`, a libpq URI) as this process uses it (see the module's docstring).

    `connection()` lends a checked connection for one block (committed at its end, rolled
    back on an error); `once(key, work)` runs `work` the first time a key is asked for.
    `pools_made` and `pool_stats()` say what the process has spent (the tests count them)."""

    def __init__(self, dsn: str, max_size: int = MAX_CONNECTIONS, wait: float = WAIT):
        self.dsn, self.shown = dsn, shown(dsn)
        self._max, self._wait = max_size, wait
        self._pool = None  # a psycopg_pool.ConnectionPool while the database answers
        self._lock = threading.Lock()  # guards _pool
        self._once_lock = threading.Lock()
        self._done: set[str] = set()
        self.pools_made = 0
        self._heard: dict[str, list[Callable[[str], None]]] = {}  # channel: callbacks
        self._closing = threading.Event()
        self._listener: threading.Thread | None = None

    @contextmanager
    def connection(
        self,
        unreachable: type[DatabaseUnreachable] = DatabaseUnreachable,
        busy: type[StorageError] = DatabaseBusy,
    ) -> Iterator:
        """A connection for one block; `unreachable` and `busy`: the errors raised when the
        database is away or every connection stays busy (a caller's own subclasses)."""
        pool, conn = self._lend(unreachable, busy)
        try:
            with conn:  # commit at the end of the block, roll back on an error
                yield conn
        except Exception as exc:
            if conn.broken or conn.closed:  # the server went away during the block
                self._lost(pool)
                raise unreachable.at(self.shown, _reason(exc)) from None
            raise
        finally:
            pool.putconn(conn)  # a closed pool closes it; a broken one is discarded

    def once(self, key: str, work: Callable[[], None]) -> None:
        """Run `work` unless it has already succeeded for `key` in this process."""
        if key in self._done:
            return
        with self._once_lock:
            if key not in self._done:
                work()
                self._done.add(key)

    def listen(self, channel: str, heard: Callable[[str], None]) -> None:
        """Call `heard(payload)` for every NOTIFY on `channel`, from one thread of this
        process with a connection of its own; made again when the database comes back, and
        then `heard("")` (notifications sent meanwhile were missed)."""
        with self._lock:
            self._heard.setdefault(channel, []).append(heard)
            if self._listener is None:
                self._listener = threading.Thread(
                    target=self._listening, name=f"listen {self.shown}", daemon=True
                )
                self._listener.start()

    def pool_stats(self) -> dict[str, int]:
        with self._lock:
            return dict(self._pool.get_stats()) if self._pool is not None else {}

    def close(self) -> None:
        self._closing.set()  # the listener ends within a second
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close(timeout=1.0)

    # -- inside ---------------------------------------------------------------------------
    def _lend(self, unreachable, busy):
        from psycopg_pool import ConnectionPool, PoolClosed, PoolTimeout

        for _ in range(3):
            pool = self._ready_pool(unreachable)
            try:
                conn = pool.getconn(timeout=self._wait)
            except PoolClosed:  # renewed by another thread meanwhile
                continue
            except PoolTimeout:
                reason = self._probe()
                if reason is not None:
                    self._lost(pool)
                    raise unreachable.at(self.shown, reason) from None
                raise busy(
                    f"{self.shown}: all {self._max} connections of this server stayed busy "
                    f"for {self._wait:g} s; try again"
                ) from None
            try:
                ConnectionPool.check_connection(conn)
            except Exception:  # noqa: BLE001 - dropped by the server: every idle one is too
                pool.putconn(conn)
                self._lost(pool)
                continue
            return pool, conn
        raise unreachable.at(self.shown, "every new connection was dropped at once")

    def _ready_pool(self, unreachable):
        with self._lock:
            if self._pool is not None:
                return self._pool
        reason = self._probe()  # outside the lock: a connect may take its timeout
        if reason is not None:
            raise unreachable.at(self.shown, reason)
        from psycopg_pool import ConnectionPool

        with self._lock:
            if self._pool is None:
                self._pool = ConnectionPool(
                    self.dsn,
                    min_size=1,
                    max_size=self._max,
                    timeout=self._wait,
                    reconnect_timeout=30.0,
                    name=self.shown,
                    kwargs={"options": SESSION_OPTIONS},
                    open=True,
                )
                self.pools_made += 1
            return self._pool

    def _lost(self, pool) -> None:
        """The server dropped `pool`'s connections: closed, the next call makes a new one."""
        with self._lock:
            if self._pool is not pool:
                return  # another thread saw it first
            self._pool = None
        pool.close(timeout=1.0)

    def _listening(self) -> None:
        import psycopg

        pause = 0.5
        while not self._closing.is_set():
            try:
                with psycopg.connect(
                    self.dsn, autocommit=True, connect_timeout=PROBE_SECONDS
                ) as conn:
                    pause = 0.5
                    self._hear(conn)
            except psycopg.Error:
                self._closing.wait(pause)  # the database is away: try again, less often
                pause = min(pause * 2, 10.0)

    def _hear(self, conn) -> None:
        from psycopg import sql

        listening: set[str] = set()
        first = True
        while not self._closing.is_set():
            with self._lock:
                channels = {c: list(calls) for c, calls in self._heard.items()}
            for channel in channels.keys() - listening:
                conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
                listening.add(channel)
            if first:  # (again) listening: whatever was sent before is not known
                first = False
                for calls in channels.values():
                    _tell(calls, "")
            for note in conn.notifies(timeout=1.0):
                _tell(channels.get(note.channel, ()), note.payload)

    def _probe(self) -> str | None:
        """None if a direct connection succeeds now, else why not (in the server's words)."""
        import psycopg

        try:
            psycopg.connect(self.dsn, connect_timeout=PROBE_SECONDS).close()
        except psycopg.Error as exc:
            return first_line(exc)
        return None


_OPEN: dict[str, Database] = {}
_OPEN_LOCK = threading.Lock()


def shared(dsn: str) -> Database:
    """The process's one `Database` for `dsn` (made on first use)."""
    with _OPEN_LOCK:
        found = _OPEN.get(dsn)
        if found is None:
            found = _OPEN[dsn] = Database(dsn)
        return found


def forget(dsn: str) -> None:
    """Close the process's pool for `dsn` (a test dropping its database)."""
    with _OPEN_LOCK:
        found = _OPEN.pop(dsn, None)
    if found is not None:
        found.close()


def shown(dsn: str) -> str:
    """A connection URI without its password, for messages."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        parts = conninfo_to_dict(dsn)
    except Exception:  # noqa: BLE001 - a URI libpq cannot read is shown as unreadable
        return "postgresql://(unreadable URI)"
    host, port, name = parts.get("host", ""), parts.get("port", ""), parts.get("dbname", "")
    return f"postgresql://{parts.get('user', '')}@{host}:{port}/{name}"


def first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__


def _tell(calls, payload: str) -> None:
    for call in calls:
        try:
            call(payload)
        except Exception:  # noqa: BLE001 - a listener's failure must not end the listening
            logging.getLogger(__name__).exception("a NOTIFY listener failed")


def _reason(exc: BaseException) -> str:
    """The database's own words for a lost connection (an error may wrap psycopg's)."""
    import psycopg

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, psycopg.Error):
            return first_line(seen)
        seen = seen.__cause__ or seen.__context__
    return "the connection was lost"
