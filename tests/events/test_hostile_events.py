"""Hostile incident files. Every bad value is a problem naming the file, the
line (or feature) and the column, never a traceback, and the store is byte-for-byte what it
was: numbers of thousands of digits in every numeric field, coordinates beyond a float, lone
surrogates in GeoJSON text. Files of millions of bad rows or tiny features are read in a
child process whose memory may grow by a set amount only. (Store folders and manifests:
test_hostile_store.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from layers.cli import main
from layers.events import jsonscan
from layers.events.importer import import_file, read_deletions
from layers.events.problems import EventDataError
from layers.events.schema import TEXT_COLUMNS
from layers.events.store import open_store
from tests.child import in_child
from tests.events.helpers import rows, snapshot, write

NUMERIC = ("year", "time_precision", "iso", "geo_precision", "fatalities", "timestamp")
COORDS = ("latitude", "longitude")
HUGE = {
    "5000-digits": "9" * 5000,
    "minus-5000-digits": "-" + "9" * 5000,
    "401-digits": "1" + "0" * 400,
    "1e400": "1e400",
}


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    """A store holding three events, so 'unchanged' means something."""
    root = tmp_path / "store"
    import_file(open_store(root), write(tmp_path / "first.csv", rows(3, seed=5)))
    return root


def _refused(store_dir: Path, path: Path, where: str, column: str, **kw) -> str:
    before = snapshot(store_dir)
    with pytest.raises(EventDataError) as caught:
        import_file(open_store(store_dir), path, **kw)
    problems = caught.value.problems
    assert problems and all(p.file == path.name for p in problems)
    assert any(p.where == where and p.column == column for p in problems), problems
    assert snapshot(store_dir) == before
    return str(caught.value)


@pytest.mark.parametrize("value", HUGE.values(), ids=list(HUGE))
@pytest.mark.parametrize("field", NUMERIC + COORDS)
def test_csv_huge_number_is_a_problem(tmp_path, store_dir, field, value):
    data = rows()
    data[1][field] = value
    message = _refused(store_dir, write(tmp_path / "in.csv", data), "line 3", field)
    assert len(message) < 2000  # the value is shown cut short


def _features(data: list[dict[str, str]]) -> list[dict]:
    out = []
    for row in data:
        props = {k: v for k, v in row.items() if k not in COORDS}
        for key in NUMERIC:
            props[key] = int(props[key])
        lon, lat = float(row["longitude"]), float(row["latitude"])
        geometry = {"type": "Point", "coordinates": [lon, lat]}
        out.append({"type": "Feature", "geometry": geometry, "properties": props})
    return out


def _geojson(path: Path, features: list[dict], literal: str | None = None, **dump) -> Path:
    """A FeatureCollection; the string "HOSTILE" in it replaced by the JSON text `literal`."""
    text = json.dumps({"type": "FeatureCollection", "features": features}, **dump)
    if literal is not None:
        assert text.count('"HOSTILE"') == 1
        text = text.replace('"HOSTILE"', literal)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("value", HUGE.values(), ids=list(HUGE))
@pytest.mark.parametrize("as_text", [False, True], ids=["number", "text"])
@pytest.mark.parametrize("field", NUMERIC + COORDS)
def test_geojson_huge_number_is_a_problem(tmp_path, store_dir, field, as_text, value):
    features = _features(rows())
    features[1]["properties"][field] = "HOSTILE"
    literal = json.dumps(value) if as_text else value
    path = _geojson(tmp_path / "in.geojson", features, literal)
    _refused(store_dir, path, "feature 2", field)


@pytest.mark.parametrize("value", HUGE.values(), ids=list(HUGE))
@pytest.mark.parametrize("axis", [0, 1], ids=["lon", "lat"])
def test_geojson_huge_coordinate_is_a_problem(tmp_path, store_dir, axis, value):
    features = _features(rows())
    features[1]["geometry"]["coordinates"][axis] = "HOSTILE"
    path = _geojson(tmp_path / "in.geojson", features, value)
    # 1e400 is a float (infinity), refused by the range of its axis; a long integer is not a
    # number the point can take at all
    column = ("longitude", "latitude")[axis] if value == "1e400" else "geometry"
    _refused(store_dir, path, "feature 2", column)


@pytest.mark.parametrize("value", ["\\ud800", "a\\udfff b", "\\udc00\\ud800"])
@pytest.mark.parametrize("field", ("event_id_cnty", "event_date", *TEXT_COLUMNS))
def test_geojson_lone_surrogate_is_a_problem(tmp_path, store_dir, field, value):
    features = _features(rows())
    features[1]["properties"][field] = "HOSTILE"
    path = _geojson(tmp_path / "in.geojson", features, f'"{value}"')
    message = _refused(store_dir, path, "feature 2", field)
    message.encode("utf-8")  # printable as it is


def test_skipped_hostile_features_go_to_a_readable_side_file(tmp_path, store_dir):
    features = _features(rows(4))
    features[1]["properties"]["notes"] = "HOSTILE"
    features[2]["properties"]["fatalities"] = 10**40
    path = _geojson(tmp_path / "in.geojson", features, '"bad \\ud800 text"')
    side = tmp_path / "rejected.csv"
    result = import_file(open_store(store_dir), path, skip_invalid=True, rejects=side)
    assert result.rejected == 2 and result.rows == 2
    text = side.read_text(encoding="utf-8")
    assert "feature 2" in text and "feature 3" in text and "\\ud800" in text


def test_cli_shows_a_huge_number_as_a_problem(tmp_path, store_dir, capsys):
    data = rows()
    data[1]["fatalities"] = "9" * 5000
    path = write(tmp_path / "in.csv", data)
    assert main(["import", str(path), "--store", str(store_dir), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "in.csv: line 3, column 'fatalities'" in err and "Traceback" not in err


@pytest.mark.parametrize("value", HUGE.values(), ids=list(HUGE))
def test_deletions_huge_timestamp_is_a_problem(tmp_path, value):
    path = tmp_path / "deleted.csv"
    path.write_text(f"event_id_cnty,deleted_timestamp\nSYR1,1700000000\nSYR2,{value}\n")
    with pytest.raises(EventDataError) as caught:
        read_deletions(path)
    assert [(p.where, p.column) for p in caught.value.problems] == [("line 3", "deleted_timestamp")]


# -- GeoJSON read one feature at a time --------------------------------------------------


def _layouts(features: list[dict]) -> dict[str, str]:
    collection = {"type": "FeatureCollection", "features": features}
    reordered = {"features": features, "name": {"nested": [1, 2]}, "type": "FeatureCollection"}
    return {
        "compact": json.dumps(collection, separators=(",", ":")),
        "indented": json.dumps(collection, indent=2),
        "utf8": json.dumps(collection, ensure_ascii=False, indent=1),
        "bom": "\ufeff" + json.dumps(collection),
        "type-last": json.dumps(reordered),
    }


@pytest.mark.parametrize("layout", list(_layouts([])))
def test_geojson_layouts_read_alike(tmp_path, layout):
    """Enough features (with Arabic and an emoji in the notes) that windows are crossed."""
    features = _features(rows(150, seed=3))
    for k, feature in enumerate(features):
        feature["properties"]["notes"] = f"ملاحظة {k} 🙂 " + "x" * (k * 13 % 700)
    path = tmp_path / "in.geojson"
    path.write_text(_layouts(features)[layout], encoding="utf-8")
    result = import_file(open_store(tmp_path / "s"), path)
    assert result.counts.new == 150
    table = open_store(tmp_path / "s").table()
    notes = sorted(table.column("notes").to_pylist())
    assert notes == sorted(f["properties"]["notes"].strip() for f in features)


_ONE = json.dumps(_features(rows(1))[0])
BROKEN = {
    "trailing-comma": ('{"type":"FeatureCollection","features":[' + _ONE + ",]}", "broken JSON"),
    "missing-comma": ('{"type":"FeatureCollection","features":[' + _ONE + " " + _ONE + "]}", "','"),
    "top-comma": ('{"type":"FeatureCollection","features":[' + _ONE + "],}", "broken JSON"),
    "extra-data": ('{"type":"FeatureCollection","features":[' + _ONE + "]} x", "extra data"),
    "twice": ('{"type":"FeatureCollection","features":[' + _ONE + '],"features":[]}', "twice"),
    "features-object": ('{"type":"FeatureCollection","features":{}}', "non-empty list"),
    "features-empty": ('{"type":"FeatureCollection","features":[]}', "non-empty list"),
    "top-list": ("[1, 2]", "FeatureCollection at the top"),
    "type-feature": ('{"type":"Feature","features":[' + _ONE + "]}", "FeatureCollection"),
    "deep": ('{"type":"FeatureCollection","features":[' + "[" * 100_000, "nested too deeply"),
    "unterminated": ('{"type":"FeatureCollection","features":["abc', "broken JSON"),
    "huge-feature": (
        '{"type":"FeatureCollection","features":[[' + "[]," * 2_000_000 + "[]]]}",
        "longer than 4 MB",
    ),
    "empty": ("", "FeatureCollection at the top"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_broken_geojson_is_one_clear_problem(tmp_path, store_dir, case):
    text, says = BROKEN[case]
    path = tmp_path / "in.geojson"
    path.write_text(text, encoding="utf-8")
    before = snapshot(store_dir)
    with pytest.raises(EventDataError) as caught:
        import_file(open_store(store_dir), path)
    assert says in str(caught.value)
    assert all(p.file == "in.geojson" for p in caught.value.problems)
    assert snapshot(store_dir) == before


def test_broken_json_is_placed_by_line(tmp_path):
    features = _features(rows(3))
    features[2]["properties"]["notes"] = "HOSTILE"
    path = _geojson(tmp_path / "in.geojson", features, "[1 2]", indent=1, ensure_ascii=False)
    line = path.read_text(encoding="utf-8")[: path.read_text().index("[1 2]")].count("\n") + 1
    with pytest.raises(EventDataError) as caught:
        import_file(open_store(tmp_path / "s"), path)
    assert caught.value.problems[0].where == f"line {line}"


def test_feature_count_is_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonscan, "MAX_FEATURES", 5)
    path = _geojson(tmp_path / "in.geojson", _features(rows(6)))
    with pytest.raises(EventDataError) as caught:
        import_file(open_store(tmp_path / "s"), path)
    assert "more than 5 features" in str(caught.value)
    assert caught.value.problems[0].where == "feature 6"


# -- bounded memory ----------------------------------------------------------------------

GROWTH_MB = 150


CPU_SECONDS = 240.0  # bounds a runaway child by the CPU it used, not by wall-clock time


def _in_child(fn):
    """`fn()` in a forked child whose address space may grow by GROWTH_MB at most."""
    return in_child(fn, growth_mb=GROWTH_MB, cpu_seconds=CPU_SECONDS)[0]


def _import_in_child(path: Path, store: Path, **kw):
    def run():
        try:
            result = import_file(open_store(store), path, **kw)
        except EventDataError as exc:
            return {"problems": len(exc.problems) + exc.more, "first": str(exc.problems[0])}
        return {"rejected": result.rejected}

    return _in_child(run)


@pytest.mark.parametrize("skip", [False, True], ids=["refused", "skip-invalid"])
def test_million_bad_rows_in_bounded_memory(tmp_path, skip):
    """Old code kept every bad row: 1M rows grew by ~600 MB (5M: 2.9 GB)."""
    n = 1_000_000 if not skip else 400_000
    path = tmp_path / "bad.csv"
    path.write_text(",".join(rows()[0]) + "\n" + "1,2\n" * n, encoding="utf-8")
    side = tmp_path / "side.csv"
    out = _import_in_child(path, tmp_path / "s", skip_invalid=skip, rejects=side)
    if skip:
        assert out == {"rejected": n}
        with side.open(encoding="utf-8") as handle:
            assert sum(1 for _ in handle) == n + 1
    else:
        assert out["problems"] == n and "line 2" in out["first"]


def test_unbalanced_quotes_in_bounded_memory(tmp_path):
    path = tmp_path / "quoted.csv"
    path.write_text(",".join(rows()[0]) + "\n" + ('"' + "x" * 2000 + "\n") * 3000)
    out = _import_in_child(path, tmp_path / "s")
    assert out["problems"] >= 1


_SMALL_BAD = '{"type":"Feature","properties":{"a":[1,2,3,4,5,6,7,8,9,10]}},'


@pytest.mark.parametrize(
    "body, says",
    [
        ("{}," * 1_500_000 + "{}", "more than 1,000,000 features"),
        ("[" + "[]," * 10_000_000 + "[]]", "longer than 4 MB"),
        (_SMALL_BAD * 599_999 + _SMALL_BAD[:-1], "expected a Point geometry"),
    ],
    ids=["1.5M-tiny-features", "one-30MB-feature", "600k-small-features"],
)
def test_tiny_features_in_bounded_memory(tmp_path, body, says):
    """Old code decoded the whole file at once: 20M `{}` features grew by 1.65 GB; these
    600k small features by over 150 MB (measured: MemoryError under this limit)."""
    path = tmp_path / "many.geojson"
    path.write_text('{"type":"FeatureCollection","features":[' + body + "]}")
    out = _import_in_child(path, tmp_path / "s")
    assert says in out["first"]
