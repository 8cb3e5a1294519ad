"""`briefmap export`: the contract in GeoJSON and CSV, layer selection, atomic writes."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest
from shapely import wkt
from shapely.geometry import shape

from layers.cli import main
from layers.contract import CONTRACT_FIELDS
from layers.export import csv_safe
from layers.view import View
from tests.conftest import GEODATA


def test_geojson_export_has_the_contract_and_round_trips(tmp_path, geodata):
    out = tmp_path / "all.geojson"
    assert main(["export", "--format", "geojson", "--out", str(out), "--layers", "all"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    assert len(data["features"]) == len(geodata.features)
    for feature in data["features"]:
        props = feature["properties"]
        assert list(props)[: len(CONTRACT_FIELDS)] == list(CONTRACT_FIELDS)
        assert props["name"] == props["name_en"]  # label column in the default language
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
    assert "layers: unknown 'nope'" in capsys.readouterr().err
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


def _ids(path):
    return {f["properties"]["id"] for f in json.loads(path.read_text(encoding="utf-8"))["features"]}


@pytest.mark.parametrize(
    ("args", "view_kwargs"),
    [
        ([], {}),
        (
            ["--actors", "kataib-hezbollah,irgc-quds-force"],
            {"actors": frozenset({"kataib-hezbollah", "irgc-quds-force"})},
        ),
        (
            ["--types", "smuggling,summit", "--layers", "all"],
            {"types": frozenset({"smuggling", "summit"}), "layers": "all"},
        ),
        (
            ["--from", "2019-01-01", "--to", "2019-12-31"],
            {"date_from": date(2019, 1, 1), "date_to": date(2019, 12, 31)},
        ),
        (["--bbox", "40,34,42,37"], {"bbox": (40.0, 34.0, 42.0, 37.0)}),
    ],
)
def test_filtered_export_equals_the_view(tmp_path, geodata, args, view_kwargs):
    out = tmp_path / "v.geojson"
    assert main(["export", "--format", "geojson", "--out", str(out), *args]) == 0
    if view_kwargs.get("layers") == "all":
        view_kwargs["layers"] = frozenset(geodata.layers)
    expected = {f.id for f in View(**view_kwargs).select(geodata)}
    assert _ids(out) == expected
    assert expected or not args  # each case selects something


def test_bbox_only_keeps_what_intersects(tmp_path, geodata):
    out = tmp_path / "box.geojson"
    assert (
        main(["export", "--format", "geojson", "--out", str(out), "--bbox", "40.5,36,41.5,36.8"])
        == 0
    )
    ids = _ids(out)
    assert "al-hol-camp" in ids and "kirkuk" not in ids and "doha" not in ids


def test_arabic_labels_and_both_languages_kept(tmp_path):
    out = tmp_path / "ar.csv"
    assert (
        main(["export", "--format", "csv", "--out", str(out), "--lang", "ar", "--actors", "isis"])
        == 0
    )
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    camp = next(r for r in rows if r["id"] == "al-hol-camp")
    assert camp["name"] == "مخيم الهول" and camp["name_en"] == "al-Hol camp"
    assert list(rows[0])[:2] == ["name", "summary"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--actors", "spectre"], "actors: unknown 'spectre'"),
        (["--from", "yesterday"], "from='yesterday'"),
        (["--bbox", "1,2,3"], "west,south,east,north"),
        (["--types", "piracy"], "types: unknown 'piracy'"),
    ],
)
def test_bad_filters_are_errors_not_silently_ignored(tmp_path, capsys, args, message):
    out = tmp_path / "x.csv"
    assert main(["export", "--format", "csv", "--out", str(out), *args]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()
