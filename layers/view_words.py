"""A View in plain words, for the line above the map and for export captions:
"Kata'ib Hezbollah and IRGC Quds Force, 2013 – 2025"."""

from __future__ import annotations

import re
from datetime import date

from layers.dates import describe as describe_date
from layers.dates import parse_date
from layers.i18n import pick, t, type_label
from layers.model import Actor, Geodata
from layers.view import View

_PARENTHESIS = re.compile(r"\s*\([^)]*\)\s*$")


def short_name(actor: Actor, lang: str) -> str:
    """The actor's name without its trailing note: 'Iraq (federal government)' -> 'Iraq'."""
    return _PARENTHESIS.sub("", pick(actor.name_en, actor.name_ar, lang))


def join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return t("list_sep", lang).join(items[:-1]) + t("and", lang) + items[-1]


def describe(view: View, geodata: Geodata) -> str:
    lang = view.lang
    parts = []
    if view.actors:
        names = sorted(short_name(geodata.actors[a], lang) for a in view.actors)
        parts.append(join(names, lang))
    if view.types:
        parts.append(join(sorted(type_label(x, lang) for x in view.types), lang))
    dates = date_range_words(view.date_from, view.date_to, lang)
    if dates:
        parts.append(dates)
    if not view.include_undated:
        parts.append(t("dated_only", lang))
    layers = _layer_words(view, geodata, lang)
    if layers:
        parts.append(layers)
    if view.bbox:
        parts.append(t("in_view", lang))
    return t("list_sep", lang).join(parts) if parts else t("everything", lang)


def date_range_words(lo: date | None, hi: date | None, lang: str) -> str:
    if lo is None and hi is None:
        return ""
    if lo is not None and hi is not None:
        if (lo.month, lo.day, hi.month, hi.day) == (1, 1, 12, 31):
            return f"{lo.year}" if lo.year == hi.year else f"{lo.year} – {hi.year}"
        return f"{_day(lo, lang)} – {_day(hi, lang)}"
    if lo is not None:
        return t("from_date", lang, d=_day(lo, lang))
    return t("until_date", lang, d=_day(hi, lang))  # type: ignore[arg-type]


def _day(value: date, lang: str) -> str:
    return describe_date(parse_date(value.isoformat()), lang)


def _layer_words(view: View, geodata: Geodata, lang: str) -> str:
    if view.layers is None:
        return ""
    shown = view.visible_layers(geodata)
    default = [lid for lid, layer in geodata.layers.items() if layer.visible]
    if shown == default:
        return ""
    if not shown:
        return t("no_layers", lang)
    if len(shown) <= 3:
        return join(
            [pick(geodata.layers[x].name_en, geodata.layers[x].name_ar, lang) for x in shown], lang
        )
    return t("layers_some", lang, n=len(shown), total=len(geodata.layers))
