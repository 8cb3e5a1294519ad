"""One bounded reader for the TOML files briefmap is handed: the settings file, a marking
scheme, a sign-in file. Each refusal is one sentence the caller puts after the file's name.

What a hostile file can try, and what it gets: a FIFO, a device or an endless file (read at
most `max_bytes`, never waited on: `read_bounded`); bytes that are not UTF-8; text that is not
TOML; arrays or tables nested thousands deep, which make tomllib recurse until Python's stack
runs out (a few KB do it) — refused as nested too deeply, the stack unwound.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from layers.boundary.regular import read_bounded
from layers.errors import InputError


class TomlRefused(InputError, ValueError):
    """Why a TOML file was not read (a sentence without the file's name)."""


def read_toml(path: Path, max_bytes: int, what: str) -> dict[str, Any]:
    """The table the file `path` holds; TomlRefused saying why not. `what` names the kind of
    file in the nesting message ("a settings file")."""
    try:
        raw = read_bounded(path, max_bytes)
    except OSError as exc:
        raise TomlRefused(exc.strerror or str(exc)) from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise TomlRefused("not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise TomlRefused(f"not TOML ({exc})") from None
    except RecursionError:  # tomllib recurses per nested [ or {
        raise TomlRefused(f"nested too deeply to be {what}") from None
