"""Briefings kept in PostgreSQL: the `BriefingStore` the app uses, shared by every app server
of a team, so a presenter on one server and an audience on another follow the same briefing
and a restarted server loses nothing.

What the table holds is what a briefing is (walkthrough, scene, blank, paused, version, times,
owner); the two keys are stored only as SHA-256 digests, so a copy of the database opens no
briefing. The audience key is derived from the presenter's (HMAC), so the presenter's window
can always show the audience link, and the audience key does not lead back to the presenter's.
Walkthroughs are stored once by digest as the YAML text `dump_walkthrough` writes, and read
back through the same validating boundary as an upload (`parse`), parsed once per process.

Every change is one transaction: `act` locks the briefing's row (`FOR UPDATE`), so two
presses on two servers apply one after the other; `create` holds an advisory lock while it
counts, so the limit holds across servers.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace

from layers.briefing import (
    ACTIONS,
    IDLE_SECONDS,
    MAX_BRIEFINGS,
    MAX_PER_PRESENTER,
    Briefing,
    BriefingError,
    Role,
    Running,
    Seat,
    apply_action,
    new_secret,
    plausible_key,
    too_many,
)
from layers.team.database import Database, DatabaseUnreachable, shared
from layers.walkthrough import Walkthrough

SCHEMA_VERSION = 1
_LOCK_CREATE = 0x62726D01  # advisory lock: one create at a time across servers
_PARSED = 32  # walkthroughs kept parsed per process
_SCHEMA = """
CREATE TABLE IF NOT EXISTS briefmap_walkthrough (
    digest bytea PRIMARY KEY,
    body text NOT NULL
);
CREATE TABLE IF NOT EXISTS briefmap_briefing (
    presenter_hash bytea PRIMARY KEY,
    audience_hash bytea NOT NULL UNIQUE,
    channel text NOT NULL,
    walkthrough bytea NOT NULL REFERENCES briefmap_walkthrough (digest),
    scene integer NOT NULL,
    blank boolean NOT NULL DEFAULT false,
    paused boolean NOT NULL DEFAULT false,
    version integer NOT NULL DEFAULT 1,
    started double precision NOT NULL,
    touched double precision NOT NULL,
    owner text
);
CREATE INDEX IF NOT EXISTS briefmap_briefing_touched ON briefmap_briefing (touched);
"""


def digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("ascii")).digest()


def audience_key_for(presenter_key: str) -> str:
    """The audience key that belongs to a presenter key (24 URL-safe characters)."""
    mac = hmac.new(presenter_key.encode("ascii"), b"briefmap audience key", hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).decode("ascii")[:24]


class BriefingsUnreachable(DatabaseUnreachable, BriefingError):
    """The briefings' database cannot be reached now (the same store works again when it
    answers: nothing to restart)."""


class DatabaseBriefings:
    """Briefings in a PostgreSQL database; the same methods and rules as `BriefingRoom`.
    `database`: the process's connections to it (`layers.team.database`)."""

    def __init__(
        self,
        database: Database,
        parse: Callable[[str], Walkthrough],
        dump: Callable[[Walkthrough], str],
        idle_seconds: float = IDLE_SECONDS,
        max_briefings: int = MAX_BRIEFINGS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._db, self._parse, self._dump = database, parse, dump
        self._idle, self._max, self._clock = idle_seconds, max_briefings, clock
        self._parsed: OrderedDict[bytes, Walkthrough] = OrderedDict()
        self._parsed_lock = threading.Lock()
        self._db.once("briefings-schema", self._make_schema)

    def _make_schema(self) -> None:
        with self._connection() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_CREATE,))
            conn.execute(_SCHEMA)

    def _connection(self):
        """A pooled connection for one block (BriefingsUnreachable while the database is
        away; BriefingError when every connection stays busy)."""
        return self._db.connection(BriefingsUnreachable, BriefingError)

    # -- the BriefingStore methods ----------------------------------------------------------
    def create(self, walkthrough: Walkthrough, index: int = 0, owner: str = ""):
        """A new briefing of `walkthrough` at scene `index`, with a fresh presenter key, started
        by `owner` (who may hold MAX_PER_PRESENTER at once, whichever server they use)."""
        body = self._dump(walkthrough)
        wdigest = hashlib.sha256(body.encode("utf-8")).digest()
        presenter = new_secret()
        now = self._clock()
        row = {
            "p": digest(presenter),
            "a": digest(audience_key_for(presenter)),
            "channel": secrets.token_hex(8),
            "w": wdigest,
            "scene": _clamp(index, walkthrough),
            "now": now,
            "owner": owner,
        }
        with self._connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_CREATE,))
            self._expire(conn, now)
            (held, mine) = conn.execute(
                "SELECT count(*), count(*) FILTER (WHERE owner = %s) FROM briefmap_briefing",
                (owner,),
            ).fetchone()
            if owner and mine >= MAX_PER_PRESENTER:
                raise BriefingError(too_many(owner))
            if held >= self._max:
                raise BriefingError(
                    f"the team's servers already hold {self._max} briefings; try again when "
                    "one has ended"
                )
            conn.execute(
                "INSERT INTO briefmap_walkthrough (digest, body) VALUES (%s, %s) "
                "ON CONFLICT (digest) DO NOTHING",
                (wdigest, body),
            )
            conn.execute(
                "INSERT INTO briefmap_briefing (presenter_hash, audience_hash, channel, "
                "walkthrough, scene, started, touched, owner) VALUES (%(p)s, %(a)s, "
                "%(channel)s, %(w)s, %(scene)s, %(now)s, %(now)s, %(owner)s)",
                row,
            )
        self._remember(wdigest, walkthrough)
        return self._briefing(
            presenter, (row["channel"], wdigest, row["scene"], False, False, 1, now, now)
        )

    def find(self, key: str | None) -> Seat | None:
        """The briefing this key opens, with the role it grants; None if unknown or expired.
        A presenter's lookup counts as activity."""
        if not plausible_key(key):
            return None
        hashed, now = digest(key), self._clock()
        with self._connection() as conn, conn.transaction():
            row = conn.execute(
                "SELECT presenter_hash = %(k)s, channel, walkthrough, scene, blank, paused, "
                "version, started, touched FROM briefmap_briefing "
                "WHERE (presenter_hash = %(k)s OR audience_hash = %(k)s) AND touched >= %(t)s",
                {"k": hashed, "t": now - self._idle},
            ).fetchone()
            if row is None:
                return None
            presenter, values = row[0], list(row[1:])
            if presenter:
                conn.execute(
                    "UPDATE briefmap_briefing SET touched = %s WHERE presenter_hash = %s",
                    (now, hashed),
                )
                values[-1] = now
        if presenter:
            return Seat(self._briefing(key, tuple(values)), Role.PRESENTER)
        briefing = self._briefing("", tuple(values))
        return Seat(replace(briefing, audience_key=key), Role.AUDIENCE)

    def version(self, key: str | None) -> int | None:
        """The version of the briefing this key opens, or None if unknown or expired: one
        primary-key read, no transaction, no write (not activity)."""
        if not plausible_key(key):
            return None
        hashed = digest(key)
        with self._connection() as conn:
            row = conn.execute(
                "SELECT version FROM briefmap_briefing WHERE (presenter_hash = %(k)s "
                "OR audience_hash = %(k)s) AND touched >= %(t)s",
                {"k": hashed, "t": self._clock() - self._idle},
            ).fetchone()
        return None if row is None else int(row[0])

    def act(self, key: str, action: str) -> Briefing:
        """Apply one clicker action; only the presenter's key may (same rules as in memory)."""
        if action not in ACTIONS:
            raise BriefingError(f"unknown action {action[:20]!r}")
        if not plausible_key(key):
            raise BriefingError("no such briefing")
        hashed, now = digest(key), self._clock()
        with self._connection() as conn, conn.transaction():
            row = conn.execute(
                "SELECT channel, walkthrough, scene, blank, paused, version, started, touched "
                "FROM briefmap_briefing WHERE presenter_hash = %s "
                "AND touched >= %s FOR UPDATE",
                (hashed, now - self._idle),
            ).fetchone()
            if row is None:
                audience = conn.execute(
                    "SELECT 1 FROM briefmap_briefing WHERE audience_hash = %s", (hashed,)
                ).fetchone()
                raise BriefingError(
                    "an audience key cannot drive a briefing" if audience else "no such briefing"
                )
            b = self._briefing(key, row)
            moved = apply_action(b, action)
            if moved is b:
                return b
            moved = replace(moved, version=b.version + 1, touched=now)
            conn.execute(
                "UPDATE briefmap_briefing SET scene = %s, blank = %s, paused = %s, "
                "version = %s, touched = %s WHERE presenter_hash = %s",
                (moved.index, moved.blank, moved.paused, moved.version, now, hashed),
            )
        return moved

    def in_progress(self) -> list[Running]:
        """Every briefing not yet expired, oldest first, on every server (no keys)."""
        with self._connection() as conn:
            rows = conn.execute(
                "SELECT channel, walkthrough, scene, coalesce(owner, ''), started, touched "
                "FROM briefmap_briefing WHERE touched >= %s ORDER BY started",
                (self._clock() - self._idle,),
            ).fetchall()
        running = []
        for channel, wdigest, scene, owner, started, touched in rows:
            walkthrough = self._walkthrough(bytes(wdigest))
            index = _clamp(scene, walkthrough)
            running.append(Running(channel, walkthrough, index, owner, started, touched))
        return running

    def end(self, channel: str) -> bool:
        """End the briefing named by its channel (an admin's act), whichever server runs
        it: both its keys stop working. False if there is none."""
        with self._connection() as conn, conn.transaction():
            gone = conn.execute(
                "DELETE FROM briefmap_briefing WHERE channel = %s", (channel[:64],)
            ).rowcount
        return gone > 0

    def __len__(self) -> int:
        with self._connection() as conn:
            (held,) = conn.execute(
                "SELECT count(*) FROM briefmap_briefing WHERE touched >= %s",
                (self._clock() - self._idle,),
            ).fetchone()
        return held

    # -- inside ---------------------------------------------------------------------------
    def _expire(self, conn, now: float) -> None:
        conn.execute("DELETE FROM briefmap_briefing WHERE touched < %s", (now - self._idle,))

    def _briefing(self, presenter_key: str, values: tuple) -> Briefing:
        channel, wdigest, scene, blank, paused, version, started, touched = values
        walkthrough = self._walkthrough(bytes(wdigest))
        return Briefing(
            presenter_key=presenter_key,
            audience_key=audience_key_for(presenter_key) if presenter_key else "",
            channel=channel,
            walkthrough=walkthrough,
            index=_clamp(scene, walkthrough),
            blank=blank,
            paused=paused,
            version=version,
            started=started,
            touched=touched,
        )

    def _walkthrough(self, wdigest: bytes) -> Walkthrough:
        with self._parsed_lock:
            if wdigest in self._parsed:
                self._parsed.move_to_end(wdigest)
                return self._parsed[wdigest]
        with self._connection() as conn:
            row = conn.execute(
                "SELECT body FROM briefmap_walkthrough WHERE digest = %s", (wdigest,)
            ).fetchone()
        if row is None:
            raise BriefingError("this briefing's walkthrough is missing from the database")
        walkthrough = self._parse(row[0])
        self._remember(wdigest, walkthrough)
        return walkthrough

    def _remember(self, wdigest: bytes, walkthrough: Walkthrough) -> None:
        with self._parsed_lock:
            self._parsed[wdigest] = walkthrough
            self._parsed.move_to_end(wdigest)
            while len(self._parsed) > _PARSED:
                self._parsed.popitem(last=False)


def _clamp(index: int, walkthrough: Walkthrough) -> int:
    return max(0, min(index, len(walkthrough.scenes) - 1))


def open_briefings(
    dsn: str, geodata, database: Database | None = None, **limits
) -> DatabaseBriefings:
    """Briefings in the database at `dsn`, walkthroughs read back against `geodata` through
    the upload boundary (a walkthrough the geodata no longer supports is said, not shown).
    The connections are the process's for `dsn` (shared with the event store there), unless
    a `database` of its own is given (a second app server in a test)."""
    from layers.boundary import validate_walkthrough_text
    from layers.walkthrough import dump_walkthrough

    def parse(text: str) -> Walkthrough:
        walkthrough, problems = validate_walkthrough_text(text, "stored briefing", geodata)
        if walkthrough is None:
            first = problems[0] if problems else "unreadable"
            raise BriefingError(f"this briefing's walkthrough no longer fits the data: {first}")
        return walkthrough

    return DatabaseBriefings(database or shared(dsn), parse, dump_walkthrough, **limits)
