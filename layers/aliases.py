"""The one alias table: a single spelling per place, shared by basemap labels and features.

`geodata/basemap/aliases.json` names the places the reports and the features are about
(Albu Kamal, Deir ez-Zor, al-Qa'im, al-Hol, al-Tanf, Qusayr, the capitals …) once, in English
and Arabic, with the spellings other sources use (`variants`). The tile build
(`layers.tiles`) names its towns from it, the feature labels (`layers.render.labels`) take
their place names from it, and the map recognises the variants in a user's own basemap, so
"Abu Kamal" (Natural Earth) and "Ālbū Kamāl" (GeoNames) both show as "Albu Kamal".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from layers.names import normalize
from layers.paths import PROJECT_ROOT

ALIAS_FILE = PROJECT_ROOT / "geodata" / "basemap" / "aliases.json"


@dataclass(frozen=True, slots=True)
class Alias:
    key: str
    en: str
    ar: str
    variants: tuple[str, ...] = ()
    geonames: int | None = None
    naturalearth: int | None = None
    lon: float | None = None
    lat: float | None = None

    def name(self, lang: str) -> str:
        return self.ar if lang == "ar" else self.en

    def source_ids(self) -> tuple[str, ...]:
        """The `coord_source` values of a feature placed on this place's point."""
        ids = []
        if self.geonames is not None:
            ids.append(f"geonames:{self.geonames}")
        if self.naturalearth is not None:
            ids.append(f"naturalearth:{self.naturalearth}")
        return tuple(ids)


@dataclass(frozen=True)
class AliasTable:
    places: tuple[Alias, ...]

    def by_source(self, coord_source: str) -> Alias | None:
        """The place a feature sits on, from its `coord_source` (`geonames:<id>` …)."""
        return _index(self)["source"].get(coord_source)

    def by_name(self, name: str) -> Alias | None:
        """The place any of whose spellings (either language, or a variant) is `name`."""
        return _index(self)["name"].get(normalize(name))

    def for_browser(self) -> list[dict[str, Any]]:
        """What the map needs to respell a user's basemap: key, names, normalized variants."""
        return [
            {
                "key": a.key,
                "en": a.en,
                "ar": a.ar,
                "match": sorted({normalize(v) for v in (a.en, a.ar, *a.variants)}),
            }
            for a in self.places
        ]


@lru_cache(maxsize=8)
def _index(table: AliasTable) -> dict[str, dict[str, Alias]]:
    source: dict[str, Alias] = {}
    names: dict[str, Alias] = {}
    for alias in table.places:
        for ident in alias.source_ids():
            source[ident] = alias
        for spelling in (alias.en, alias.ar, *alias.variants):
            names[normalize(spelling)] = alias
    return {"source": source, "name": names}


def parse_aliases(data: dict[str, Any], display: str = "aliases.json") -> AliasTable:
    """Typed records from the file's JSON; ValueError naming the entry and field otherwise."""
    places = []
    seen: set[str] = set()
    for n, raw in enumerate(data.get("places", []), start=1):
        where = f"{display}: place {n}"
        for field in ("key", "en", "ar"):
            if not isinstance(raw.get(field), str) or not raw[field].strip():
                raise ValueError(f"{where}: field {field!r}: expected a non-empty string")
        if raw["key"] in seen:
            raise ValueError(f"{where}: field 'key': {raw['key']!r} appears twice")
        seen.add(raw["key"])
        variants = raw.get("variants", [])
        if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
            raise ValueError(f"{where}: field 'variants': expected a list of strings")
        has_point = raw.get("lon") is not None and raw.get("lat") is not None
        if has_point != bool(raw.get("geonames") or raw.get("naturalearth")):
            raise ValueError(f"{where}: a point (lon, lat) needs its source id, and vice versa")
        places.append(
            Alias(
                key=raw["key"],
                en=raw["en"],
                ar=raw["ar"],
                variants=tuple(variants),
                geonames=raw.get("geonames"),
                naturalearth=raw.get("naturalearth"),
                lon=raw.get("lon"),
                lat=raw.get("lat"),
            )
        )
    return AliasTable(tuple(places))


@lru_cache(maxsize=4)
def load_aliases(path: Path = ALIAS_FILE) -> AliasTable:
    return parse_aliases(json.loads(path.read_text(encoding="utf-8")), path.name)
