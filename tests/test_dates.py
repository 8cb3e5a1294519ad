"""EDTF dates: the calendar period each form covers, and period overlap for date filters."""

from datetime import date

import pytest

from layers.dates import DateError, describe, parse_date

D = date


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2013", D(2013, 1, 1), D(2013, 12, 31)),
        ("2025-03", D(2025, 3, 1), D(2025, 3, 31)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        ("2025-03-14", D(2025, 3, 14), D(2025, 3, 14)),
        ("2013/..", D(2013, 1, 1), None),
        ("../2013", None, D(2013, 12, 31)),
        ("2025-11-07?", D(2025, 11, 7), D(2025, 11, 7)),
        ("2025-04~", D(2025, 4, 1), D(2025, 4, 30)),
        ("2024-12/2025-11", D(2024, 12, 1), D(2025, 11, 30)),
        ("2025-01/2025-05-17", D(2025, 1, 1), D(2025, 5, 17)),
    ],
)
def test_period_of_each_form(text, start, end):
    span = parse_date(text)
    assert (span.start, span.end) == (start, end)


@pytest.mark.parametrize(
    "text", ["bogus", "2025-13-01", "2025-02-29", "", "2026-01/2025-01", "14/03/2025"]
)
def test_bad_dates_raise(text):
    with pytest.raises(DateError):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "lo", "hi", "inside"),
    [
        ("2013", D(2013, 1, 1), D(2013, 12, 31), True),
        ("2013", D(2019, 1, 1), D(2019, 12, 31), False),
        ("2013/..", D(2019, 1, 1), D(2019, 12, 31), True),
        ("2013/..", D(2010, 1, 1), D(2012, 12, 31), False),
        ("../2013", D(2000, 1, 1), D(2000, 1, 1), True),
        ("../2013", D(2014, 1, 1), None, False),
        ("2025-03-14", None, D(2025, 3, 14), True),
        ("2025-03-14", D(2025, 3, 15), None, False),
    ],
)
def test_overlap(text, lo, hi, inside):
    assert parse_date(text).overlaps(lo, hi) is inside


@pytest.mark.parametrize(
    ("text", "en", "ar"),
    [
        ("2013", "2013", "2013"),
        ("2025-03", "March 2025", "آذار 2025"),
        ("2025-03-14", "14 Mar 2025", "14 آذار 2025"),
        ("2013/..", "since 2013", "منذ 2013"),
        ("2025-11-07?", "7 Nov 2025 (?)", "7 تشرين الثاني 2025 (غير مؤكد)"),
        (
            "2024-12/2025-11",
            "December 2024 – November 2025",
            "كانون الأول 2024 – تشرين الثاني 2025",
        ),
    ],
)
def test_described_at_its_precision(text, en, ar):
    span = parse_date(text)
    assert describe(span, "en") == en
    assert describe(span, "ar") == ar
