"""GeoJSON incidents: a FeatureCollection of Point features whose properties carry ACLED's
column names (latitude/longitude may be left out: the point gives them). Every problem names
the feature index and the property."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from layers.boundary.regular import read_bounded
from layers.events.batch import RECORD, Batch, Rejected, parse_record
from layers.events.fields import AREA_OF_INTEREST
from layers.events.problems import EventDataError, ProblemList, RowProblem, show
from layers.events.rejects import Rejects
from layers.events.schema import ACLED_COLUMNS

# The app's incident uploader takes files up to this size (dashboard/events_panel.py): the text
# is held while its features are decoded one at a time, never all at once.
MAX_BYTES = 200 << 20
MAX_FEATURES = 1_000_000
_DIGITS = 30  # a longer JSON integer stays text: no field takes it, and Python refuses > 4,300
_WS = re.compile(r"[ \t\n\r]*")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _int_or_text(digits: str) -> int | str:
    return int(digits) if len(digits) <= _DIGITS else digits


_DECODER = json.JSONDecoder(parse_int=_int_or_text)


def read_geojson(
    path: Path, *, skip_invalid: bool = False, aoi=AREA_OF_INTEREST, progress=None
) -> tuple[Batch, str]:
    """Every valid feature as a Batch, and the file's SHA-256. Features are decoded and checked
    one by one (a file of millions of tiny features never becomes millions of objects); at
    most MAX_FEATURES of them, from a file of at most MAX_BYTES."""
    name = path.name
    problems = ProblemList(name)
    raw = read_bounded(path, MAX_BYTES)  # FileRefused (an OSError) for a FIFO, a device, too big
    size = len(raw)
    sha256 = hashlib.sha256(raw).hexdigest()
    scan = _Scan(_decode(raw, name), name)
    del raw
    batch = Batch(name, rejected=Rejects(keep=skip_invalid))

    def one(i: int, feature: Any) -> None:
        where = f"feature {i}"
        bad = _feature(feature, where, batch, aoi)
        for column, message in bad:
            problems.add(where, column, message)
        if bad and skip_invalid:
            batch.rejected.append(Rejected(where, _raw(feature), [f"{c}: {m}" for c, m in bad]))
        if progress and i % 5000 == 0:
            progress(size * scan.pos // max(len(scan.text), 1), size, i)

    scan.collection(one)
    batch.settle_repeats(problems)
    if problems and not skip_invalid:
        raise problems.error()
    return batch, sha256


def _fail(name: str, where: str, column: str, message: str) -> NoReturn:
    raise EventDataError(name, [RowProblem(name, where, column, message)])


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - raw.rfind(b"\n", 0, exc.start)
        _fail(name, f"line {line}", f"column {column}", "invalid UTF-8; save the file as UTF-8")


class _Scan:
    """The top level of a FeatureCollection read by hand, so that the features' list can be
    decoded one feature at a time (each with the json module's own decoder)."""

    def __init__(self, text: str, name: str):
        self.text, self.name, self.pos = text, name, 0

    def collection(self, each: Callable[[int, Any], None]) -> None:
        kind, count, seen = None, 0, False
        if self._peek() != "{":
            _fail(self.name, "feature 0", "type", "expected a GeoJSON FeatureCollection at the top")
        self.pos += 1
        nxt = self._peek()
        while nxt != "}":
            key = self._key()
            self._expect(":")
            if key == "features":
                if seen:
                    self._broken("'features' appears twice in the top object")
                seen, count = True, self._features(each)
            elif key == "type":
                kind = self._value()
            else:
                self._value()
            nxt = self._peek()
            if nxt == ",":
                self.pos += 1
            elif nxt != "}":
                self._broken("expected ',' or '}' after a member of the top object")
        self.pos += 1
        if self._peek():
            self._broken("extra data after the top object")
        if kind != "FeatureCollection":
            _fail(self.name, "feature 0", "type", "expected a GeoJSON FeatureCollection at the top")
        if not count:
            _fail(self.name, "feature 0", "features", "expected a non-empty list of features")

    def _features(self, each: Callable[[int, Any], None]) -> int:
        if self._peek() != "[":
            _fail(self.name, "feature 0", "features", "expected a non-empty list of features")
        self.pos += 1
        count = 0
        if self._peek() == "]":
            self.pos += 1
            return 0
        while True:
            feature = self._value()
            count += 1
            if count > MAX_FEATURES:
                _fail(
                    self.name,
                    f"feature {count}",
                    "features",
                    f"more than {MAX_FEATURES:,} features (the limit); split the file",
                )
            each(count, feature)
            nxt = self._peek()
            self.pos += 1
            if nxt == "]":
                return count
            if nxt != ",":
                self.pos -= 1
                self._broken("expected ',' or ']' after a feature")

    def _peek(self) -> str:
        self.pos = _WS.match(self.text, self.pos).end()
        return self.text[self.pos : self.pos + 1]

    def _expect(self, char: str) -> None:
        if self._peek() != char:
            self._broken(f"expected {char!r}")
        self.pos += 1

    def _key(self) -> str:
        if self._peek() != '"':
            self._broken("expected a property name in double quotes")
        try:
            key, self.pos = json.decoder.scanstring(self.text, self.pos + 1)
        except json.JSONDecodeError as exc:
            self._broken(exc.msg, exc.pos)
        return key

    def _value(self) -> Any:
        self._peek()
        try:
            value, self.pos = _DECODER.raw_decode(self.text, self.pos)
        except json.JSONDecodeError as exc:
            self._broken(exc.msg, exc.pos)
        except RecursionError:
            self._broken("JSON nested too deeply")
        return value

    def _broken(self, message: str, at: int | None = None) -> NoReturn:
        at = self.pos if at is None else at
        line = self.text.count("\n", 0, at) + 1
        column = at - self.text.rfind("\n", 0, at)
        _fail(self.name, f"line {line}", f"column {column}", f"broken JSON: {message}")


def _raw(feature: Any) -> dict[str, str]:
    """A rejected feature's ACLED properties, as text, for the side file."""
    props = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(props, dict):
        return {}
    return {k: str(v) for k, v in props.items() if k in ACLED_COLUMNS}


def _feature(feature: Any, where: str, batch: Batch, aoi) -> list[tuple[str, str]]:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return [("type", f"expected a GeoJSON Feature, got {show(feature)}")]
    geometry, props = feature.get("geometry"), feature.get("properties")
    if not isinstance(props, dict):
        return [("properties", "expected an object of ACLED properties")]
    point = _point(geometry)
    if isinstance(point, str):
        return [("geometry", point)]
    lon, lat = point
    for key, value in (("latitude", lat), ("longitude", lon)):
        given = props.get(key)
        if given not in (None, "") and _differs(given, value):
            return [(key, f"is {show(given)} but the point's coordinate is {value!r}")]

    def get(name: str) -> str | None:
        if name == "latitude":
            return repr(lat)
        if name == "longitude":
            return repr(lon)
        value = props.get(name)
        return None if value is None else str(value)

    odd = [
        (key, f"expected text or a number, got {show(value)}")
        for key, value in props.items()
        if key in ACLED_COLUMNS and isinstance(value, bool | dict | list)
    ]
    if odd:
        return odd
    broken = [
        (key, "has a lone surrogate (\\ud800-\\udfff), which is not text; fix the file's escapes")
        for key, value in props.items()
        if key in ACLED_COLUMNS and isinstance(value, str) and _SURROGATE.search(value)
    ]
    if broken:
        return broken

    record, bad = parse_record([get(name) for name in RECORD], aoi)
    if record is not None:
        batch.add(record, where)
    return bad


def _point(geometry: Any) -> tuple[float, float] | str:
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        kind = geometry.get("type") if isinstance(geometry, dict) else geometry
        return f"expected a Point geometry, got {show(kind)}"
    coords = geometry.get("coordinates")
    if (
        not isinstance(coords, list)
        or len(coords) < 2
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords[:2])
    ):
        return f"expected coordinates [longitude, latitude], got {show(coords)}"
    return float(coords[0]), float(coords[1])


def _differs(given: Any, value: float) -> bool:
    try:
        return abs(float(given) - value) > 1e-6
    except (TypeError, ValueError, OverflowError):
        return True
