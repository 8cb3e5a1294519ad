"""`briefmap export`: the contract in GeoJSON and CSV, layer selection, atomic writes."""

from __future__ import annotations

import csv
import json
import os
import stat
import subprocess
from datetime import date
from pathlib import Path

import pytest
from shapely import wkt
from shapely.geometry import shape

from layers.cli import main
from layers.contract import CONTRACT_FIELDS
from layers.export.features import csv_safe
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
    from layers.export.features import geojson_text

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
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-x+1", "'-x+1"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),  # minus, digits, a formula
        ("-1-1", "'-1-1"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("\n=1+1", "'\n=1+1"),
        ("＝1+1", "'＝1+1"),
        ("- a list item", "'- a list item"),
        ("-", "'-"),
        ("-12.5", "-12.5"),
        ("+3", "+3"),
        ("-1e-5", "-1e-5"),
        ("Baghdad", "Baghdad"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_csv_cells_cannot_run_as_formulas(text, safe):
    assert csv_safe(text) == safe


def _export(out: Path, *extra: str) -> int:
    return main(["export", "--format", "csv", "--out", str(out), *extra])


def test_out_that_is_a_folder_device_or_fifo_is_refused(tmp_path, capsys):
    folder = tmp_path / "folder"
    folder.mkdir()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target, why in ((folder, "is a folder"), (fifo, "not a regular file")):
        assert _export(target) == 2  # returns at once: a FIFO is never opened
        assert why in capsys.readouterr().err
    assert _export(Path("/dev/null")) == 2
    assert "not a regular file" in capsys.readouterr().err


def test_a_symlink_is_refused_and_its_target_untouched(tmp_path, capsys):
    target = tmp_path / "precious.txt"
    target.write_text("keep", encoding="utf-8")
    link = tmp_path / "out.csv"
    link.symlink_to(target)
    assert _export(link) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "keep"


def test_an_existing_file_keeps_its_permissions(tmp_path):
    out = tmp_path / "shared.csv"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    assert _export(out) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640 and out.read_text().startswith("name,")


def test_a_new_file_gets_the_umask_not_0600(tmp_path):
    old = os.umask(0o022)
    try:
        assert _export(tmp_path / "new.csv") == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o644


def test_a_missing_folder_is_an_error_unless_asked_for(tmp_path, capsys):
    out = tmp_path / "not" / "there" / "x.csv"
    assert _export(out) == 2
    assert "does not exist" in capsys.readouterr().err and not out.parent.exists()
    assert _export(out, "--mkdir") == 0 and out.is_file()


def test_temporary_files_are_cleaned_on_failure_and_after_a_killed_run(tmp_path, monkeypatch):
    out = tmp_path / "x.csv"
    gone = subprocess.Popen(["true"])  # a process that has exited: its pid is free
    gone.wait()
    stale = tmp_path / f".x.csv.{gone.pid}.abc123.tmp"
    stale.write_text("half a file", encoding="utf-8")
    other = tmp_path / ".y.csv.1.abc.tmp"  # another target's: not ours to remove
    other.write_text("", encoding="utf-8")
    assert _export(out) == 0
    assert not stale.exists() and other.exists()

    def broken_replace(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    assert _export(out) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [".y.csv.1.abc.tmp", "x.csv"]


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
