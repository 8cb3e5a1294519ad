"""`briefmap export`: the contract in GeoJSON and CSV, layer selection, atomic writes."""

from __future__ import annotations

import csv
import json

import pytest
from shapely import wkt
from shapely.geometry import shape

from layers.cli import main
from layers.contract import CONTRACT_FIELDS
from layers.export import csv_safe
from tests.conftest import GEODATA


def test_geojson_export_has_the_contract_and_round_trips(tmp_path, geodata):
    out = tmp_path / "all.geojson"
    assert main(["export", "--format", "geojson", "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    assert len(data["features"]) == len(geodata.features)
    for feature in data["features"]:
        props = feature["properties"]
        assert list(props)[: len(CONTRACT_FIELDS)] == list(CONTRACT_FIELDS)
        original = geodata.feature(props["id"])
        assert shape(feature["geometry"]).equals_exact(original.geometry, 1e-5)
        assert props["name_ar"] == original.name_ar


def test_shipped_feature_files_are_in_the_export_layout(geodata):
    """The shipped files are exactly what the exporter writes: one format, diff-friendly."""
    from layers.export import geojson_text

    for path in sorted((GEODATA / "features").glob("*.geojson")):
        layer_features = [f for f in geodata.features if f.layer == path.stem]
        assert path.read_text(encoding="utf-8") == geojson_text(layer_features), path.name


def test_csv_export_with_layers_and_geometry_columns(tmp_path, geodata):
    out = tmp_path / "energy.csv"
    assert main(["export", "--format", "csv", "--out", str(out), "--layers", "energy"]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r["layer"] for r in rows} == {"energy"}
    assert len(rows) == len(geodata.in_layer("energy"))
    pipeline = next(r for r in rows if r["id"] == "kirkuk-ceyhan-pipeline")
    assert pipeline["status"] == "operating"
    assert pipeline["sources"] == "000_0f03b8209ef71bac.txt#14"
    assert wkt.loads(pipeline["wkt"]).geom_type == "LineString"
    kirkuk = next(r for r in rows if r["id"] == "kirkuk")
    assert (float(kirkuk["lon"]), float(kirkuk["lat"])) == pytest.approx((44.39227, 35.47224))
    assert kirkuk["name_ar"] == "كركوك"


def test_unknown_layer_is_refused_and_nothing_is_written(tmp_path, capsys):
    out = tmp_path / "x.geojson"
    out.write_text("keep me", encoding="utf-8")
    assert main(["export", "--format", "geojson", "--out", str(out), "--layers", "nope"]) == 2
    assert "unknown layer id(s): nope" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+cmd", "'+cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-x+1", "'-x+1"),
        ("-12.5", "-12.5"),
        ("- a list item", "- a list item"),
        ("Baghdad", "Baghdad"),
    ],
)
def test_csv_cells_cannot_run_as_formulas(text, safe):
    assert csv_safe(text) == safe
