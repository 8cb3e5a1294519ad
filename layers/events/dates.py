"""The date forms real incident files carry, and the rule that a file keeps to one.

ACLED's exports wrote `2025-05-16`, `16 May 2025` and, in 2015–2017, `01-January-2015`; other
tools write `16-05-2025` or `16/05/2025`; a spreadsheet re-save writes `9-May-20` or `31-12-19`.
Day first throughout, as ACLED writes. A raw text fits at most one form (`form_of`); `OneForm`
follows a file and names a row whose date is in another form than the file's first."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from layers.events.fields import FieldError, within_range
from layers.events.problems import show


@dataclass(frozen=True)
class DateForm:
    example: str
    pattern: re.Pattern
    formats: tuple[str, ...]

    def parse(self, raw: str) -> date:
        return _parse(self, raw.strip())


FORMS = (
    DateForm("2025-05-16", re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), ("%Y-%m-%d",)),
    DateForm(
        "16 May 2025", re.compile(r"^[0-9]{1,2} [A-Za-z]{3,9} [0-9]{4}$"), ("%d %B %Y", "%d %b %Y")
    ),
    DateForm(
        "01-January-2015",
        re.compile(r"^[0-9]{1,2}-[A-Za-z]{4,9}-[0-9]{4}$"),
        ("%d-%B-%Y", "%d-%b-%Y"),
    ),
    DateForm("16-05-2025", re.compile(r"^[0-9]{1,2}-[0-9]{1,2}-[0-9]{4}$"), ("%d-%m-%Y",)),
    DateForm("16/05/2025", re.compile(r"^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$"), ("%d/%m/%Y",)),
    DateForm("9-May-20", re.compile(r"^[0-9]{1,2}-[A-Za-z]{3}-[0-9]{2}$"), ("%d-%b-%y",)),
    DateForm("31-12-19", re.compile(r"^[0-9]{1,2}-[0-9]{1,2}-[0-9]{2}$"), ("%d-%m-%y",)),
)
FORM_NAMES = ", ".join(f.example for f in FORMS)


def form_of(raw: str) -> DateForm | None:
    text = raw.strip()
    if len(text) > 20:
        return None
    for form in FORMS:
        if form.pattern.match(text):
            return form
    return None


def parse_date(raw: str) -> date:
    """A date in any one of the forms above (ISO, 16 May 2025, 01-January-2015, 16-05-2025,
    16/05/2025, 9-May-20, 31-12-19), from 1900 to a year past today. A file keeps to one
    form: see `OneForm`."""
    form = form_of(raw)
    if form is None:
        raise FieldError(f"expected a date in one of the forms {FORM_NAMES}, got {show(raw)}")
    return form.parse(raw)


@lru_cache(maxsize=65_536)
def _parse(form: DateForm, text: str) -> date:
    for fmt in form.formats:
        try:
            day = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return within_range(day, text)
    raise FieldError(f"expected a date in the form {form.example}, got {show(text)}")


class OneForm:
    """The form of a file's first date; later dates must keep to it."""

    def __init__(self) -> None:
        self.form: DateForm | None = None
        self.first: str = ""

    def check(self, raw: str, where: str) -> str | None:
        """None when `raw` keeps to the file's form (or sets it); else what is wrong."""
        form = form_of(raw)
        if form is None:
            return None  # the parser reports it
        if self.form is None:
            self.form, self.first = form, where
            return None
        if form is self.form:
            return None
        return (
            f"is {show(raw)}, in the form {form.example}, but this file's dates are in the form "
            f"{self.form.example} (first at {self.first}); a file keeps to one form "
            f"(forms read: {FORM_NAMES})"
        )
