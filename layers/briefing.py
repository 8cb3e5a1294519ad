"""A briefing in progress: which scene of which walkthrough, and whether the screen is blank.

A briefing has two secrets, both made here with `secrets` (never chosen by a client):

- the presenter's key drives the briefing and sees the speaker notes;
- the audience's key follows it and can do nothing else.

Every move goes through `BriefingStore.act`, which refuses anything but the presenter's key, so
the rule holds whatever window or link asks. Briefings expire after an idle time (no presenter
activity) and the store holds a bounded number of them. Every change bumps a version number,
which the windows watch and the map uses to fly exactly once per move.

`BriefingStore` is the interface the app uses; `BriefingRoom` keeps briefings in this server's
memory. A store shared by several app servers (a database table keyed by the two secrets) can
implement the same methods without touching the callers.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Protocol

from layers.errors import StorageError
from layers.walkthrough import Scene, Walkthrough

SECRET_BYTES = 18  # 144 bits, 24 URL-safe characters
_SECRET = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
IDLE_SECONDS = 6 * 3600
MAX_BRIEFINGS = 200
MAX_PER_PRESENTER = 10  # briefings one presenter holds at once (the limit that locks nobody out)
ACTIONS = ("first", "prev", "next", "last", "blank", "pause", "resume")


class Role(StrEnum):
    PRESENTER = "presenter"
    AUDIENCE = "audience"


class BriefingError(StorageError):
    """A briefing that cannot be found, driven or created (the message says which)."""


@dataclass(frozen=True)
class Briefing:
    presenter_key: str
    audience_key: str
    channel: str  # names the browser channel that wakes this briefing's windows; not a secret
    walkthrough: Walkthrough
    index: int  # 0-based scene
    blank: bool = False
    paused: bool = False  # the presenter stopped presenting (the audience says so)
    version: int = 1
    started: float = 0.0
    touched: float = 0.0  # the presenter's last activity
    owner: str = ""  # the presenter who started it (their login; "" when nobody signs in)

    @property
    def scene(self) -> Scene:
        return self.walkthrough.scenes[self.index]

    @property
    def next_scene(self) -> Scene | None:
        scenes = self.walkthrough.scenes
        return scenes[self.index + 1] if self.index + 1 < len(scenes) else None

    @property
    def count(self) -> int:
        return len(self.walkthrough.scenes)


@dataclass(frozen=True)
class Seat:
    """A briefing as seen through one key: the role that key holds."""

    briefing: Briefing
    role: Role

    @property
    def key(self) -> str:
        b = self.briefing
        return b.presenter_key if self.role == Role.PRESENTER else b.audience_key


@dataclass(frozen=True)
class Running:
    """A briefing in progress as an admin sees it: no key, only its public channel name."""

    channel: str
    walkthrough: Walkthrough
    index: int
    owner: str
    started: float
    touched: float


class BriefingStore(Protocol):
    def create(self, walkthrough: Walkthrough, index: int = 0, owner: str = "") -> Briefing: ...

    def find(self, key: str | None) -> Seat | None: ...

    def version(self, key: str | None) -> int | None: ...

    def act(self, key: str, action: str) -> Briefing: ...

    def in_progress(self) -> list[Running]: ...

    def end(self, channel: str) -> bool: ...


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def plausible_key(key: object) -> bool:
    """A key of the form this module makes (checked before any lookup)."""
    return isinstance(key, str) and _SECRET.match(key) is not None


class BriefingRoom:
    """Briefings held in this server's memory; thread-safe, readers get immutable snapshots."""

    def __init__(
        self,
        idle_seconds: float = IDLE_SECONDS,
        max_briefings: int = MAX_BRIEFINGS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._lock = threading.Lock()
        self._briefings: dict[str, Briefing] = {}  # by presenter key
        self._audience: dict[str, str] = {}  # audience key -> presenter key
        self._idle, self._max, self._clock = idle_seconds, max_briefings, clock

    def create(self, walkthrough: Walkthrough, index: int = 0, owner: str = "") -> Briefing:
        """A new briefing of `walkthrough` at scene `index`, with two fresh secrets, started
        by `owner`, who may hold MAX_PER_PRESENTER at once ("": nobody signs in, and only the
        server's limit applies)."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            mine = sum(b.owner == owner for b in self._briefings.values())
            if owner and mine >= MAX_PER_PRESENTER:
                raise BriefingError(too_many(owner))
            if len(self._briefings) >= self._max:
                raise BriefingError(
                    f"this server already holds {self._max} briefings; try again when one has ended"
                )
            b = Briefing(
                presenter_key=new_secret(),
                audience_key=new_secret(),
                channel=secrets.token_hex(8),
                walkthrough=walkthrough,
                index=_clamp(index, walkthrough),
                started=now,
                touched=now,
                owner=owner,
            )
            self._briefings[b.presenter_key] = b
            self._audience[b.audience_key] = b.presenter_key
            return b

    def find(self, key: str | None) -> Seat | None:
        """The briefing this key opens, with the role it grants; None if unknown or expired.
        A presenter's lookup counts as activity (the presenter's window asks every second)."""
        if not plausible_key(key):
            return None
        with self._lock:
            now = self._clock()
            self._expire(now)
            if key in self._briefings:
                b = replace(self._briefings[key], touched=now)
                self._briefings[key] = b
                return Seat(b, Role.PRESENTER)
            owner = self._audience.get(key)  # type: ignore[arg-type]
            if owner is None:
                return None
            # the audience's seat never carries the key that drives the briefing
            return Seat(replace(self._briefings[owner], presenter_key=""), Role.AUDIENCE)

    def version(self, key: str | None) -> int | None:
        """The version of the briefing this key opens (either key), or None if unknown or
        expired: what a window asks a few times a second to learn that it must redraw. Not
        activity (only the presenter's own lookups keep a briefing alive)."""
        if not plausible_key(key):
            return None
        with self._lock:
            self._expire(self._clock())
            owner = key if key in self._briefings else self._audience.get(key)  # type: ignore[arg-type]
            return None if owner is None else self._briefings[owner].version

    def act(self, key: str, action: str) -> Briefing:
        """Apply one clicker action; only the presenter's key may. Moving lifts a blank screen;
        any action but "pause" ends a pause. Pausing a paused briefing changes nothing."""
        if action not in ACTIONS:
            raise BriefingError(f"unknown action {action[:20]!r}")
        with self._lock:
            b = self._briefings.get(key) if plausible_key(key) else None
            if b is None:
                known = plausible_key(key) and key in self._audience
                raise BriefingError(
                    "an audience key cannot drive a briefing" if known else "no such briefing"
                )
            moved = apply_action(b, action)
            if moved is b:
                return b
            b = replace(moved, version=b.version + 1, touched=self._clock())
            self._briefings[key] = b
            return b

    def in_progress(self) -> list[Running]:
        """Every briefing not yet expired, oldest first (for an admin: no keys)."""
        with self._lock:
            self._expire(self._clock())
            held = sorted(self._briefings.values(), key=lambda b: b.started)
        return [
            Running(b.channel, b.walkthrough, b.index, b.owner, b.started, b.touched) for b in held
        ]

    def end(self, channel: str) -> bool:
        """End the briefing named by its channel (an admin's act): both its keys stop
        working. False if there is none."""
        with self._lock:
            for key, b in list(self._briefings.items()):
                if b.channel == channel:
                    del self._briefings[key]
                    self._audience.pop(b.audience_key, None)
                    return True
        return False

    def __len__(self) -> int:
        with self._lock:
            return len(self._briefings)

    def _expire(self, now: float) -> None:
        for key, b in list(self._briefings.items()):
            if now - b.touched > self._idle:
                del self._briefings[key]
                self._audience.pop(b.audience_key, None)


def too_many(owner: str) -> str:
    who = f"{owner[:64]} already holds" if owner else "you already hold"
    return (
        f"{who} {MAX_PER_PRESENTER} briefings in progress; resume one of them, or start again "
        f"when one has ended (after {IDLE_SECONDS // 3600} hours without a move)"
    )


def apply_action(b: Briefing, action: str) -> Briefing:
    """The briefing after one clicker action, version unchanged (the same object when the
    action changes nothing). Moving lifts a blank screen; any action but "pause" ends a pause;
    pausing a paused briefing changes nothing."""
    if action == "pause" and b.paused or action == "resume" and not b.paused:
        return b
    if action in ("pause", "resume"):
        return replace(b, paused=action == "pause", blank=False)  # never a black room
    if action == "blank":
        return replace(b, blank=not b.blank, paused=False)
    target = {"first": 0, "last": b.count - 1, "prev": b.index - 1}.get(action, b.index + 1)
    return replace(b, index=_clamp(target, b.walkthrough), blank=False, paused=False)


def _clamp(index: int, walkthrough: Walkthrough) -> int:
    return max(0, min(index, len(walkthrough.scenes) - 1))
