"""Lines of a file a user hands us, read defensively: bounded line length, strict UTF-8 (BOM
allowed), a running SHA-256 and byte count for progress. Undecodable or over-long lines are
reported with their line number and replaced by an empty line, so a CSV reader can go on."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import BinaryIO

from layers.events.problems import ProblemList
from layers.events.schema import LIMITS


class LineReader:
    def __init__(self, handle: BinaryIO, problems: ProblemList, encoding: str = "utf-8"):
        self.handle, self.problems = handle, problems
        self.encoding = encoding
        self.sha256 = hashlib.sha256()
        self.bytes_read = 0
        self.line_no = 0
        self.bad_lines: set[int] = set()

    def __iter__(self) -> Iterator[str]:
        limit = LIMITS["line_bytes"]
        while True:
            raw = self.handle.readline(limit + 1)
            if not raw:
                return
            self.line_no += 1
            self._count(raw)
            if len(raw) > limit and not raw.endswith(b"\n"):
                self._skip_rest()
                self._bad("column 1", f"line is longer than {limit} bytes; is this a CSV file?")
                yield "\n"
                continue
            if b"\x00" in raw:
                at = raw.index(b"\x00") + 1
                self._bad(f"column {at}", "a NUL byte (binary content); expected text")
                yield "\n"
                continue
            if self.line_no == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                yield raw.decode(self.encoding)
            except UnicodeDecodeError as exc:
                byte = raw[exc.start]
                self._bad(
                    f"column {exc.start + 1}",
                    f"invalid {_name(self.encoding)} (byte 0x{byte:02x} at byte {exc.start + 1} "
                    "of the line); save the file as UTF-8, or name its encoding (--encoding)",
                )
                yield "\n"

    def take_bad(self, upto: int) -> set[int]:
        """The unreadable lines up to `upto` (the last line of the record just read), forgotten
        here: a file of millions of bad lines keeps only the record's own."""
        if not self.bad_lines:
            return self.bad_lines
        taken = {n for n in self.bad_lines if n <= upto}
        self.bad_lines -= taken
        return taken

    def _count(self, raw: bytes) -> None:
        self.sha256.update(raw)
        self.bytes_read += len(raw)

    def _skip_rest(self) -> None:
        while True:
            chunk = self.handle.readline(1 << 16)
            self._count(chunk)
            if not chunk or chunk.endswith(b"\n"):
                return

    def _bad(self, column: str, message: str) -> None:
        self.bad_lines.add(self.line_no)
        self.problems.add(f"line {self.line_no}", column, message)

    def drain(self) -> str:
        """Read what is left (so the SHA-256 covers the whole file) and return its hex."""
        for chunk in iter(lambda: self.handle.read(1 << 20), b""):
            self._count(chunk)
        return self.sha256.hexdigest()


def _name(encoding: str) -> str:
    return "UTF-8" if encoding.replace("_", "-").lower() in ("utf-8", "utf8") else encoding
