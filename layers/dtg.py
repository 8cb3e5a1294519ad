"""Export times: the military date-time group printed on a product, and the sortable UTC stamp
in its file name. Both are UTC."""

from __future__ import annotations

from datetime import UTC, datetime

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def utc_now() -> datetime:
    return datetime.now(UTC).replace(second=0, microsecond=0)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("an export time must carry its time zone")
    return moment.astimezone(UTC)


def dtg(moment: datetime) -> str:
    """`DDHHMMZ MON YY`: 23 November 2025, 14:30 UTC is '231430Z NOV 25'."""
    m = _utc(moment)
    return f"{m:%d%H%M}Z {_MONTHS[m.month - 1]} {m:%y}"


def stamp(moment: datetime) -> str:
    """Sortable UTC time for file names: '20251123T1430Z'."""
    return f"{_utc(moment):%Y%m%dT%H%MZ}"
