"""What an export is asked for (`Request`), what it gives back (`Product`), and the error for a
combination of options that makes no export (`ProductError`). Shared by the format registry,
its builders and the surfaces that make requests (`briefmap export`, the app's sidebar).

May import: `layers.errors`; the core value types (`layers.model`, `layers.view`) and the event
store's only for type hints. Nothing else of `layers.export`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from layers.errors import ExportError

if TYPE_CHECKING:  # only named here: the registry that imports this stays light
    from layers.events.store import EventSnapshot, EventStore
    from layers.view import View
    from layers.walkthrough import Scene, Walkthrough


class ProductError(ExportError):
    """A combination of options that makes no export (with what to do instead)."""


@dataclass(frozen=True)
class Request:
    fmt: str
    view: View
    when: datetime
    scene: Scene | None = None
    walkthrough: Walkthrough | None = None
    pack: bool = False
    size: str = "slide"
    dpi: int = 300
    title: str | None = None
    classification: str | None = None
    frame: tuple[float, float, float, float] | None = None  # the map's extent (the app's)
    events: EventStore | None = None  # imported incidents to show as the view selects them
    events_snapshot: EventSnapshot | None = None  # one generation of it, if already held
    basemap: Path | None = None  # a user's archive (`--basemap`); None: the shipped one


@dataclass(frozen=True)
class Product:
    data: bytes
    note: str | None = None  # what a person should know about the file (e.g. what it lacks)
    summary: str | None = None  # what it holds, in a few words ("12 features (…)")
