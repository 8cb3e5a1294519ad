"""Reading a link's values: bounded, comma-separated, with a short note for what is dropped.
Private to `layers.view`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from layers.dates import DateError, parse_date

MAX_PARTS = 200  # comma-separated ids in one value


def params_get(params: Mapping[str, object], key: str) -> str | None:
    value = params.get(key)
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    return value if isinstance(value, str) else None


def show(value: object) -> str:
    from layers.boundary.problems import show as shown  # not at import: boundary imports us

    return shown(value)


def split(params: Mapping[str, object], key: str) -> list[str] | None:
    raw = params_get(params, key)
    if raw is None:
        return None
    return [part.strip() for part in raw.split(",", MAX_PARTS)[:MAX_PARTS] if part.strip()]


def ids(params, key: str, known, notes: list[str]) -> frozenset[str]:
    parts = split(params, key)
    return keep_known(parts, set(known), key, notes) if parts else frozenset()


def keep_known(parts: list[str], known: set[str], key: str, notes: list[str]) -> frozenset[str]:
    unknown = [show(p) for p in parts if p not in known]
    if unknown:
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        notes.append(f"{key}: unknown {', '.join(unknown[:5])}{more}")
    return frozenset(p for p in parts if p in known)


def day(params, key: str, notes: list[str], end: bool) -> date | None:
    raw = params_get(params, key)
    if raw is None:
        return None
    try:
        span = parse_date(raw)
    except DateError:
        notes.append(f"{key}={show(raw)} (expected a date like 2013 or 2025-03-14)")
        return None
    return span.end if end else span.start


def numbers(params, key: str, count: int, notes: list[str]) -> tuple[float, ...] | None:
    parts = split(params, key)
    if parts is None:
        return None
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:  # float() takes 'nan' and 'inf', which _plausible refuses
        values = ()
    if len(values) != count or not _plausible(key, values):
        shape = "lat,lon" if key == "c" else "west,south,east,north"
        notes.append(f"{key}={show(params_get(params, key))} (expected {shape} in degrees)")
        return None
    return values


def _plausible(key: str, values: tuple[float, ...]) -> bool:
    if key == "c":
        lat, lon = values
        return -90 <= lat <= 90 and -180 <= lon <= 180
    w, s, e, n = values
    return -180 <= w < e <= 180 and -90 <= s < n <= 90
