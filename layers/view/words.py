"""A View in plain words, for the line above the map and for export captions:
"Kata'ib Hezbollah and IRGC Quds Force, 2013 – 2025". Each filter says its own words (its
declaration in `layers.view.filters`), in the order of their `words_rank`."""

from __future__ import annotations

from layers.i18n import t
from layers.model import Geodata
from layers.view import filters
from layers.view.phrases import date_range_words, join, short_name
from layers.view.value import View

__all__ = ["date_range_words", "describe", "join", "short_name"]


def describe(view: View, geodata: Geodata) -> str:
    lang = view.lang
    ranked = sorted(filters.declared(), key=lambda spec: spec.words_rank)
    parts = [spec.words(view.filter, geodata, lang) for spec in ranked]
    parts = [p for p in parts if p]
    return t("list_sep", lang).join(parts) if parts else t("everything", lang)
