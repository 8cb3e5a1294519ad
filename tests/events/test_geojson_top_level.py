"""A GeoJSON incident file wrong at its top object (not a FeatureCollection, a bad `type`, a
`crs` that is not longitude/latitude, no features) is named as wrong at the top level, never
as "feature 0" (there is no feature 0: features are counted from 1)."""

from __future__ import annotations

import json

import pytest

from layers.events.importer import import_file
from layers.events.problems import EventDataError
from layers.events.store import open_store
from tests.events.helpers import rows
from tests.events.test_hostile_events import _features

_ONE = _features(rows(1, seed=2))

TOP = {
    "single-feature": ({"type": "Feature", **_ONE[0]}, "type", "got 'Feature'"),
    "no-type": ({"features": _ONE}, "type", "no 'type' member"),
    "list": ([1, 2], "type", "FeatureCollection at the top"),
    "features-object": ({"type": "FeatureCollection", "features": {}}, "features", "list"),
    "features-empty": ({"type": "FeatureCollection", "features": []}, "features", "non-empty"),
    "crs-metres": (
        {
            "type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
            "features": _ONE,
        },
        "crs",
        "EPSG::3857",
    ),
    "crs-not-an-object": (
        {"type": "FeatureCollection", "crs": "UTM 38N", "features": _ONE},
        "crs",
        "UTM 38N",
    ),
}


@pytest.mark.parametrize("case", TOP, ids=list(TOP))
def test_a_top_level_error_names_the_top_level(tmp_path, case):
    data, member, says = TOP[case]
    path = tmp_path / "in.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(EventDataError) as caught:
        import_file(open_store(tmp_path / "store"), path)
    (problem,) = caught.value.problems
    assert problem.where == "top level"
    assert problem.column == member
    message = str(caught.value)
    assert "feature 0" not in message
    assert f"in.geojson: top level, member '{member}'" in message
    assert says in message


@pytest.mark.parametrize(
    "name", ["urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::4326"]
)
def test_a_crs_naming_lon_lat_is_read(tmp_path, name):
    data = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": name}}}
    data["features"] = _features(rows(3, seed=4))
    path = tmp_path / "in.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = import_file(open_store(tmp_path / "store"), path)
    assert result.counts.new == 3


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"type": "Feature", "properties": {}}, "type"),
        ([{"type": "Feature"}], "type"),
        ({"type": "FeatureCollection", "features": {}}, "features"),
        ({"type": "FeatureCollection", "crs": {"type": "name"}, "features": []}, "crs"),
    ],
    ids=["single-feature", "list", "features-object", "crs"],
)
def test_the_geodata_boundary_names_the_top_level_too(data, field):
    """The project's own feature files (layers/boundary/features.py): a problem of the top
    object has no item, so it reads `file: field 'type': …`, never a feature's index."""
    from layers.boundary.claims import Known
    from layers.boundary.features import read_feature_collection
    from layers.boundary.problems import ProblemLog

    log = ProblemLog()
    known = Known(frozenset(), frozenset(), frozenset(), frozenset(), {}, {})
    read_feature_collection(data, "x.geojson", known, log, (-180, -90, 180, 90))
    (problem,) = log.problems
    assert (problem.item, problem.field) == ("", field)
    assert str(problem).startswith(f"x.geojson: field '{field}': ")
    assert "features[" not in str(problem) and "feature 0" not in str(problem)
