"""GeoJSON incidents: a FeatureCollection of Point features whose properties carry ACLED's
column names (latitude/longitude may be left out: the point gives them). Every problem names
the feature index and the property."""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path
from typing import Any

from layers.boundary.regular import read_bounded
from layers.events.batch import RECORD, Batch, Rejected, Rules, parse_record, undated_revision
from layers.events.jsonscan import Scan
from layers.events.problems import ProblemList, show
from layers.events.rejects import Rejects
from layers.events.schema import ACLED_COLUMNS

# The app's incident uploader takes files up to this size (dashboard/events_panel.py). The
# bytes are held while features are decoded one at a time (`layers.events.jsonscan`).
MAX_BYTES = 200 << 20
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_SAYS = (
    "has a lone surrogate (\\ud800-\\udfff), which is not text; fix the file's escapes"
)


def read_geojson(path: Path, *, skip_invalid: bool = False, progress=None) -> tuple[Batch, str]:
    """Every valid feature as a Batch, and the file's SHA-256. Features are decoded and checked
    one by one (a file of millions of tiny features never becomes millions of objects); at
    most MAX_FEATURES of them, from a file of at most MAX_BYTES."""
    name = path.name
    problems = ProblemList(name)
    raw = read_bounded(path, MAX_BYTES)  # FileRefused (an OSError) for a FIFO, a device, too big
    size = len(raw)
    sha256 = hashlib.sha256(raw).hexdigest()
    scan = Scan(raw, name)
    batch = Batch(name, rejected=Rejects(keep=skip_invalid))
    rules = Rules(undated_revision=undated_revision(time.time()))

    def one(i: int, feature: Any) -> None:
        where = f"feature {i}"
        bad = _feature(feature, where, batch, rules)
        for column, message in bad:
            problems.add(where, column, message)
        if bad and skip_invalid:
            batch.rejected.append(Rejected(where, _raw(feature), [f"{c}: {m}" for c, m in bad]))
        if progress and i % 5000 == 0:
            progress(scan.pos, size, i)

    scan.collection(one)
    batch.undated = rules.used_undated
    batch.settle_repeats(problems)
    if problems and not skip_invalid:
        raise problems.error()
    return batch, sha256


def _raw(feature: Any) -> dict[str, str]:
    """A rejected feature's ACLED properties, as text, for the side file."""
    props = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(props, dict):
        return {}
    return {k: str(v) for k, v in props.items() if k in ACLED_COLUMNS}


def _feature(feature: Any, where: str, batch: Batch, rules: Rules) -> list[tuple[str, str]]:
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

    odd, broken = [], []
    for key, value in props.items():
        if key not in ACLED_COLUMNS:
            continue  # not read
        if isinstance(value, bool | dict | list):
            odd.append((key, f"expected text or a number, got {show(value)}"))
        elif isinstance(value, str) and _SURROGATE.search(value):
            broken.append((key, _SURROGATE_SAYS))
    if odd or broken:
        return odd + broken

    record, bad = parse_record([get(name) for name in RECORD], rules, where)
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
