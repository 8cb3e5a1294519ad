"""The pieces a view's words are made of: an actor's short name, a list joined as a person
would say it, a date range ("2013 – 2025", "from 14 March 2025")."""

from __future__ import annotations

import re
from datetime import date

from layers.dates import describe as describe_date
from layers.dates import parse_date
from layers.i18n import pick, t
from layers.model import Actor

_PARENTHESIS = re.compile(r"\s*\([^)]*\)\s*$")


def short_name(actor: Actor, lang: str) -> str:
    """The actor's name without its trailing note: 'Iraq (federal government)' -> 'Iraq'."""
    return _PARENTHESIS.sub("", pick(actor.name_en, actor.name_ar, lang))


def join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return t("list_sep", lang).join(items[:-1]) + t("and", lang) + items[-1]


def date_range_words(lo: date | None, hi: date | None, lang: str) -> str:
    if lo is None and hi is None:
        return ""
    if lo is not None and hi is not None:
        if (lo.month, lo.day, hi.month, hi.day) == (1, 1, 12, 31):
            return f"{lo.year}" if lo.year == hi.year else f"{lo.year} – {hi.year}"
        return f"{day_words(lo, lang)} – {day_words(hi, lang)}"
    if lo is not None:
        return t("from_date", lang, d=day_words(lo, lang))
    return t("until_date", lang, d=day_words(hi, lang))  # type: ignore[arg-type]


def day_words(value: date, lang: str) -> str:
    return describe_date(parse_date(value.isoformat()), lang)
