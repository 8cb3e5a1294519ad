"""EDTF dates: parse to the calendar period they cover, and say them in words.

EDTF (Library of Congress Extended Date/Time Format) lets the data say what the reports say:
`2013` (some time in 2013), `2013/..` (since 2013, still open), `2025-11-07?` (uncertain),
`2025-04/2025-05` (between April and May 2025). The period is the strict one: `2013` covers
2013-01-01 … 2013-12-31. An open end (`..`) or an unknown end (empty) is None.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache

from edtf import parse_edtf, struct_time_to_date
from edtf.parser.edtf_exceptions import EDTFParseException
from edtf.parser.parser_classes import UnspecifiedIntervalSection

from layers.model import DateSpan

_MONTHS_EN = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
# Levantine month names, as the reports use them (آذار for March, تشرين الثاني for November).
_MONTHS_AR = (
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
)


class DateError(ValueError):
    """An EDTF string that cannot be read, or whose period runs backwards."""


_PLAIN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_date(text: str) -> DateSpan:
    """Parse an EDTF string into the period it covers; raise DateError if it cannot."""
    if not isinstance(text, str) or not text.strip():
        raise DateError("expected an EDTF date string such as 2013, 2025-03-14 or 2013/..")
    plain = _PLAIN.match(text)
    if plain and not (plain.group(2) and int(plain.group(2)) > 12):  # 21-24: EDTF seasons
        return _plain(text, *plain.groups())
    return _parse_edtf(text)


def _plain(text: str, year: str, month: str | None, day: str | None) -> DateSpan:
    """Level-0 EDTF (YYYY, YYYY-MM, YYYY-MM-DD) without the full grammar: the common case."""
    y = int(year)
    try:
        if day is not None:
            d = date(y, int(month), int(day))  # type: ignore[arg-type]
            return DateSpan(text, d, d)
        if month is not None:
            m = int(month)
            return DateSpan(text, date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1]))
        return DateSpan(text, date(y, 1, 1), date(y, 12, 31))
    except ValueError as exc:
        raise DateError(f"{text!r} is not a valid EDTF date") from exc


@lru_cache(maxsize=4096)
def _parse_edtf(text: str) -> DateSpan:
    try:
        parsed = parse_edtf(text)
    except EDTFParseException as exc:
        raise DateError(f"{text!r} is not a valid EDTF date") from exc
    start, end = _bounds(parsed)
    if start is not None and end is not None and start > end:
        raise DateError(f"{text!r} ends ({end}) before it starts ({start})")
    return DateSpan(edtf=text, start=start, end=end)


def _bounds(parsed: object) -> tuple[date | None, date | None]:
    lower = getattr(parsed, "lower", None)
    upper = getattr(parsed, "upper", None)
    if lower is not None and upper is not None and hasattr(parsed, "lower_strict"):
        # An interval: each end is its own EDTF part; an open or unknown part has no bound.
        return _part_start(lower), _part_end(upper)
    return _part_start(parsed), _part_end(parsed)


def _part_start(part: object) -> date | None:
    if isinstance(part, UnspecifiedIntervalSection):
        return None
    return struct_time_to_date(part.lower_strict())  # type: ignore[attr-defined]


def _part_end(part: object) -> date | None:
    if isinstance(part, UnspecifiedIntervalSection):
        return None
    return struct_time_to_date(part.upper_strict())  # type: ignore[attr-defined]


def describe(span: DateSpan, lang: str = "en") -> str:
    """Say a date at the precision it has: '2013', 'March 2025', '14 Mar 2025', 'since 2013'."""
    text = span.edtf
    uncertain = text.endswith(("?", "%"))
    approximate = text.endswith(("~", "%"))
    core = text.rstrip("?~%")
    if "/" in core:
        lo, hi = core.split("/", 1)
        words = _interval(lo, hi, lang)
    else:
        words = _single(core, lang)
    if approximate:
        words = ("about " if lang == "en" else "نحو ") + words
    if uncertain:
        words += " (?)" if lang == "en" else " (غير مؤكد)"
    return words


def _interval(lo: str, hi: str, lang: str) -> str:
    lo, hi = lo.rstrip("?~%"), hi.rstrip("?~%")
    if hi == "..":
        return ("since " if lang == "en" else "منذ ") + _single(lo, lang)
    if hi == "":
        end = " (end unknown)" if lang == "en" else " (النهاية غير معروفة)"
        return ("from " if lang == "en" else "من ") + _single(lo, lang) + end
    if lo == "..":
        return ("until " if lang == "en" else "حتى ") + _single(hi, lang)
    if lo == "":
        return ("by " if lang == "en" else "بحلول ") + _single(hi, lang)
    return _single(lo, lang) + " – " + _single(hi, lang)


def _single(core: str, lang: str) -> str:
    parts = core.split("-")
    year = parts[0]
    if len(parts) == 1:
        return year
    month = int(parts[1])
    if month > 12:  # EDTF seasons (21-24) are rare here; show them as written
        return core
    if len(parts) == 2:
        name = _MONTHS_AR[month - 1] if lang == "ar" else _month_long(month)
        return f"{name} {year}"
    day = int(parts[2])
    name = _MONTHS_AR[month - 1] if lang == "ar" else _MONTHS_EN[month - 1]
    return f"{day} {name} {year}"


def _month_long(month: int) -> str:
    return date(2000, month, 1).strftime("%B")


def iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None
