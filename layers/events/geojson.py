"""GeoJSON incidents: a FeatureCollection of Point features whose properties carry ACLED's
column names (latitude/longitude may be left out: the point gives them). Every problem names
the feature index and the property."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from layers.boundary.regular import read_bounded
from layers.events.batch import RECORD, Batch, Rejected, parse_record
from layers.events.fields import AREA_OF_INTEREST
from layers.events.problems import EventDataError, ProblemList, RowProblem, show
from layers.events.schema import ACLED_COLUMNS

MAX_BYTES = 1 << 30


def read_geojson(
    path: Path, *, skip_invalid: bool = False, aoi=AREA_OF_INTEREST, progress=None
) -> tuple[Batch, str]:
    name = path.name
    problems = ProblemList(name)
    raw = read_bounded(path, MAX_BYTES)  # FileRefused (an OSError) for a FIFO, a device, too big
    size = len(raw)
    sha256 = hashlib.sha256(raw).hexdigest()
    data = _parse(raw, name)
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        _fail(name, "feature 0", "type", "expected a GeoJSON FeatureCollection at the top")
    if not isinstance(features, list) or not features:
        _fail(name, "feature 0", "features", "expected a non-empty list of features")
    batch = Batch(name)
    for i, feature in enumerate(features, start=1):
        where = f"feature {i}"
        bad = _feature(feature, where, batch, aoi)
        for column, message in bad:
            problems.add(where, column, message)
        if bad and skip_invalid:
            props = feature.get("properties") if isinstance(feature, dict) else None
            raw_props = {k: str(v) for k, v in props.items()} if isinstance(props, dict) else {}
            batch.rejected.append(Rejected(where, raw_props, [f"{c}: {m}" for c, m in bad]))
        if progress and i % 5000 == 0:
            progress(size * i // len(features), size, i)
    batch.settle_repeats(problems)
    if problems and not skip_invalid:
        raise problems.error()
    return batch, sha256


def _fail(name: str, where: str, column: str, message: str) -> None:
    raise EventDataError(name, [RowProblem(name, where, column, message)])


def _parse(raw: bytes, name: str) -> Any:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - raw.rfind(b"\n", 0, exc.start)
        _fail(name, f"line {line}", f"column {column}", "invalid UTF-8; save the file as UTF-8")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        _fail(name, f"line {exc.lineno}", f"column {exc.colno}", f"broken JSON: {exc.msg}")
    except RecursionError:
        _fail(name, "line 1", "column 1", "JSON nested too deeply")


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
    except (TypeError, ValueError):
        return True
