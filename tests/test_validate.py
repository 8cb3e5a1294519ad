"""`briefmap validate`: exit 0 with a count on the shipped data; on broken copies, exit 1 and
name the file, the item (feature index and id) and the field of every problem."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from layers.cli import main

A = "000_0f03b8209ef71bac.txt"


def _edit(path: Path, change: Callable[[Any], None]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _feature(collection: dict, fid: str) -> dict:
    return next(f for f in collection["features"] if f["properties"]["id"] == fid)


def _props(fid: str, **changes: Any) -> Callable[[Any], None]:
    def change(fc: dict) -> None:
        props = _feature(fc, fid)["properties"]
        for key, value in changes.items():
            if value is _DELETE:
                del props[key]
            else:
                props[key] = value

    return change


def _geometry(fid: str, geometry: dict) -> Callable[[Any], None]:
    def change(fc: dict) -> None:
        _feature(fc, fid)["geometry"] = geometry

    return change


_DELETE = object()
BOWTIE = {"type": "Polygon", "coordinates": [[[40, 34], [41, 35], [41, 34], [40, 35], [40, 34]]]}


def _dup_id(root: Path) -> None:
    _edit(root / "features/energy.geojson", _props("kirkuk", id="al-hol-camp"))


def _broken_json(root: Path) -> None:
    path = root / "features/isis.geojson"
    path.write_text(path.read_text(encoding="utf-8")[:-40], encoding="utf-8")


def _duplicate_key(root: Path) -> None:
    path = root / "features/isis.geojson"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"kind": "camp",', '"kind": "camp", "kind": "place",'), "utf-8")


def _timeline_unknown_feature(root: Path) -> None:
    _edit(root / "timeline.json", lambda d: d["annotations"][0]["features"].append("atlantis"))


def _actor_colour(root: Path) -> None:
    _edit(root / "actors.json", lambda d: d["actors"][0].update(colour="red"))


def _scenarios_visible(root: Path) -> None:
    def change(d: dict) -> None:
        next(layer for layer in d["layers"] if layer["id"] == "scenario-limited")["visible"] = True

    _edit(root / "layers.json", change)


def _bad_sha(root: Path) -> None:
    _edit(root / "sources.json", lambda d: d["reports"][0].update(sha256="abc"))


def _in_file(name: str, change: Callable[[Any], None]) -> Callable[[Path], None]:
    return lambda root: _edit(root / name, change)


ISIS = "features/isis.geojson"
ENERGY = "features/energy.geojson"
CASES = [
    # (id, breakage, file named, item named, field named, words of the message)
    ("json-syntax", _broken_json, ISIS, "line", "", "not valid JSON"),
    ("duplicate-json-key", _duplicate_key, ISIS, "", "", "appears twice"),
    (
        "invalid-geometry",
        _in_file(ISIS, _geometry("badia-desert", BOWTIE)),
        ISIS,
        "'badia-desert'",
        "geometry",
        "not valid",
    ),
    (
        "lonlat-out-of-range",
        _in_file(ISIS, _geometry("al-hol-camp", {"type": "Point", "coordinates": [41.1, 236.4]})),
        ISIS,
        "'al-hol-camp'",
        "geometry",
        "out of range",
    ),
    (
        "swapped-lonlat",
        _in_file(ISIS, _geometry("al-hol-camp", {"type": "Point", "coordinates": [36.39, 41.15]})),
        ISIS,
        "'al-hol-camp'",
        "geometry",
        "area of interest",
    ),
    (
        "geometry-for-kind",
        _in_file(
            ENERGY,
            _geometry("kirkuk-baniyas-pipeline", {"type": "Point", "coordinates": [44.4, 35.5]}),
        ),
        ENERGY,
        "'kirkuk-baniyas-pipeline'",
        "geometry",
        "must be a LineString",
    ),
    ("duplicate-id", _dup_id, ENERGY, "'al-hol-camp'", "id", "duplicate feature id"),
    (
        "unknown-layer",
        _in_file(ISIS, _props("al-hol-camp", layer="weather")),
        ISIS,
        "'al-hol-camp'",
        "layer",
        "unknown layer 'weather'",
    ),
    (
        "unknown-actor",
        _in_file(ISIS, _props("al-hol-camp", actors=["isis", "spectre"])),
        ISIS,
        "'al-hol-camp'",
        "actors",
        "unknown actor id 'spectre'",
    ),
    (
        "unknown-report",
        _in_file(ISIS, _props("al-hol-camp", sources=[{"report": "999_x.txt", "paragraph": 1}])),
        ISIS,
        "'al-hol-camp'",
        "sources[0].report",
        "unknown report",
    ),
    (
        "paragraph-out-of-range",
        _in_file(ISIS, _props("al-hol-camp", sources=[{"report": A, "paragraph": 27}])),
        ISIS,
        "'al-hol-camp'",
        "sources[0].paragraph",
        "paragraphs 1-26, got 27",
    ),
    (
        "boilerplate-paragraph",
        _in_file(ISIS, _props("al-hol-camp", sources=[{"report": A, "paragraph": 25}])),
        ISIS,
        "'al-hol-camp'",
        "sources[0].paragraph",
        "boilerplate",
    ),
    (
        "missing-arabic-name",
        _in_file(ISIS, _props("al-hol-camp", name_ar=_DELETE)),
        ISIS,
        "'al-hol-camp'",
        "name_ar",
        "missing",
    ),
    (
        "arabic-field-in-english",
        _in_file(ISIS, _props("al-hol-camp", summary_ar="A camp.")),
        ISIS,
        "'al-hol-camp'",
        "summary_ar",
        "expected Arabic",
    ),
    (
        "invalid-edtf",
        _in_file(ISIS, _props("al-hol-camp", date="2025-13-40")),
        ISIS,
        "'al-hol-camp'",
        "date",
        "not a calendar date",
    ),
    (
        "date-ends-before-start",
        _in_file(
            ISIS,
            _props(
                "al-hol-camp",
                date="2025-11/2024-12",
                date_start="2025-11-01",
                date_end="2024-12-31",
            ),
        ),
        ISIS,
        "'al-hol-camp'",
        "date",
        "before it starts",
    ),
    (
        "derived-date-mismatch",
        _in_file(ISIS, _props("al-hol-camp", date_start="2020-01-01")),
        ISIS,
        "'al-hol-camp'",
        "date_start",
        "derived from date",
    ),
    (
        "bad-grade",
        _in_file(ISIS, _props("al-hol-camp", grade="G7")),
        ISIS,
        "'al-hol-camp'",
        "grade",
        "Admiralty",
    ),
    (
        "background-without-reference",
        _in_file("features/border.geojson", _props("albu-kamal-qaim-crossing", references=[])),
        "features/border.geojson",
        "'albu-kamal-qaim-crossing'",
        "references",
        "outside reference",
    ),
    (
        "unknown-property",
        _in_file(ISIS, _props("al-hol-camp", sumary_en="typo")),
        ISIS,
        "'al-hol-camp'",
        "sumary_en",
        "did you mean 'summary_en'",
    ),
    (
        "pipeline-without-status",
        _in_file(ENERGY, _props("kirkuk-ceyhan-pipeline", status=_DELETE, status_as_of=_DELETE)),
        ENERGY,
        "'kirkuk-ceyhan-pipeline'",
        "status",
        "missing",
    ),
    (
        "bad-coord-source",
        _in_file(ISIS, _props("al-hol-camp", coord_source="google maps")),
        ISIS,
        "'al-hol-camp'",
        "coord_source",
        "geonames:<id>",
    ),
    (
        "approximate-without-note",
        _in_file(ISIS, _props("al-hol-camp", location_note_en=_DELETE, location_note_ar=_DELETE)),
        ISIS,
        "'al-hol-camp'",
        "location_note_en",
        "approximate location needs a note",
    ),
    ("actor-colour", _actor_colour, "actors.json", "actors[0]", "colour", "expected a colour"),
    (
        "scenarios-on-by-default",
        _scenarios_visible,
        "layers.json",
        "'scenario-limited'",
        "visible",
        "off by default",
    ),
    ("report-sha", _bad_sha, "sources.json", A, "sha256", "64 lower-case hex"),
    (
        "timeline-unknown-feature",
        _timeline_unknown_feature,
        "timeline.json",
        "annotations",
        "features",
        "unknown feature id 'atlantis'",
    ),
]


def test_shipped_geodata_is_valid(capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith("ok: ") and "features" in out and "\n" not in out


@pytest.mark.parametrize(
    ("case", "breakage", "file", "item", "field", "message"), CASES, ids=[c[0] for c in CASES]
)
def test_broken_copy_is_reported(geodata_copy, capsys, case, breakage, file, item, field, message):
    breakage(geodata_copy)
    assert main(["validate", "--geodata", str(geodata_copy)]) == 1
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if message in line]
    assert lines, f"no problem mentioning {message!r} in:\n{err}"
    line = lines[0]
    assert file in line.replace("\\", "/")
    assert item in line
    if field:
        assert f"field '{field}'" in line


def test_every_problem_is_listed_not_just_the_first(geodata_copy, capsys):
    _edit(geodata_copy / ISIS, _props("al-hol-camp", grade="Z9", layer="weather"))
    _actor_colour(geodata_copy)
    assert main(["validate", "--geodata", str(geodata_copy)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("3 problem(s):")
    assert "field 'grade'" in err and "field 'layer'" in err and "field 'colour'" in err


def test_given_file_replaces_the_shipped_one(tmp_path, capsys):
    """A user's copy of a feature file is validated in place of the shipped file of that name."""
    mine = tmp_path / "isis.geojson"
    data = json.loads((Path("geodata") / ISIS).read_text(encoding="utf-8"))
    mine.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["validate", str(mine)]) == 0  # no duplicate ids with the shipped isis layer
    _edit(mine, _props("al-hol-camp", actors=["nobody"]))
    assert main(["validate", str(mine)]) == 1
    assert "isis.geojson: features[1] (id 'al-hol-camp'): field 'actors'" in capsys.readouterr().err


def test_console_script_runs():
    bin_dir = Path(sys.executable).parent
    done = subprocess.run(
        [bin_dir / "briefmap", "validate"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok: ")


def test_a_capped_problem_list_gives_the_honest_total():
    """Issue 17: `validate` printed '201 problem(s)' then '… and 178657 more'."""
    from layers.boundary.problems import MAX_PROBLEMS, GeodataError, ProblemLog

    log = ProblemLog()
    for i in range(MAX_PROBLEMS + 57):
        log.add("features/x.geojson", f"feature {i}", "id", "expected text")
    assert log.total == MAX_PROBLEMS + 57
    text = str(GeodataError(log.problems, log.total))  # as load_geodata raises it
    assert text.startswith(f"{MAX_PROBLEMS + 57} problem(s)")
    assert text.rstrip().endswith("... and 57 more problem(s) not listed")
