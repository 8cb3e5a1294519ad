"""Strict JSON reading for the boundary: UTF-8, no duplicate keys, no NaN/Infinity."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from layers.boundary.problems import ProblemLog


class _StrictJsonError(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _StrictJsonError(f"key {key!r} appears twice in one object")
        out[key] = value
    return out


def _no_constants(name: str) -> Any:
    raise _StrictJsonError(f"{name} is not allowed in JSON data")


def parse_json(text: str) -> Any:
    """Parse JSON text strictly; raises json.JSONDecodeError or ValueError."""
    return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)


def read_json(path: Path, display: str, log: ProblemLog) -> Any | None:
    """Read one JSON file; on failure log a problem naming the file and return None."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        log.add(display, "", "", "file not found")
        return None
    except OSError as exc:
        log.add(display, "", "", f"cannot be read: {exc.strerror}")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        log.add(display, f"byte {exc.start}", "", "is not UTF-8 text")
        return None
    try:
        return parse_json(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        log.add(display, where, "", f"is not valid JSON: {exc.msg}")
    except _StrictJsonError as exc:
        log.add(display, "", "", f"is not valid JSON data: {exc}")
    return None
