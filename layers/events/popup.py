"""Popup HTML for the events at one clicked place, built on the server for those events only.
Every value from the data goes through `esc` (HTML and JS template strings)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from layers.events.batch import revision_time
from layers.events.schema import SPREAD_KM
from layers.events.words import w
from layers.render.escape import esc
from layers.render.event_style import type_colour

SHOWN = 12  # events listed in one popup; the rest are counted


def date_label(day: date, time_precision: int, lang: str = "en") -> str:
    """The date at the precision ACLED knows it: a day, a week, or a month."""
    if time_precision == 2:
        lo, hi = day - timedelta(days=3), day + timedelta(days=3)
        return w("week_of", lang, lo=f"{lo:%d %b}", hi=f"{hi:%d %b %Y}")
    if time_precision == 3:
        return w("month_of", lang, month=f"{day:%B %Y}")
    return f"{day:%d %B %Y}"


def place_label(geo_precision: int, lang: str = "en") -> str:
    if geo_precision in SPREAD_KM:
        return w(f"place_{geo_precision}", lang, km=int(SPREAD_KM[geo_precision]))
    return w("place_exact", lang)


def _actors(e: dict[str, Any]) -> str:
    sides = []
    for main, assoc in (("actor1", "assoc_actor_1"), ("actor2", "assoc_actor_2")):
        if e.get(main):
            text = esc(e[main])
            if e.get(assoc):
                text += f" <span class='bm-assoc'>({esc(e[assoc])})</span>"
            sides.append(text)
    return " · ".join(sides)


def dataset(event_id: str) -> str:
    """The dataset an event came from, by its id: UCDP GED's are `UCDP-<id>`."""
    return "UCDP GED" if event_id.startswith("UCDP-") else "ACLED"


def event_html(e: dict[str, Any], lang: str = "en") -> str:
    place = ", ".join(esc(e[k]) for k in ("location", "admin2", "admin1", "country") if e.get(k))
    changed = datetime.fromtimestamp(revision_time(e["timestamp"]), UTC).date().isoformat()
    colour = type_colour(e["event_type"])
    src = dataset(e["event_id_cnty"])
    when = date_label(e["event_date"], e["time_precision"], lang)
    title = esc(e["event_type"]) + (f" — {esc(e['sub_event_type'])}" if e["sub_event_type"] else "")
    return (
        f"<div class='bm-event' data-event='{esc(e['event_id_cnty'])}'>"
        f"<div class='bm-event-title'><span class='bm-dot' style='background:{colour}'></span>"
        f"<b>{title}</b></div>"
        f"<div><b>{w('date', lang)}:</b> {esc(when)}</div>"
        f"<div><b>{w('actors', lang)}:</b> {_actors(e)}</div>"
        f"<div><b>{w('location', lang)}:</b> {place}<br><i>"
        f"{esc(place_label(e['geo_precision'], lang))}</i></div>"
        f"<div><b>{w('fatalities', lang)}:</b> {int(e['fatalities'])} "
        f"({w('estimate', lang, src=src)})</div>"
        f"<div class='bm-notes'>{esc(e['notes'])}</div>"
        f"<div class='bm-event-src'>{w('source', lang)}: {esc(e['source'])} · "
        f"{esc(w('updated', lang, src=src, id=e['event_id_cnty'], day=changed))}</div>"
        "</div>"
    )


def popup_html(events: Sequence[dict[str, Any]], total: int, lang: str = "en") -> str:
    """The first SHOWN events at a place (newest first), and how many more there are."""
    direction = "rtl" if lang == "ar" else "ltr"
    parts = [event_html(e, lang) for e in events[:SHOWN]]
    if total > len(parts):
        parts.append(
            f"<div class='bm-more'>{esc(w('more_here', lang, n=total - len(parts)))}</div>"
        )
    body = "<hr class='bm-sep'>".join(parts)
    return f"<div class='bm-popup bm-event-popup' dir='{direction}'>{body}</div>"
