"""UCDP GED (the Uppsala Conflict Data Program's Georeferenced Event Dataset) read onto the same
event record as ACLED: one row a row of ACLED's columns, as text, for `batch.parse_record`.

- `id` → `event_id_cnty` `UCDP-<id>` (ACLED's ids and UCDP's never meet);
- `date_start`/`date_end`/`date_prec` → the event date and its precision: a day (1), the week
  around the middle of a span of up to a week (2–3), the month of the start (4–5: UCDP knows
  only the month or the year; the span is named in the tags);
- `type_of_violence` 1, 2, 3 (state-based, non-state, one-sided) → `Battles`, `Battles`,
  `Violence against civilians`, UCDP's name kept as the sub-event type;
- `side_a`/`side_b` → the actors; `where_prec` 1 → a place, 2–3 → near a town or in a
  district, 4–7 → a province, a line, a country or waters (all three drawn as imprecise);
- `best` → fatalities, with UCDP's own caveat in the tags: best estimate, low and high, of
  deaths (all sides and civilians), not ACLED's fatality counts.
UCDP's `country_id` is a Gleditsch–Ward code, not ISO: no `iso` is set, so the swap check
does not judge UCDP points."""

from __future__ import annotations

from datetime import date, timedelta

# present in every GED release; enough to tell a UCDP file from an ACLED one
SIGNATURE = ("id", "date_start", "type_of_violence", "side_a", "where_prec")
REQUIRED = (
    "id",
    "date_start",
    "date_end",
    "date_prec",
    "type_of_violence",
    "side_a",
    "side_b",
    "latitude",
    "longitude",
    "where_prec",
    "best",
)
VIOLENCE = {
    "1": ("Battles", "UCDP: state-based conflict"),
    "2": ("Battles", "UCDP: non-state conflict"),
    "3": ("Violence against civilians", "UCDP: one-sided violence"),
}
WHERE = {"1": "1", "2": "2", "3": "2", "4": "3", "5": "3", "6": "3", "7": "3"}
WHERE_WORDS = {
    "5": "UCDP place: along a line (road, river, border)",
    "6": "UCDP place: the country only",
    "7": "UCDP place: international waters or airspace",
}


def looks_like(header: list[str]) -> bool:
    return all(name in header for name in SIGNATURE)


def _day(raw: str) -> date | None:
    text = raw.strip()[:10]  # GED writes `2019-01-01` or `2019-01-01 00:00:00.000`
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _when(get) -> tuple[str, str, str]:
    """(event_date, time_precision, a tag naming a span wider than a month, or "")."""
    start, end, prec = _day(get("date_start")), _day(get("date_end")), get("date_prec").strip()
    if start is None:
        return get("date_start"), "1", ""  # the date parser names the problem
    end = end or start
    if prec == "1" or start == end:
        return start.isoformat(), "1", ""
    if prec in ("2", "3") and (end - start).days <= 7:
        middle = start + timedelta(days=(end - start).days // 2)
        return middle.isoformat(), "2", ""
    tag = f"UCDP date: from {start.isoformat()} to {end.isoformat()}"
    return start.isoformat(), "3", tag if (end - start).days > 31 else ""


def raws(get) -> dict[str, str]:
    """ACLED's columns, as text, from a UCDP row (`get(name)` gives a cell, "" if absent)."""
    day, precision, span = _when(get)
    kind, sub = VIOLENCE.get(get("type_of_violence").strip(), (get("type_of_violence"), ""))
    where = get("where_prec").strip()
    deaths = (
        f"UCDP deaths (best estimate {get('best').strip() or '?'}, low {get('low').strip() or '?'},"
        f" high {get('high').strip() or '?'}; all sides and civilians)"
    )
    tags = [t for t in (deaths, span, WHERE_WORDS.get(where, "")) if t]
    ident = get("id").strip()
    if ident.endswith(".0"):
        ident = ident[:-2]
    return {
        "event_id_cnty": f"UCDP-{ident}" if ident else "",
        "event_date": day,
        "time_precision": precision,
        "year": get("year"),
        "event_type": kind,
        "sub_event_type": sub,
        "actor1": get("side_a"),
        "actor2": get("side_b"),
        "region": get("region"),
        "country": get("country"),
        "admin1": get("adm_1"),
        "admin2": get("adm_2"),
        "location": get("where_coordinates"),
        "latitude": get("latitude"),
        "longitude": get("longitude"),
        "geo_precision": WHERE.get(where, where),
        "source": get("source_office"),
        "notes": get("source_headline"),
        "fatalities": get("best"),
        "tags": "; ".join(tags),
    }
