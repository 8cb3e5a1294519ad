"""A GeoJSON FeatureCollection read one feature at a time, straight from the file's bytes.

Only the top object is walked by hand; each member and each feature is decoded by the json
module's own decoder from a window of the bytes (16 kB, then 4 MB for a long feature). So a
file of millions of tiny features never becomes millions of objects at once, one feature can
never be bigger than 4 MB of text, and the text is never held twice (bytes and a str, which
Python would widen to 4 bytes a character for one emoji). Integers longer than 30 digits stay
text: no field takes them, and Python refuses to convert more than 4,300 digits.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, NoReturn

from layers.events.problems import EventDataError, RowProblem, show

SMALL, LARGE = 16 << 10, 4 << 20  # bytes of text decoded for one feature: first try, limit
WINDOW = 64 << 10  # bytes of ASCII text decoded once for many small features
MAX_FEATURES = 1_000_000
_MISS = object()
TOP = "top level"  # where a problem of the top object is, not of any one feature
# A `crs` member (GeoJSON of 2008; RFC 7946 dropped it) is accepted when it names lon/lat WGS84
_LONLAT_CRS = (
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "EPSG:4326",
    "urn:ogc:def:crs:EPSG::4326",
    "urn:ogc:def:crs:EPSG:4326",
)
_DIGITS = 30
_WS = re.compile(rb"[ \t\n\r]*")


def _int_or_text(digits: str) -> int | str:
    return int(digits) if len(digits) <= _DIGITS else digits


_DECODER = json.JSONDecoder(parse_int=_int_or_text)


def fail(name: str, where: str, column: str, message: str) -> NoReturn:
    raise EventDataError(name, [RowProblem(name, where, column, message)])


class Scan:
    """`collection(each)` calls `each(n, feature)` for feature 1, 2, … in file order."""

    def __init__(self, raw: bytes, name: str):
        self.raw, self.name = raw, name
        self.pos = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
        self._window: tuple[int, str] = (0, "")

    def collection(self, each: Callable[[int, Any], None]) -> None:
        kind, count, seen = None, 0, False
        if self._peek() != b"{":
            fail(self.name, TOP, "type", "expected a GeoJSON FeatureCollection at the top")
        self.pos += 1
        nxt = self._peek()
        while nxt != b"}":
            if nxt != b'"':
                self._broken("expected a property name in double quotes")
            key = self._value()
            self._expect(b":")
            if key == "features":
                if seen:
                    self._broken("'features' appears twice in the top object")
                seen, count = True, self._features(each)
            elif key == "type":
                kind = self._value()
            elif key == "crs":
                _check_crs(self.name, self._value())
            else:
                self._value()
            nxt = self._peek()
            if nxt == b",":
                self.pos += 1
                nxt = self._peek()
                if nxt == b"}":
                    self._broken("a comma before '}'")
            elif nxt != b"}":
                self._broken("expected ',' or '}' after a member of the top object")
        self.pos += 1
        if self._peek():
            self._broken("extra data after the top object")
        if kind != "FeatureCollection":
            got = f", got {show(kind)}" if kind is not None else " (no 'type' member)"
            fail(self.name, TOP, "type", f"expected a GeoJSON FeatureCollection at the top{got}")
        if not count:
            fail(self.name, TOP, "features", "expected a non-empty list of features")

    def _features(self, each: Callable[[int, Any], None]) -> int:
        if self._peek() != b"[":
            fail(self.name, TOP, "features", "expected a non-empty list of features")
        self.pos += 1
        if self._peek() == b"]":
            self.pos += 1
            return 0
        count = 0
        while True:
            count += 1
            if count > MAX_FEATURES:
                limit = f"more than {MAX_FEATURES:,} features (the limit); split the file"
                fail(self.name, f"feature {count}", "features", limit)
            each(count, self._value(f"feature {count}"))
            nxt = self._peek()
            if nxt == b"]":
                self.pos += 1
                return count
            if nxt != b",":
                self._broken("expected ',' or ']' after a feature")
            self.pos += 1

    def _peek(self) -> bytes:
        self.pos = _WS.match(self.raw, self.pos).end()
        return self.raw[self.pos : self.pos + 1]

    def _expect(self, char: bytes) -> None:
        if self._peek() != char:
            self._broken(f"expected {char.decode()!r}")
        self.pos += 1

    def _value(self, what: str = "a value") -> Any:
        """The JSON value at the current position, decoded from a window of the bytes."""
        self._peek()
        value = self._from_window()
        if value is not _MISS:
            return value
        for size in (SMALL, LARGE):
            end = min(self.pos + size, len(self.raw))
            text, cut = self._text(end)
            try:
                value, stop = _DECODER.raw_decode(text)
            except json.JSONDecodeError as exc:
                if end == len(self.raw) or _genuine(exc, len(text)):
                    self._broken(exc.msg, self.pos + len(text[: exc.pos].encode("utf-8")))
                continue  # cut short: try the larger window
            except RecursionError:
                self._broken("JSON nested too deeply")
            if stop == len(text) and end < len(self.raw):
                continue  # a number cut short by the window decodes, but is not all there
            self.pos += len(text[:stop].encode("utf-8")) if stop < len(text) else cut
            return value
        fail(self.name, what, "features", f"longer than {LARGE >> 20} MB of text (the limit)")

    def _from_window(self) -> Any:
        """The value here decoded from a kept window of ASCII text (most files are ASCII:
        one decoded window then serves many small features), or _MISS."""
        start, text = self._window
        off = self.pos - start
        if not 0 <= off < len(text) - 1:
            chunk = self.raw[self.pos : self.pos + WINDOW]
            if not chunk.isascii():
                return _MISS
            start, text, off = self.pos, chunk.decode("ascii"), 0
            self._window = (start, text)
        try:
            value, stop = _DECODER.raw_decode(text, off)
        except (json.JSONDecodeError, RecursionError):
            return _MISS  # the general path tells a broken value from a cut one
        if stop == len(text) and start + len(text) < len(self.raw):
            return _MISS
        self.pos = start + stop
        return value

    def _text(self, end: int) -> tuple[str, int]:
        """The bytes from here to `end` as text (a character cut by the window left out), and
        how many bytes that text is."""
        chunk = self.raw[self.pos : end]
        try:
            return chunk.decode("utf-8"), len(chunk)
        except UnicodeDecodeError as exc:
            if end < len(self.raw) and exc.start >= len(chunk) - 3:
                try:
                    return chunk[: exc.start].decode("utf-8"), exc.start
                except UnicodeDecodeError as inner:
                    exc = inner
            self.pos += exc.start
            self._broken_utf8()

    def _broken(self, message: str, at: int | None = None) -> NoReturn:
        line, column = self._place(self.pos if at is None else at)
        fail(self.name, line, column, f"broken JSON: {message}")

    def _broken_utf8(self) -> NoReturn:
        line, column = self._place(self.pos)
        fail(self.name, line, column, "invalid UTF-8; save the file as UTF-8")

    def _place(self, at: int) -> tuple[str, str]:
        line = self.raw.count(b"\n", 0, at) + 1
        column = at - self.raw.rfind(b"\n", 0, at)
        return f"line {line}", f"column {column}"


def _check_crs(name: str, crs: Any) -> None:
    """A `crs` that names anything but WGS84 longitude/latitude is refused: the points would be
    read as degrees when they are metres or another datum's."""
    if crs is None:
        return
    props = crs.get("properties") if isinstance(crs, dict) else None
    named = props.get("name") if isinstance(props, dict) else None
    if isinstance(named, str) and named.strip() in _LONLAT_CRS:
        return
    fail(
        name,
        TOP,
        "crs",
        f"names the coordinate system {show(named if named is not None else crs)}; briefmap "
        "reads WGS84 longitude/latitude only (RFC 7946): reproject the file to EPSG:4326",
    )


def _genuine(exc: json.JSONDecodeError, length: int) -> bool:
    """A decoding error that is not just the window cutting the value short."""
    return exc.pos < length - 8 and not exc.msg.startswith("Unterminated string")
