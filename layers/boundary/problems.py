"""Problems found at the boundary, and a reader that records them instead of raising.

Every problem names the file, the item (feature index and id, row, scene …), the field and
what was expected, so the person who made the file can fix it without reading our code.
"""

from __future__ import annotations

import difflib
import re
import reprlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from layers.errors import InputError
from layers.names import has_arabic, has_latin

T = TypeVar("T")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_PROBLEMS = 200  # a broken file can yield thousands; past this, they are only counted
MAX_TEXT = 4000  # characters in any one text field (a summary, a speaker note)
MAX_ID = 64  # characters in an id
MAX_NAME = 100  # characters of a file name shown in a message


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    item: str
    field: str
    message: str

    def __str__(self) -> str:
        parts = [self.file]
        if self.item:
            parts.append(self.item)
        if self.field:
            parts.append(f"field '{self.field}'")
        return ": ".join(parts) + f": {self.message}"


class GeodataError(InputError):
    """One error carrying every problem found, so all can be fixed in one pass."""

    def __init__(self, problems: Iterable[Problem], total: int | None = None):
        self.problems = tuple(problems)
        self.total = total if total is not None else len(self.problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{self.total} problem(s) in geodata:\n{lines}")


class ProblemLog:
    """Collects problems across files; `at()` gives a reader bound to one item."""

    def __init__(self) -> None:
        self._problems: list[Problem] = []
        self._dropped = 0

    @property
    def problems(self) -> list[Problem]:
        """Every problem up to MAX_PROBLEMS, then one saying how many more there were."""
        if not self._dropped:
            return list(self._problems)
        more = Problem("", "", "", f"... and {self._dropped} more problem(s) not listed")
        return [*self._problems, more]

    @property
    def total(self) -> int:
        """Every problem found, listed or not."""
        return len(self._problems) + self._dropped

    def add(self, file: str, item: str, field: object, message: str) -> None:
        if len(self._problems) >= MAX_PROBLEMS:
            self._dropped += 1
            return
        parts = (short_name(file), item, str(field), message)
        self._problems.append(Problem(*(_printable(p) for p in parts)))

    def at(self, file: str, item: str, data: Mapping[str, Any]) -> Fields:
        return Fields(self, file, item, data)


class Fields:
    """Reads typed values from one mapping, logging a problem for each bad field.

    Each reader returns None (or an empty value) when the field is bad, so parsing goes on
    and the caller can build a record only if `ok` is still true at the end.
    """

    def __init__(
        self, log: ProblemLog, file: str, item: str, data: Mapping[str, Any], prefix: str = ""
    ):
        self.log, self.file, self.item, self.data = log, file, item, data
        self.prefix = prefix
        self.ok = True

    def problem(self, field: object, message: str) -> None:
        self.ok = False
        self.log.add(self.file, self.item, self.prefix + show_key(field), message)

    def unknown(self, allowed: Iterable[str]) -> None:
        """Flag every field not in `allowed`, with the closest known name as a hint."""
        allowed = sorted(allowed)
        for name in sorted(k for k in self.data if k not in allowed):
            close = difflib.get_close_matches(name, allowed, n=1)
            hint = f" (did you mean {show(close[0])}?)" if close else ""
            self.problem(name, f"unknown field{hint}")

    def raw(self, name: str, required: bool = True) -> Any:
        if name not in self.data or self.data[name] is None:
            if required:
                self.problem(name, "is missing (required)")
            return None
        return self.data[name]

    def text(
        self, name: str, required: bool = True, lang: str | None = None, limit: int = MAX_TEXT
    ) -> str | None:
        value = self.raw(name, required)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(name, f"expected non-empty text, got {_show(value)}")
            return None
        if len(value) > limit:
            self.problem(name, f"is {len(value)} characters long (at most {limit})")
            return None
        if lang == "ar" and not has_arabic(value):
            self.problem(name, f"expected Arabic text, got {_show(value)}")
        if lang == "en" and not has_latin(value):
            self.problem(name, f"expected English text, got {_show(value)}")
        return value

    def ident(self, name: str) -> str | None:
        value = self.text(name, limit=MAX_ID)
        if value is not None and not _ID.match(value):
            self.problem(name, f"expected a lower-case id (a-z, 0-9, '-'), got {_show(value)}")
            return None
        return value

    def choice(self, name: str, allowed: Iterable[str], required: bool = True) -> str | None:
        value = self.raw(name, required)
        if value is None:
            return None
        options = sorted(allowed)
        if not isinstance(value, str) or value not in options:
            self.problem(name, f"expected one of {', '.join(options)}; got {_show(value)}")
            return None
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            self.problem(name, f"expected true or false, got {_show(value)}")
            return default
        return value

    def number(
        self, name: str, default: float | None = None, low: float = 0.0, high: float = float("inf")
    ) -> float | None:
        value = self.data.get(name, default)
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not (low <= value <= high)
        ):
            self.problem(name, f"expected a number from {low:g} to {high:g}, got {_show(value)}")
            return default
        return float(value)

    def integer(self, name: str, low: int = 0) -> int | None:
        value = self.raw(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            self.problem(name, f"expected a whole number >= {low}, got {_show(value)}")
            return None
        return value

    def colour(self, name: str, required: bool = True) -> str | None:
        value = self.text(name, required)
        if value is not None and not _COLOUR.match(value):
            self.problem(name, f"expected a colour like #1b9e77, got {_show(value)}")
            return None
        return value

    def text_list(
        self, name: str, required: bool = False, lang: str | None = None
    ) -> tuple[str, ...]:
        value = self.data.get(name)
        if value is None:
            if required:
                self.problem(name, "is missing (required)")
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(name, f"expected a list of non-empty texts, got {_show(value)}")
            return ()
        if len(value) > MAX_LIST or any(len(v) > MAX_TEXT for v in value):
            self.problem(name, f"expected at most {MAX_LIST} texts of {MAX_TEXT} characters each")
            return ()
        if lang == "ar":
            for v in value:
                if not has_arabic(v):
                    self.problem(name, f"expected Arabic text, got {_show(v)}")
        return tuple(value)

    def each(
        self, name: str, read: Callable[[Fields, int], T | None], required: bool = False
    ) -> tuple[T, ...]:
        """Read a list of objects, each through `read(fields_of_item, index)`."""
        value = self.data.get(name)
        if value is None:
            if required:
                self.problem(name, "is missing (required)")
            return ()
        if not isinstance(value, list):
            self.problem(name, f"expected a list, got {_show(value)}")
            return ()
        if len(value) > MAX_LIST:
            self.problem(name, f"has {len(value)} entries (at most {MAX_LIST})")
            return ()
        out: list[T] = []
        for i, entry in enumerate(value):
            if not isinstance(entry, dict):
                self.problem(f"{name}[{i}]", f"expected an object, got {_show(entry)}")
                continue
            sub = Fields(self.log, self.file, self.item, entry, f"{self.prefix}{name}[{i}].")
            record = read(sub, i)
            if not sub.ok:
                self.ok = False
            elif record is not None:
                out.append(record)
        return tuple(out)


MAX_LIST = 500  # entries in any one list field (actors, citations, key points, scenes)
_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxlong, _REPR.maxother = 2, 48, 24, 48
_REPR.maxtuple = _REPR.maxlist = _REPR.maxset = _REPR.maxfrozenset = _REPR.maxdict = 4


def show(value: Any) -> str:
    """A short repr of any value for a message: bounded before it is built, never whole."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"a {value.bit_length()}-bit number"
    text = _REPR.repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_show = show


def show_key(key: object) -> str:
    """A mapping key as a field name: text as it is (bounded), anything else by its repr."""
    if isinstance(key, str):
        return key if len(key) <= MAX_ID else key[: MAX_ID - 3] + "..."
    return show(key)


def _printable(text: str) -> str:
    """Text that can be printed and stored: a lone surrogate (a file name the file system gave
    as undecodable bytes, a value quoted in a message) shows as U+FFFD."""
    return text.encode("utf-8", "replace").decode("utf-8") if _SURROGATE.search(text) else text


_SURROGATE = re.compile("[\ud800-\udfff]")


def short_name(name: str) -> str:
    """A file name as messages show it: long names keep their start and their end."""
    if len(name) <= MAX_NAME:
        return name
    return name[: MAX_NAME // 2 - 2] + "..." + name[-(MAX_NAME // 2 - 1) :]
