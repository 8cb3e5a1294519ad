"""One raw value (text from a CSV cell or a GeoJSON property) to one typed value, or a
FieldError saying what was expected. Dates and precisions are cached: they repeat."""

from __future__ import annotations

import calendar
import re
import time
from datetime import date, timedelta
from functools import lru_cache

from layers.errors import InputError
from layers.events.problems import show
from layers.events.schema import INTER_CODES, LIMITS

_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
_INT = re.compile(r"^[+-]?[0-9]+$")
# a decimal number as spreadsheets and ACLED write it: no underscores, hex, inf or nan
_DECIMAL = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?$")
_DIGITS = 30  # a longer number is out of any range here, and Python refuses > 4,300 digits
_EPOCH = date(1970, 1, 1)
EARLIEST = date(1900, 1, 1)
# R's write.csv, pandas and spreadsheets write these for an empty cell
MISSING = frozenset({"na", "n/a", "null", "nan", "none", "#n/a"})


class FieldError(InputError, ValueError):
    """What was expected of a value."""


def missing(raw: str) -> bool:
    """True for an empty cell or a spreadsheet's word for one (NA, N/A, NULL, nan)."""
    value = raw.strip()
    return not value or (len(value) <= 4 and value.lower() in MISSING)


def latest_date() -> date:
    """The latest event date accepted: a year past today."""
    today = date.today()
    return (
        today.replace(year=today.year + 1)
        if (today.month, today.day) != (2, 29)
        else (today + timedelta(days=365))
    )


def within_range(day: date, raw: str) -> date:
    if not EARLIEST <= day <= latest_date():
        raise FieldError(
            f"expected a date from {EARLIEST.isoformat()} to {latest_date().isoformat()}, "
            f"got {show(raw)}"
        )
    return day


@lru_cache(maxsize=65_536)
def period(day: date, time_precision: int) -> tuple[int, int]:
    """Days since 1970 of the first and last day the date stands for: the day itself (1),
    the week around it (2: ACLED knows the week), or its month (3: ACLED knows the month)."""
    if time_precision == 2:
        lo, hi = day - timedelta(days=3), day + timedelta(days=3)
    elif time_precision == 3:
        last = calendar.monthrange(day.year, day.month)[1]
        lo, hi = day.replace(day=1), day.replace(day=last)
    else:
        lo = hi = day
    return (lo - _EPOCH).days, (hi - _EPOCH).days


def event_id(raw: str) -> str:
    text = raw.strip()
    if not _ID.match(text):
        raise FieldError(f"expected an event id like SYR12345 (letters, digits), got {show(raw)}")
    return text


def text(raw: str, required: bool = False) -> str:
    value = raw.strip()
    if required and not value:
        raise FieldError("expected text, got an empty value")
    if len(value) > LIMITS["field_chars"]:
        raise FieldError(f"is {len(value)} characters long (limit {LIMITS['field_chars']})")
    return value


def integer(raw: str, low: int, high: int, default: int | None = None) -> int:
    value = raw.strip()
    if not value and default is not None:
        return default
    if len(value) > _DIGITS:
        raise FieldError(
            f"expected a whole number from {low} to {high}, got {show(raw)} "
            f"({len(value):,} characters)"
        )
    if _INT.match(value):
        number = int(value)
    else:
        as_float = float(value) if _DECIMAL.match(value) else float("nan")
        if not as_float.is_integer():
            raise FieldError(f"expected a whole number from {low} to {high}, got {show(raw)}")
        number = int(as_float)
    if not low <= number <= high:
        raise FieldError(f"expected a whole number from {low} to {high}, got {show(raw)}")
    return number


def degrees(raw: str, limit: float, name: str) -> float:
    text = raw.strip()
    if len(text) > _DIGITS or not _DECIMAL.match(text):
        raise FieldError(f"expected {name} in decimal degrees, got {show(raw)}")
    value = float(text)
    if not -limit <= value <= limit or value != value:
        raise FieldError(f"expected {name} from {-limit:g} to {limit:g}, got {show(raw)}")
    return value


def timestamp(raw: str) -> int:
    """ACLED's `timestamp` (Unix seconds of the last change): no later than a day past now,
    so no row can pin its revision against every later file."""
    latest = int(time.time()) + 86_400
    value = integer(raw, 0, 10**11)
    if value > latest:
        raise FieldError(
            f"is {value}, later than a day past now ({latest}); a revision's time cannot be "
            "in the future"
        )
    return value


def actor_type(raw: str) -> str:
    """inter1/inter2: a number (older files) or the words (newer files), kept as words."""
    value = raw.strip()
    if value in INTER_CODES:
        return INTER_CODES[value]
    if _INT.match(value):
        raise FieldError(f"expected an ACLED actor type code 0-8 or its name, got {show(raw)}")
    return text(value)


def interaction(raw: str) -> str:
    """A two-digit code such as 12 (older files) or words such as 'State forces-Rebel group'."""
    value = raw.strip()
    if not _INT.match(value):
        return text(value)
    digits = value.lstrip("+")
    if len(digits) == 1:
        digits = "0" + digits
    if len(digits) != 2 or any(d not in INTER_CODES for d in digits):
        raise FieldError(f"expected an ACLED interaction code like 12 or 37, got {show(raw)}")
    names = [INTER_CODES[d] for d in digits if INTER_CODES[d]]
    return "-".join(names) if len(names) == 2 else (f"{names[0]} only" if names else "")


def listing(raw: str) -> str:
    """`;`-separated actors or tags, tidied to `a; b`."""
    value = text(raw)
    if ";" not in value:
        return value
    parts = [p.strip() for p in value.split(";")]
    return "; ".join(p for p in parts if p)
