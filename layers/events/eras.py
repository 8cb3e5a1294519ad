"""ACLED of every era: historical column names (`ALLY_ACTOR_1` is today's `assoc_actor_1`,
`GEO_PRECIS` the shapefile's `geo_precision`), columns to ignore (`GWNO`, `EVENT_ID_NO_CNTY`,
pandas' unnamed index), and the event types before ACLED's 2019 revision mapped to today's
(`Remote violence` → `Explosions/Remote violence`, `Riots/Protests` → `Riots` where rioters
took part, else `Protests`), keeping the type as filed in the tags. The table is data:
`acled_eras.json` beside this module."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("acled_eras.json")
AS_FILED = "event type as filed: "


@lru_cache(maxsize=1)
def _table() -> dict:
    return json.loads(TABLE.read_text(encoding="utf-8"))


def column_name(raw: str) -> str:
    """Today's name of a header cell (case, spaces and BOM folded), or "" to ignore it."""
    name = raw.strip().strip("\ufeff").strip().lower()
    table = _table()
    if name in table["ignored_columns"] or name.startswith("unnamed:"):
        return ""
    return table["columns"].get(name, name)


def today_type(event_type: str, inter1: str, inter2: str, sub: str) -> tuple[str, str, str]:
    """(event type, sub-event type, a tag keeping the type as filed, or "")."""
    entry = _table()["event_types"].get(event_type.strip().lower())
    if entry is None:
        return event_type, sub, ""
    new = entry["type"]
    if "rioters" in entry and "Rioters" in (inter1, inter2):
        new = entry["rioters"]
    return new, sub or entry["sub"], AS_FILED + event_type


def is_hxl_row(row: list[str]) -> bool:
    """The HXL hashtag row that humanitarian portals (HDX) put under the header."""
    cells = [c.strip() for c in row if c.strip()]
    return bool(cells) and all(c.startswith("#") for c in cells)
