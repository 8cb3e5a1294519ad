"""Problems found in an incident file: each names the file, the line (or feature) and the
column, and says what was expected, like `layers.boundary.problems` does for geodata."""

from __future__ import annotations

import reprlib
from collections.abc import Iterable
from dataclasses import dataclass

from layers.errors import InputError
from layers.events.schema import LIMITS


@dataclass(frozen=True, slots=True)
class RowProblem:
    file: str
    where: str  # "line 17" or "feature 3"
    column: str  # a column name, or "column 12" for a byte position
    message: str

    def __str__(self) -> str:
        if self.where == "top level":  # a member of a JSON file's top object
            return f"{self.file}: top level, member '{self.column}': {self.message}"
        col = self.column if self.column.startswith("column ") else f"column '{self.column}'"
        return f"{self.file}: {self.where}, {col}: {self.message}"


class EventDataError(InputError, ValueError):
    """A file that cannot be imported as it is; carries every problem (up to a limit)."""

    def __init__(self, file: str, problems: Iterable[RowProblem], more: int = 0):
        self.file = file
        self.problems = tuple(problems)
        self.more = more
        listed = "\n".join(f"  {p}" for p in self.problems)
        tail = f"\n  … and {more} more problem(s)" if more else ""
        total = len(self.problems) + more
        super().__init__(f"{file}: {total} problem(s); nothing was imported:\n{listed}{tail}")


class ProblemList:
    """Problems of one file, listed up to a limit and counted beyond it."""

    def __init__(self, file: str, limit: int = LIMITS["listed_problems"]):
        self.file, self.limit = file, limit
        self.listed: list[RowProblem] = []
        self.more = 0

    def add(self, where: str, column: str, message: str) -> None:
        if len(self.listed) < self.limit:
            self.listed.append(RowProblem(self.file, where, column, message))
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.listed)

    def error(self) -> EventDataError:
        return EventDataError(self.file, self.listed, self.more)


_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 80


def show(value: object) -> str:
    """A value quoted for a message, cut short (a big list or object is never written out)."""
    text = _SHORT.repr(value) if isinstance(value, list | dict | tuple) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
