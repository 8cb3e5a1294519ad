"""A place hierarchy a reader trusts: cities under their common names and ranked by
population, a city's sections (GeoNames lists them as towns, some with the whole city's
population) below it and never in its place, and Arabic names from the sources we ship.

Read from the committed archive (what the map draws) and from the merge itself on small
fixtures (how it decides)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from layers.tiles.places import places
from layers.tiles.sources import load
from layers.tiles.towns import Town, arabic_name, fold, merge_namesakes, merge_natural_earth
from tests.test_tiles import ARCHIVE


def towns_near(lon: float, lat: float, zoom: int, r: float = 0.25) -> list[dict]:
    """The towns the web map can label at Leaflet `zoom` around (lon, lat)."""
    found = places(ARCHIVE, (lon - r, lat - r, lon + r, lat + r), zoom)
    return [
        {**p.props, "lon": p.lon, "lat": p.lat} for p in found if p.props.get("kind") == "locality"
    ]


def one(towns: list[dict], name: str) -> dict:
    hits = [t for t in towns if t["name"] == name]
    assert len(hits) == 1, (name, sorted(t["name"] for t in towns))
    return hits[0]


# (lon, lat, English, Arabic) of the cities the reports' readers know first
CITIES = [
    (43.14, 36.34, "Mosul", "الموصل"),
    (47.81, 30.51, "Basra", "البصرة"),
    (37.16, 36.20, "Aleppo", "حلب"),
    (36.72, 34.73, "Homs", "حمص"),
    (39.01, 35.94, "Ar Raqqah", "الرقة"),
    (44.40, 33.34, "Baghdad", "بغداد"),
]


@pytest.mark.parametrize(("lon", "lat", "en", "ar"), CITIES)
def test_cities_are_named_by_their_common_name_and_drawn_as_cities(lon, lat, en, ar):
    at6 = towns_near(lon, lat, 6)
    city = one(at6, en)
    assert city.get("name:ar") == ar
    assert "yes" in (city.get("major"), city.get("capital"))  # the capitals' style, not a village's
    # the largest town the map names there at zoom 6 is the city itself
    assert max(at6, key=lambda t: t["population"])["name"] == en


@pytest.mark.parametrize(
    ("lon", "lat", "city", "section"),
    [
        (43.14, 36.34, "Mosul", "Al Mawsil al Jadidah"),
        (47.81, 30.51, "Basra", "Al Basrah al Qadimah"),
        (44.40, 33.34, "Baghdad", "Sadr City"),
    ],
)
def test_a_citys_sections_come_below_it_never_in_its_place(lon, lat, city, section):
    at7 = {t["name"] for t in towns_near(lon, lat, 7)}
    assert city in at7 and section not in at7
    at8 = towns_near(lon, lat, 8)
    part, whole = one(at8, section), one(at8, city)
    assert part["kind_detail"] == "suburb" and "major" not in part
    assert part["min_zoom"] >= whole["min_zoom"] + 2


def test_turkish_and_iranian_cities_carry_natural_earths_arabic_names():
    """Every place in Turkey and Iran that Natural Earth names in Arabic is named so."""
    wanted = [
        f
        for f in load("places")
        if f["properties"].get("adm0_a3") in ("TUR", "IRN") and f["properties"].get("name_ar")
    ]
    assert len(wanted) >= 5
    for f in wanted:
        lon, lat = f["geometry"]["coordinates"]
        near = [
            t
            for t in towns_near(lon, lat, 9, r=0.1)
            if math.hypot(t["lon"] - lon, t["lat"] - lat) < 0.1
        ]
        arabic = {t.get("name:ar") for t in near}
        assert f["properties"]["name_ar"] in arabic, (f["properties"]["name"], arabic)


def test_arabic_names_keep_the_article_the_english_name_has():
    assert arabic_name(["الرقة", "رقه"], "Ar Raqqah") == "الرقة"
    assert arabic_name(["حمص", "مدينة حمص"], "Homs") == "حمص"
    assert fold("Al-Mawsil") == fold("Mawsil") == "mawsil"


def _fixture_places(tmp: Path, items: list[tuple]) -> Path:
    features = [
        {
            "type": "Feature",
            "properties": {
                "ne_id": i,
                "name": name,
                "namealt": alt,
                "name_ar": ar,
                "featurecla": "Admin-1 capital",
                "pop_max": pop,
            },
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
        }
        for i, (name, alt, ar, pop, lon, lat) in enumerate(items)
    ]
    (tmp / "places.geojson").write_text(json.dumps({"features": features}), encoding="utf-8")
    return tmp


def _town(
    name: str, pop: int, lon: float, lat: float, *alternates: str, country: str = "IQ"
) -> Town:
    return Town(
        lon,
        lat,
        name,
        None,
        pop,
        source=f"geonames:{name}",
        names=frozenset(fold(n) for n in (name, *alternates)),
        country=country,
    )


def test_the_merge_takes_the_town_of_that_name_not_the_most_populous_neighbour(tmp_path):
    folder = _fixture_places(tmp_path, [("Mosul", "Al-Mawsil", "الموصل", 1_316_000, 43.14, 36.35)])
    suburb = _town("Al Mawsil al Jadidah", 2_065_597, 43.106, 36.333)
    mosul = _town("Mosul", 1_683_000, 43.119, 36.335, "Al Mawsil", "الموصل")
    village = _town("Far Village", 900, 43.60, 36.60)
    merged = merge_natural_earth([suburb, mosul, village], folder)
    assert len(merged) == 3  # no Natural Earth duplicate
    assert mosul.seat and mosul.name_ar == "الموصل" and mosul.population == 1_316_000
    assert mosul.major and mosul.min_zoom() == 5
    assert suburb.city is mosul and not suburb.major and not suburb.seat
    assert suburb.min_zoom() >= mosul.min_zoom() + 2
    assert village.city is None


def test_a_natural_earth_place_no_town_stands_for_is_added(tmp_path):
    folder = _fixture_places(tmp_path, [("Lonely", None, None, 20_000, 40.0, 30.0)])
    merged = merge_natural_earth([_town("Elsewhere", 5_000, 41.0, 31.0)], folder)
    added = [t for t in merged if t.name_en == "Lonely"]
    assert len(added) == 1 and added[0].seat and added[0].source == "naturalearth:0"


def test_a_town_geonames_lists_twice_is_one_town_and_namesakes_across_a_border_are_two():
    kashan = _town("Kashan", 304_487, 51.436, 33.983, country="IR")
    kashan.name_ar = None
    again = _town("Kashan", 304_487, 51.45, 33.97, country="IR")
    again.name_ar, again.ar_source = "كاشان", "names_ar.csv:x"
    rafah_gaza = _town("Rafah", 126_305, 34.25, 31.29, country="PS")
    rafah_egypt = _town("Rafah", 44_215, 34.24, 31.28, country="EG")
    village = _town("Kashan", 800, 51.9, 34.3, country="IR")  # far: another place of the name
    kept = merge_namesakes([again, kashan, rafah_gaza, rafah_egypt, village])
    assert [t.name_en for t in kept].count("Kashan") == 2 and village in kept
    one = next(t for t in kept if t.name_en == "Kashan" and t is not village)
    assert len(one.source.split()) == 2  # both records' ids: a row naming either finds it
    assert one.name_ar == "كاشان"  # the other record's sourced Arabic name is kept
    assert rafah_gaza in kept and rafah_egypt in kept  # one name, two countries: two towns


def test_a_capital_is_never_merged_away():
    capital = _town("Kuwait City", 60_000, 47.98, 29.37, country="KW")
    capital.capital = True
    bigger = _town("Kuwait City", 2_000_000, 47.99, 29.36, country="KW")
    kept = merge_namesakes([bigger, capital])
    assert kept == [capital] and "geonames:Kuwait City" in capital.source


def test_a_natural_earth_place_a_little_off_its_town_is_that_town_in_its_own_country(tmp_path):
    """Natural Earth's Kashan is 0.15 degrees from GeoNames' town of that name: one town, not
    a second label; a place of that name across a border stays its own."""
    features = [
        {
            "type": "Feature",
            "properties": {
                "ne_id": 1,
                "name": "Kashan",
                "featurecla": "Populated place",
                "pop_max": 250_000,
                "adm0_a3": "IRN",
                "name_ar": "كاشان",
            },
            "geometry": {"type": "Point", "coordinates": [51.58, 33.98]},
        },
        {
            "type": "Feature",
            "properties": {
                "ne_id": 2,
                "name": "Border Town",
                "featurecla": "Populated place",
                "pop_max": 30_000,
                "adm0_a3": "IRQ",
            },
            "geometry": {"type": "Point", "coordinates": [46.0, 33.0]},
        },
    ]
    (tmp_path / "places.geojson").write_text(json.dumps({"features": features}), "utf-8")
    kashan = _town("Kashan", 304_487, 51.436, 33.983, country="IR")
    neighbour = _town("Border Town", 20_000, 46.15, 33.05, country="IR")  # other country
    merged = merge_natural_earth([kashan, neighbour], tmp_path)
    assert [t.name_en for t in merged].count("Kashan") == 1
    assert kashan.name_ar == "كاشان" and "naturalearth:1" in kashan.source
    assert [t.name_en for t in merged].count("Border Town") == 2


@pytest.mark.parametrize(
    ("lon", "lat", "name", "count"),
    [(51.45, 33.98, "Kashan", 1), (34.25, 31.29, "Rafah", 2), (48.87, 38.43, "Astara", 2)],
)
def test_the_map_names_a_town_once_and_each_namesake_of_its_own_country(lon, lat, name, count):
    found = [t for t in towns_near(lon, lat, 10, r=0.3) if t["name"] == name]
    assert len(found) == count, found
