"""briefmap's errors: one family, and the one place per surface that turns them into words.

Every exception briefmap raises for something a person can fix derives from `BriefmapError`,
through one of a few kinds:

- `InputError`: a file or value handed in is wrong (geodata, incident files, walkthroughs,
  report folders, tile archives, dates, markings). Where the error knows them it carries
  `file`, `row` and `field`;
- `StorageError`: a place where briefmap keeps or writes data cannot be used (the event
  store, a refused target path, a full disk, a briefing that is gone);
- `ExportError`: an export that cannot be made as asked;
- `ConfigError`: options a command cannot run with (a port, an address).

Each class keeps the older base it had (ValueError, OSError, RuntimeError, yaml.YAMLError), so
code that caught those still does. A surface catches `BriefmapError` (and OSError, for the file
system's own errors) in one place: the command line through `cli_message` and `exit_code`, the
dashboard through `app_message`. Nothing here imports the rest of briefmap at import time.
"""

from __future__ import annotations


class BriefmapError(Exception):
    """Something a person can act on; the message says what and what to do."""

    exit_code = 1  # the `briefmap` command's exit status when this ends a command


class InputError(BriefmapError):
    """A file or value handed to briefmap that it cannot use as it is."""

    file: str | None = None  # set where known: the file, row (1-based) and field at fault
    row: int | None = None
    field: str | None = None


class StorageError(BriefmapError):
    """A place where briefmap keeps or writes data that cannot be used as asked."""


class ExportError(BriefmapError, ValueError):
    """An export request that cannot be met (unknown layer or actor id, bad date …)."""

    exit_code = 2


class ConfigError(BriefmapError):
    """Options or settings a command cannot run with; the message says what to give."""

    exit_code = 2


def one_line(exc: BaseException, limit: int = 300) -> str:
    """An error's message on one line of at most `limit` characters; a file system error as
    'name: reason' with a long name shortened (ENAMETOOLONG names are thousands long)."""
    if isinstance(exc, OSError) and exc.strerror:
        name = str(exc.filename) if exc.filename is not None else ""
        name = name if len(name) <= 80 else f"{name[:40]}…{name[-20:]}"
        text = f"{name}: {exc.strerror}" if name else exc.strerror
    else:
        text = str(exc) or type(exc).__name__
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cli_message(exc: BaseException, command: str) -> str:
    """The one line `briefmap <command>` prints on stderr for an error it stops on."""
    return f"briefmap {command}: {one_line(exc)}"


def exit_code(exc: BaseException) -> int:
    """The exit status for an error that ends a command: the family member's own (1 for
    bad input or storage, 2 for a request or options that cannot be met), 1 otherwise."""
    return exc.exit_code if isinstance(exc, BriefmapError) else 1


def app_message(exc: BaseException) -> str:
    """An error's message for the dashboard: one line, escaped for Streamlit's Markdown
    (a file name or a value from data shows as typed, never as a link, image or style)."""
    from layers.render.escape import md  # the one Markdown escaper

    file_system = isinstance(exc, OSError) and exc.strerror
    return md(one_line(exc, limit=2000) if file_system else str(exc) or type(exc).__name__)
