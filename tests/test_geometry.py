"""Geometry facts: gazetteer coordinates, pipeline lengths, the corridor and the border."""

from __future__ import annotations

import json

import pytest
from pyproj import Geod
from shapely.geometry import Point, shape

from layers.model import ClaimType, Precision
from tests.conftest import GEODATA

GEOD = Geod(ellps="WGS84")
# Published lengths (see the references in geodata/sources.json).
PUBLISHED_KM = {"kirkuk-baniyas-pipeline": 800, "kirkuk-ceyhan-pipeline": 970}


def _basemap(name):
    return json.loads((GEODATA / "basemap" / name).read_text(encoding="utf-8"))["features"]


@pytest.fixture(scope="module")
def admin1():
    return {f["properties"]["id"]: shape(f["geometry"]) for f in _basemap("admin1.geojson")}


@pytest.mark.parametrize(("fid", "published"), sorted(PUBLISHED_KM.items()))
def test_pipeline_length_close_to_published(geodata, fid, published):
    km = GEOD.geometry_length(geodata.feature(fid).geometry) / 1000
    assert abs(km - published) / published <= 0.15, f"{fid}: {km:.0f} km vs {published} km"


def test_pipelines_follow_routes_not_straight_lines(geodata):
    for fid in PUBLISHED_KM:
        assert len(geodata.feature(fid).geometry.coords) >= 8


def test_corridor_touches_deir_ez_zor_and_anbar(geodata, admin1):
    corridor = geodata.feature("deir-ez-zor-anbar-corridor").geometry
    assert corridor.intersects(admin1["SYR-142"]), "Deir ez-Zor governorate"
    assert corridor.intersects(admin1["IRQ-3471"]), "Al Anbar governorate"
    crossing = geodata.feature("albu-kamal-qaim-crossing").geometry
    assert corridor.contains(crossing), "the corridor runs through the Albu Kamal–al-Qa'im crossing"


def test_crossing_lies_on_the_border(geodata):
    border = geodata.feature("iraq-syria-border").geometry
    crossing = geodata.feature("albu-kamal-qaim-crossing").geometry
    assert border.distance(crossing) < 0.002  # degrees, ~200 m (border simplified at 0.002°)


def test_border_length_is_the_real_one(geodata):
    km = GEOD.geometry_length(geodata.feature("iraq-syria-border").geometry) / 1000
    assert 570 <= km <= 630  # about 600 km


def test_natural_earth_points_match_the_basemap(geodata):
    places = {
        str(f["properties"]["ne_id"]): f["geometry"]["coordinates"]
        for f in _basemap("places.geojson")
    }
    checked = 0
    for f in geodata.features:
        src = f.coord_source
        if src.startswith("naturalearth:") and f.geometry.geom_type == "Point":
            lon, lat = places[src.split(":", 1)[1]]
            assert f.geometry.distance(Point(lon, lat)) < 1e-6, f.id
            checked += 1
    assert checked >= 10


def test_natural_earth_governorates_match_the_basemap(geodata):
    ne = {str(f["properties"]["ne_id"]): shape(f["geometry"]) for f in _basemap("admin1.geojson")}
    for fid in ("deir-ez-zor-governorate", "anbar-governorate"):
        f = geodata.feature(fid)
        assert f.geometry.symmetric_difference(ne[f.coord_source.split(":", 1)[1]]).area < 1e-8, fid


def test_geonames_points_match_the_gazetteer(geodata, geonames):
    checked = 0
    for f in geodata.features:
        if f.coord_source.startswith("geonames:"):
            city = geonames[f.coord_source.split(":", 1)[1]]
            assert f.geometry.distance(Point(city["longitude"], city["latitude"])) < 1e-4, f.id
            checked += 1
    assert checked >= 8


def test_camps_and_crossings_are_not_marked_exact(geodata):
    for f in geodata.features:
        if f.kind in ("camp", "crossing", "presence"):
            assert f.precision != Precision.EXACT, f.id


def test_scenarios_are_kept_apart_and_off_by_default(geodata):
    hypothetical = {lid for lid, layer in geodata.layers.items() if layer.hypothetical}
    assert hypothetical == {"scenario-partnership", "scenario-limited"}
    assert not any(geodata.layers[lid].visible for lid in hypothetical)
    assert all(geodata.layers[lid].theme == "scenarios" for lid in hypothetical)
    for f in geodata.features:
        in_scenarios = f.layer in hypothetical
        assert in_scenarios == (f.claim_type == ClaimType.SCENARIO), f.id
        if in_scenarios:
            assert f.precision == Precision.NOTIONAL, f.id
