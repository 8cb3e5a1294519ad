"""Strict JSON reading for the boundary: UTF-8, no duplicate keys, no NaN/Infinity, and bounded
size and depth, so a hostile file is refused with a problem rather than a crash or a stall."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from layers.boundary.problems import ProblemLog, show
from layers.boundary.regular import FileRefused, read_bounded
from layers.boundary.text import check_text
from layers.errors import InputError

MAX_BYTES = 64_000_000  # one geodata file; the shipped ones are under 1 MB
MAX_DEPTH = 32  # a MultiPolygon feature nests 7 deep


class _StrictJsonError(InputError, ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _StrictJsonError(f"key {show(key)} appears twice in one object")
        out[key] = value
    return out


def _no_constants(name: str) -> Any:
    raise _StrictJsonError(f"{name} is not allowed in JSON data")


def depth_of(value: Any, limit: int = MAX_DEPTH) -> int:
    """Nesting depth of lists and objects, counted without recursion; stops past `limit`."""
    depth, level = 0, [value]
    while level and depth <= limit:
        below = []
        for item in level:
            if isinstance(item, dict):
                below.extend(item.values())
            elif isinstance(item, list):
                below.extend(item)
        if not below and not any(isinstance(i, dict | list) for i in level):
            break
        depth += 1
        level = below
    return depth


def parse_json(text: str) -> Any:
    """Parse JSON text strictly; raises json.JSONDecodeError or ValueError (too deep, a number
    too long, a duplicate key, NaN)."""
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except RecursionError:
        raise _StrictJsonError(f"nests deeper than {MAX_DEPTH} levels") from None
    if depth_of(data) > MAX_DEPTH:
        raise _StrictJsonError(f"nests deeper than {MAX_DEPTH} levels")
    return data


def read_json(path: Path, display: str, log: ProblemLog, max_bytes: int = MAX_BYTES) -> Any | None:
    """Read one JSON file; on failure log a problem naming the file and return None."""
    try:
        raw = read_bounded(path, max_bytes)
    except FileNotFoundError:
        log.add(display, "", "", "file not found")
        return None
    except FileRefused as exc:
        log.add(display, "", "", str(exc.strerror))
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
        data = parse_json(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        log.add(display, where, "", f"is not valid JSON: {exc.msg}")
        return None
    except ValueError as exc:  # _StrictJsonError, or a number past Python's digit limit
        log.add(display, "", "", f"is not valid JSON data: {str(exc)[:160]}")
        return None
    return check_text(data, display, log)  # logs and replaces characters that are not text
