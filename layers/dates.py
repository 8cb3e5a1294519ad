"""Dates as the data writes them: a small, strict subset of EDTF, parsed to the calendar period it
covers and said in words at the precision it has.

The subset (Library of Congress EDTF levels 0–1, the forms the reports need):

- a day, month or year: `2025-03-14`, `2025-03`, `2013`, with an optional qualifier at the end:
  `?` uncertain, `~` approximate, `%` both (`2025-11-07?`);
- an interval of two of those: `2024-12/2025-11`; an end may be open (`2013/..`, "since 2013")
  or unknown (`2013/`), but not both.

Years run from 1000 to 2999. Anything else EDTF allows (unspecified digits `2025-XX`, times,
seasons, sets, long or negative years, qualifiers inside a date) is refused with a DateError, so
whatever the validator accepts the app can describe: one grammar serves both.

The period is the strict one: `2013` covers 2013-01-01 … 2013-12-31; an open or unknown end is
None.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from layers.errors import InputError
from layers.model import DateSpan

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
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
MIN_YEAR, MAX_YEAR = 1000, 2999
MAX_LENGTH = 40  # the longest form, 2025-01-01%/2025-12-31%, has 23 characters
_PART = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([?~%]?)$")
_EXPECTED = (
    "expected a date such as 2013, 2025-03, 2025-03-14 or 2025-11-07?, "
    "or an interval such as 2013/.. or 2024-12/2025-11"
)


class DateError(InputError, ValueError):
    """A date string outside the supported subset, or whose period runs backwards."""


def parse_date(text: object) -> DateSpan:
    """Parse a date string into the period it covers; raise DateError if it cannot."""
    if not isinstance(text, str) or not text.strip():
        raise DateError(_EXPECTED)
    if len(text) > MAX_LENGTH:
        raise DateError(f"is {len(text)} characters long; {_EXPECTED}")
    if "/" in text:
        lo_text, sep, hi_text = text.partition("/")
        if "/" in hi_text or lo_text in ("", "..") and hi_text in ("", ".."):
            raise DateError(f"{_quote(text)} is not a supported interval; {_EXPECTED}")
        start = None if lo_text in ("", "..") else _part(lo_text, text)[0]
        end = None if hi_text in ("", "..") else _part(hi_text, text)[1]
    else:
        start, end = _part(text, text)
    if start is not None and end is not None and start > end:
        raise DateError(f"{_quote(text)} ends ({end}) before it starts ({start})")
    return DateSpan(edtf=text, start=start, end=end)


def _part(part: str, whole: str) -> tuple[date, date]:
    """First and last day of one date (`2013`, `2025-03`, `2025-03-14`, each maybe qualified)."""
    m = _PART.match(part)
    if m is None:
        raise DateError(f"{_quote(whole)} is not a supported date; {_EXPECTED}")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateError(f"{_quote(whole)}: expected a year from {MIN_YEAR} to {MAX_YEAR}")
    try:
        if day is not None:
            d = date(year, int(month), int(day))  # type: ignore[arg-type]
            return d, d
        if month is not None:
            mo = int(month)
            return date(year, mo, 1), date(year, mo, calendar.monthrange(year, mo)[1])
    except ValueError as exc:
        raise DateError(f"{_quote(whole)} is not a calendar date ({exc})") from exc
    return date(year, 1, 1), date(year, 12, 31)


def _quote(text: str) -> str:
    return repr(text if len(text) <= 30 else text[:27] + "...")


def day_precise(span: DateSpan) -> bool:
    """True if the date (or an interval's start) names a day, not a month or a year."""
    return len(span.edtf.split("/")[0].rstrip("?~%").split("-")) == 3


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
