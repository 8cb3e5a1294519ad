"""A briefing in progress: which scene of which walkthrough, and whether the screen is blank.

One presenter window and any number of audience windows share a briefing through its token;
the state lives in the server process (nothing leaves the machine) and every change bumps a
version number, which audience windows watch and the map uses to fly exactly once per move.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, replace

from layers.model import Walkthrough


@dataclass(frozen=True)
class Briefing:
    token: str
    walkthrough: Walkthrough
    index: int  # 0-based scene
    blank: bool = False
    version: int = 1
    started: float = 0.0

    @property
    def scene(self):
        return self.walkthrough.scenes[self.index]

    @property
    def next_scene(self):
        scenes = self.walkthrough.scenes
        return scenes[self.index + 1] if self.index + 1 < len(scenes) else None

    @property
    def count(self) -> int:
        return len(self.walkthrough.scenes)


class BriefingRoom:
    """Thread-safe registry of briefings; readers get immutable snapshots."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._briefings: dict[str, Briefing] = {}

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(8)

    def open(self, token: str, walkthrough: Walkthrough, index: int = 0) -> Briefing:
        """The briefing with this token, created at `index` if it does not exist yet."""
        with self._lock:
            current = self._briefings.get(token)
            if current is None or current.walkthrough.id != walkthrough.id:
                current = Briefing(
                    token, walkthrough, _clamp(index, walkthrough), started=time.time()
                )
                self._briefings[token] = current
            return current

    def get(self, token: str) -> Briefing | None:
        with self._lock:
            return self._briefings.get(token)

    def go(self, token: str, index: int) -> Briefing:
        """Show scene `index` (clamped to the walkthrough); moving also lifts a blank screen."""
        with self._lock:
            b = self._briefings[token]
            b = replace(b, index=_clamp(index, b.walkthrough), blank=False, version=b.version + 1)
            self._briefings[token] = b
            return b

    def step(self, token: str, delta: int) -> Briefing:
        current = self.get(token)
        assert current is not None
        return self.go(token, current.index + delta)

    def toggle_blank(self, token: str) -> Briefing:
        with self._lock:
            b = self._briefings[token]
            b = replace(b, blank=not b.blank, version=b.version + 1)
            self._briefings[token] = b
            return b


def _clamp(index: int, walkthrough: Walkthrough) -> int:
    return max(0, min(index, len(walkthrough.scenes) - 1))
