"""Text a file may hold: every string (keys too) of a parsed JSON or YAML value is checked once,
right after parsing, so nothing downstream meets text it cannot store or show.

Refused, naming the file, the item (its path in the file) and the field:
- lone surrogates (U+D800-U+DFFF), which JSON `\\ud800` and YAML `"\\ud800"` escapes produce:
  they cannot be written as UTF-8, so a value holding one breaks the first export, store or page
  that writes it;
- C0 control characters other than tab, line feed and carriage return (and DEL): they have no
  meaning in a name or a note, are invisible on screen and are refused by XML (PPTX, SVG).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from typing import Any

from layers.boundary.problems import ProblemLog, show

_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_MARK = "\ufffd"
MAX_TEXT_PROBLEMS = 10  # per file: one bad export usually repeats the same character


def _why(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if "\ud800" <= char <= "\udfff":
        return f"holds {code}, half of a surrogate pair on its own, which is not text"
    return f"holds the control character {code}; only tab and line breaks are allowed"


class _Index(str):
    """A list position in a path, shown with the record's id when it has one: `[3] (id 'x')`."""


def _index(i: int, entry: Any) -> _Index:
    ident = entry.get("id") if isinstance(entry, dict) else None
    props = entry.get("properties") if isinstance(entry, dict) else None
    if ident is None and isinstance(props, dict):
        ident = props.get("id")
    return _Index(f"[{i}]" + (f" (id {show(ident)})" if isinstance(ident, str) else ""))


def _where(path: list[str]) -> tuple[str, str]:
    """(item, field) for a path: the field is the last key with the list positions after it."""
    keys = [i for i, part in enumerate(path) if not isinstance(part, _Index)]
    if not keys:
        return _join(path), ""
    return _join(path[: keys[-1]]), _join(path[keys[-1] :])


def _join(parts: list[str]) -> str:
    out = ""
    for part in parts:
        out += part if isinstance(part, _Index) or not out else f".{part}"
    return out


def bad_text(data: Any) -> Iterator[tuple[str, str, str]]:
    """(item, field, message) for each string in `data` holding a refused character; each such
    string (or key) is replaced in place by one showing U+FFFD there, so the checks that follow
    read text that can be printed, and name their own problems rather than crash."""
    queue: deque[tuple[list[str], Any]] = deque([([], data)])
    while queue:
        path, value = queue.popleft()
        if isinstance(value, dict):
            for key in list(value):
                found = _BAD.search(key) if isinstance(key, str) else None
                if found:
                    yield _join(path), f"key {_BAD.sub(_MARK, key)[:40]}", _why(found.group())
                    value[_BAD.sub(_MARK, key)] = value.pop(key)
            items = [(key, key, inner) for key, inner in value.items()]
        elif isinstance(value, list):
            items = [(i, _index(i, inner), inner) for i, inner in enumerate(value)]
        else:
            continue
        for key, part, inner in items:
            if isinstance(inner, str):
                found = _BAD.search(inner)
                if found:
                    yield (*_where([*path, part]), _why(found.group()))
                    value[key] = _BAD.sub(_MARK, inner)
            elif isinstance(inner, dict | list):
                queue.append(([*path, part], inner))


def check_text(data: Any, file: str, log: ProblemLog) -> Any:
    """Log each refused character in `data` (up to MAX_TEXT_PROBLEMS) and return `data` with
    them replaced (a top-level string is returned replaced)."""
    if isinstance(data, str):
        data = [data]
        top = True
    else:
        top = False
    found = 0
    for item, field, message in bad_text(data):
        found += 1
        if found <= MAX_TEXT_PROBLEMS:
            log.add(file, item.removeprefix("[0]") if top else item, field, message)
    if found > MAX_TEXT_PROBLEMS:
        log.add(file, "", "", f"... and {found - MAX_TEXT_PROBLEMS} more text(s) like these")
    return data[0] if top else data
