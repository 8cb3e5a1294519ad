"""Malformed incident files are rejected whole: the error names the file, the line (or
feature) and the column, and the store is byte-for-byte what it was."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from layers.cli import main
from layers.events.importer import import_file
from layers.events.problems import EventDataError
from layers.events.store import open_store
from tests.events.helpers import csv_text, rows, snapshot, write


def _edit(**changes: str) -> Callable[[Path], Path]:
    """Second data row (line 3) with these values."""

    def make(path: Path) -> Path:
        data = rows()
        data[1].update(changes)
        return write(path, data)

    return make


def _text(text: str | bytes) -> Callable[[Path], Path]:
    def make(path: Path) -> Path:
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return make


def _without(column: str) -> Callable[[Path], Path]:
    def make(path: Path) -> Path:
        columns = [c for c in rows()[0] if c != column]
        return write(path, rows(), columns=columns)

    return make


def _raw(transform: Callable[[bytes], bytes]) -> Callable[[Path], Path]:
    def make(path: Path) -> Path:
        path.write_bytes(transform(csv_text(rows()).encode("utf-8")))
        return path

    return make


def _repeat(same: bool) -> Callable[[Path], Path]:
    def make(path: Path) -> Path:
        data = rows()
        copy = dict(data[0])
        if not same:
            copy["fatalities"] = str(int(copy["fatalities"]) + 5)
        return write(path, [*data, copy])

    return make


def _short_row(path: Path) -> Path:
    text = csv_text(rows()).splitlines()
    text[2] = ",".join(text[2].split(",")[:-3])
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return path


def _geojson(edit: Callable[[dict], object] | None = None, text: str | None = None):
    def make(path: Path) -> Path:
        if text is not None:
            path.write_text(text, encoding="utf-8")
            return path
        features = []
        for row in rows():
            props = dict(row)
            lon, lat = float(props.pop("longitude")), float(props.pop("latitude"))
            geometry = {"type": "Point", "coordinates": [lon, lat]}
            features.append({"type": "Feature", "properties": props, "geometry": geometry})
        data = {"type": "FeatureCollection", "features": features}
        edit(data)
        path.write_text(json.dumps(data), encoding="utf-8")
        return path

    return make


def _set(path_keys: tuple, value):
    def edit(data):
        target = data
        for key in path_keys[:-1]:
            target = target[key]
        target[path_keys[-1]] = value

    return edit


# name, file maker, suffix, where, column (as it appears in the message)
CASES = [
    ("missing-required-column", _without("latitude"), ".csv", "line 1", "'latitude'"),
    ("bad-date", _edit(event_date="2025-13-40"), ".csv", "line 3", "'event_date'"),
    ("date-not-a-date", _edit(event_date="last week"), ".csv", "line 3", "'event_date'"),
    ("latitude-out-of-range", _edit(latitude="95.2"), ".csv", "line 3", "'latitude'"),
    ("longitude-out-of-range", _edit(longitude="200"), ".csv", "line 3", "'longitude'"),
    ("lat-lon-swapped", _edit(latitude="40.14", longitude="35.33"), ".csv", "line 3", "'latitude'"),
    ("latitude-not-a-number", _edit(latitude="35,3N"), ".csv", "line 3", "'latitude'"),
    ("fatalities-not-numeric", _edit(fatalities="many"), ".csv", "line 3", "'fatalities'"),
    ("fatalities-negative", _edit(fatalities="-3"), ".csv", "line 3", "'fatalities'"),
    ("timestamp-not-numeric", _edit(timestamp="yesterday"), ".csv", "line 3", "'timestamp'"),
    ("empty-event-id", _edit(event_id_cnty=""), ".csv", "line 3", "'event_id_cnty'"),
    ("year-disagrees", _edit(year="1999"), ".csv", "line 3", "'year'"),
    ("time-precision-5", _edit(time_precision="5"), ".csv", "line 3", "'time_precision'"),
    ("geo-precision-0", _edit(geo_precision="0"), ".csv", "line 3", "'geo_precision'"),
    ("inter-code-12", _edit(inter1="12"), ".csv", "line 3", "'inter1'"),
    ("empty-file", _text(""), ".csv", "line 1", "column 1"),
    ("header-only", _text(csv_text([])), ".csv", "line 2", "column 1"),
    (
        "wrong-delimiter",
        lambda p: write(p, rows(), delimiter=";"),
        ".csv",
        "line 1",
        "'event_id_cnty'",
    ),
    (
        "binary-file",
        _text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
        ".csv",
        "line 3",
        "column 1",
    ),
    (
        "nul-byte-late",
        _raw(lambda b: b + b"\n" * 3 + b"x" * 9000 + b"\x00,1\n"),
        ".csv",
        "line 8",
        "column 9001",
    ),
    ("duplicate-id-same-timestamp", _repeat(same=False), ".csv", "line 5", "'event_id_cnty'"),
    ("duplicate-row", _repeat(same=True), ".csv", "line 5", "'event_id_cnty'"),
    ("very-long-line", _edit(notes="x" * (2 << 20)), ".csv", "line 3", "column 1"),
    ("long-field", _edit(notes="y" * 70_000), ".csv", "line 3", "'notes'"),
    (
        "invalid-utf8",
        # UTF-8 (Arabic) elsewhere in the file: a broken byte is not a reason to read it as
        # another encoding
        _raw(lambda b: b.replace(b"Synthetic record 1", "سجل".encode() + b" Synth\xff\xfe record")),
        ".csv",
        "line 3",
        "column",
    ),
    ("too-few-fields", _short_row, ".csv", "line 3", "column"),
    (
        "geojson-linestring",
        _geojson(
            _set(
                ("features", 1, "geometry"),
                {"type": "LineString", "coordinates": [[40, 35], [41, 35]]},
            )
        ),
        ".geojson",
        "feature 2",
        "'geometry'",
    ),
    (
        "geojson-broken-json",
        _geojson(text='{"type": "FeatureCollection",\n "features": [}'),
        ".geojson",
        "line 2",
        "column 15",
    ),
    (
        "geojson-bad-date",
        _geojson(_set(("features", 0, "properties", "event_date"), "soon")),
        ".geojson",
        "feature 1",
        "'event_date'",
    ),
    (
        "geojson-string-coordinates",
        _geojson(_set(("features", 2, "geometry", "coordinates"), ["40.1", "35.3"])),
        ".geojson",
        "feature 3",
        "'geometry'",
    ),
    (
        "geojson-not-a-collection",
        _geojson(text='{"type": "Feature"}'),
        ".geojson",
        "top level",
        "'type'",
    ),
]


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    """A store that already holds a valid import (so 'unchanged' means something)."""
    root = tmp_path / "store"
    import_file(open_store(root), write(tmp_path / "first.csv", rows(5, seed=3)))
    return root


def test_at_least_twenty_cases():
    assert len(CASES) >= 20


@pytest.mark.parametrize(
    ("name", "make", "suffix", "where", "column"), CASES, ids=[c[0] for c in CASES]
)
def test_malformed_file_is_rejected_and_store_unchanged(
    tmp_path, store_dir, name, make, suffix, where, column
):
    path = make(tmp_path / f"{name}{suffix}")
    before = snapshot(store_dir)
    with pytest.raises(EventDataError) as caught:
        import_file(open_store(store_dir), path)
    message = str(caught.value)
    first = str(caught.value.problems[0])
    assert first.startswith(f"{path.name}: "), first
    assert f"{where}," in message, message
    assert f"column {column}" in message or column in message, message
    assert "nothing was imported" in message
    assert snapshot(store_dir) == before


def test_cli_exits_1_and_names_line_and_column(tmp_path, store_dir, capsys):
    path = _edit(latitude="95.2")(tmp_path / "bad.csv")
    before = snapshot(store_dir)
    assert main(["import", str(path), "--store", str(store_dir), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "bad.csv: line 3, column 'latitude': expected latitude from -90 to 90" in err
    assert snapshot(store_dir) == before


def test_every_bad_row_is_listed(tmp_path, store_dir):
    data = rows(6)
    data[0]["latitude"] = "north"
    data[4]["event_date"] = "31-02-2025"
    path = write(tmp_path / "two.csv", data)
    with pytest.raises(EventDataError) as caught:
        import_file(open_store(store_dir), path)
    found = [(p.where, p.column) for p in caught.value.problems]
    assert found == [("line 2", "latitude"), ("line 6", "event_date")]
