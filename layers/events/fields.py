"""One raw value (text from a CSV cell or a GeoJSON property) to one typed value, or a
FieldError saying what was expected. Dates and precisions are cached: they repeat."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from layers.events.problems import show
from layers.events.schema import INTER_CODES, LIMITS

# (west, south, east, north): where a point must not turn out to be lat/lon swapped.
AREA_OF_INTEREST = (25.0, 20.0, 60.0, 40.5)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DMY_DATE = re.compile(r"^\d{2}-\d{2}-\d{4}$")
_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
_INT = re.compile(r"^[+-]?\d+$")
_DIGITS = 30  # a longer number is out of any range here, and Python refuses > 4,300 digits
_EPOCH = date(1970, 1, 1)


class FieldError(ValueError):
    """What was expected of a value."""


@lru_cache(maxsize=65_536)
def parse_date(raw: str) -> date:
    """`2025-05-16`, `16-05-2025` or `16 May 2025` (also `16 January 2025`)."""
    text = raw.strip()
    try:
        if _ISO_DATE.match(text):
            return date.fromisoformat(text)
        if _DMY_DATE.match(text):
            return datetime.strptime(text, "%d-%m-%Y").date()
        for fmt in ("%d %B %Y", "%d %b %Y"):
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    except ValueError:
        pass
    raise FieldError(f"expected a date like 2025-05-16, 16-05-2025 or 16 May 2025, got {show(raw)}")


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
        try:
            as_float = float(value)
        except ValueError:
            as_float = float("nan")
        if not as_float.is_integer():
            raise FieldError(f"expected a whole number from {low} to {high}, got {show(raw)}")
        number = int(as_float)
    if not low <= number <= high:
        raise FieldError(f"expected a whole number from {low} to {high}, got {show(raw)}")
    return number


def degrees(raw: str, limit: float, name: str) -> float:
    try:
        value = float(raw.strip())
    except ValueError:
        raise FieldError(f"expected {name} in decimal degrees, got {show(raw)}") from None
    if not -limit <= value <= limit or value != value:
        raise FieldError(f"expected {name} from {-limit:g} to {limit:g}, got {show(raw)}")
    return value


# Rough country boxes (west, south, east, north), padded by 0.5 degrees below, by ACLED's
# numeric ISO code: used only to tell swapped coordinates from real ones.
COUNTRY_BOXES = {
    368: (38.79, 29.06, 48.57, 37.38),  # Iraq
    760: (35.70, 32.31, 42.38, 37.32),  # Syria
    792: (25.66, 35.81, 44.82, 42.11),  # Turkey
    400: (34.92, 29.18, 39.30, 33.38),  # Jordan
    422: (35.10, 33.05, 36.63, 34.69),  # Lebanon
    364: (44.03, 25.06, 63.33, 39.78),  # Iran
    682: (34.50, 16.35, 55.67, 32.16),  # Saudi Arabia
    376: (34.27, 29.49, 35.90, 33.34),  # Israel
    275: (34.20, 31.20, 35.60, 32.60),  # Palestine
    414: (46.55, 28.52, 48.43, 30.10),  # Kuwait
}


def _inside(lat: float, lon: float, box, pad: float = 0.0) -> bool:
    w, s, e, n = box
    return w - pad <= lon <= e + pad and s - pad <= lat <= n + pad


def swapped(lat: float, lon: float, iso: int = 0, aoi=AREA_OF_INTEREST) -> bool:
    """True when the point is well away from its country (2 degrees; or, country unknown,
    outside the area of interest) but inside it with latitude and longitude exchanged: the
    usual sign of swapped columns. A point near its country is never called swapped, even
    where latitude and longitude are close (the Syrian coast: 35.5 N, 35.2 E)."""
    if iso in COUNTRY_BOXES:
        box = COUNTRY_BOXES[iso]
        return not _inside(lat, lon, box, 2.0) and _inside(lon, lat, box, 0.5)
    return not _inside(lat, lon, aoi) and _inside(lon, lat, aoi)


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
