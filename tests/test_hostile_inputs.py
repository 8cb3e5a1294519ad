"""Hostile files and links, one table per way in: walkthrough YAML (validated from a file and
uploaded), geodata JSON, links, and the export command line. Each case ends in a clear problem
naming the file (or key), the place and the field, never in a traceback; the YAML cases that
could blow up (alias bombs, deep nesting, huge files) are run in a child process under a memory
limit and must finish within 2 s of CPU time.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from layers.boundary import validate, validate_walkthrough_upload
from layers.cli import main
from layers.view import DATE_RANGE
from layers.view.url import from_query
from layers.walkthrough import dump_walkthrough
from tests.child import in_child
from tests.conftest import GEODATA, run_app, shown

LIMIT_MB = 200
SECONDS = 2.0  # CPU seconds (the child's user + system time), not wall-clock time


def _base() -> str:
    """The shipped walkthrough as briefmap writes it (so these cases do not depend on how the
    shipped file happens to be laid out)."""
    from layers.boundary import load_geodata

    return dump_walkthrough(load_geodata(GEODATA).walkthroughs["iraq-syria-2025"])


SHIPPED = _base()
assert SHIPPED.startswith("id: iraq-syria-2025\n")


def _chain(levels: int = 9) -> str:
    """A 'billion laughs' chain: anchor k holds nine aliases of anchor k-1 (9**levels strings)."""
    lines = ["bomb:", '- &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for k in range(1, levels):
        lines.append(f"- &l{k} [" + ", ".join([f"*l{k - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _with(field: str, raw: str, in_view: bool = False) -> str:
    """The walkthrough with scene 2's `field` (or its view's) written as the YAML text `raw`."""
    data = yaml.safe_load(SHIPPED)
    place = data["scenes"][1]["view"] if in_view else data["scenes"][1]
    place[field] = "HOSTILE_VALUE_HERE"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
    assert text.count("HOSTILE_VALUE_HERE") == 1
    return text.replace("HOSTILE_VALUE_HERE", raw)


def _bomb_in(field: str, in_view: bool = False) -> str:
    return _chain() + _with(field, "*l8", in_view)


def _top_key(key: str) -> str:
    return SHIPPED.replace("id: iraq-syria-2025", key, 1)


YAML_CASES = {
    # name: (file text, what the problem says)
    "bomb-points": (_bomb_in("points_en"), "aliases"),
    "bomb-title": (_bomb_in("title_en"), "aliases"),
    "bomb-highlight": (_bomb_in("highlight"), "aliases"),
    "bomb-from": (_bomb_in("from", in_view=True), "aliases"),
    "bomb-extent": (_bomb_in("extent", in_view=True), "aliases"),
    "deep-flow": ("[" * 5000 + "]" * 5000, "nests deeper"),
    "deep-block": (
        "".join("  " * i + f"k{i}:\n" for i in range(300)) + "  " * 300 + "v\n",
        "deeper",
    ),
    "too-big": (SHIPPED + "#" * 300_000 + "\n", "at most 256,000"),
    "too-many-values": ("x: [" + ",".join(["1"] * 45_000) + "]\n", "more than 20000 values"),
    "int-key": (_top_key("1: iraq-syria-2025"), "key 1 is not text"),
    "null-key": (_top_key("~: iraq-syria-2025"), "key None is not text"),
    "bool-key": (_top_key("true: iraq-syria-2025"), "key True is not"),
    "timestamp": (_with("from", "2025-13-40", in_view=True), "not a calendar date"),
    "edtf-negative": (_with("from", "'-0001'", in_view=True), "not a supported date"),
    "edtf-unspecified": (_with("from", "XXXX", in_view=True), "not a supported date"),
    "edtf-long-year": (_with("from", "Y20000", in_view=True), "not a supported date"),
    "edtf-set": (_with("from", "'[..2025]'", in_view=True), "not a supported date"),
    "edtf-xx": (_with("to", "2025-XX-XX", in_view=True), "not a supported date"),
    "edtf-time": (_with("to", "1985-04-12T23:20:30", in_view=True), "not a supported date"),
    "edtf-inner-qualifier": (_with("to", "2004-06-~11", in_view=True), "not a supported date"),
    "huge-number": (_with("extent", "[" + "9" * 5000 + ", 1, 2, 3]", True), "cannot be read"),
    "python-tag": ("!!python/object/apply:os.system ['true']\n", "not valid YAML"),
    "list-id": (_top_key("id: [a, b]"), "field 'id'"),
    "scenes-mapping": (SHIPPED.split("scenes:")[0] + "scenes: {a: 1}\n", "field 'scenes'"),
    "duplicate-key": (_top_key("id: a\nid: b"), "appears twice"),
    "nan-extent": (_with("extent", "[.nan, .nan, .nan, .nan]", True), "field 'view.extent'"),
    "long-title": (_with("title_en", "x" * 9000), "title_en"),
    "empty": ("", "expected a mapping"),
    "scalar": ("just text\n", "expected a mapping"),
}


def _in_child(fn):
    """`fn()` in a forked child whose address space may grow by LIMIT_MB at most and whose CPU
    time is capped; return (result, CPU seconds the child used)."""
    return in_child(fn, growth_mb=LIMIT_MB, cpu_seconds=10 * SECONDS)


@pytest.mark.parametrize("case", YAML_CASES, ids=list(YAML_CASES))
def test_walkthrough_upload_is_refused_fast_within_memory(geodata, case):
    text, says = YAML_CASES[case]

    def check():
        walkthrough, problems = validate_walkthrough_upload("mine.yaml", text.encode(), geodata)
        return [walkthrough is None, [str(p) for p in problems]]

    (refused, problems), took = _in_child(check)
    assert refused and problems
    assert any(says in p for p in problems), problems
    assert all(p.startswith("mine.yaml: ") and len(p) < 400 for p in problems), problems
    assert took <= SECONDS, f"{case} used {took:.2f} s of CPU time"


@pytest.mark.parametrize("case", ["bomb-points", "edtf-set", "list-id", "int-key", "too-big"])
def test_briefmap_validate_reports_the_same_without_a_traceback(tmp_path, capsys, case):
    text, says = YAML_CASES[case]
    path = tmp_path / "iraq-syria-2025.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err and "iraq-syria-2025.yaml" in err


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"\xff\xfe\x00bad", "not UTF-8"),
        (b"id: x\n" + b"\x00" * 10, "not valid YAML"),
        (b"a" * 300_000, "at most 256,000"),
    ],
    ids=["not-utf8", "nul-bytes", "oversize-before-decoding"],
)
def test_binary_and_oversize_uploads(geodata, data, says):
    walkthrough, problems = validate_walkthrough_upload("../../etc/x.yaml", data, geodata)
    assert walkthrough is None and any(says in str(p) for p in problems)
    assert all(str(p).startswith("x.yaml") for p in problems)  # the name only, no path


def _edit_json(root: Path, name: str, change) -> None:
    path = root / name
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _first_feature(root: Path, name: str, **props) -> None:
    _edit_json(root, name, lambda d: d["features"][0]["properties"].update(props))


def _geometry(root: Path, name: str, geometry) -> None:
    _edit_json(root, name, lambda d: d["features"][0].update(geometry=geometry))


def _raw(root: Path, name: str, text: str) -> None:
    (root / name).write_text(text, encoding="utf-8")


OPEN_RING = {"type": "Polygon", "coordinates": [[[40, 34], [41, 34], [41, 35], [40, 35]]]}
GEODATA_CASES = {
    "deep-json": (lambda r: _raw(r, "features/isis.geojson", "[" * 5000 + "]" * 5000), "deeper"),
    "open-ring": (lambda r: _geometry(r, "features/isis.geojson", OPEN_RING), "must be closed"),
    "no-features-folder": (lambda r: shutil.rmtree(r / "features"), "features/: folder not found"),
    "actor-id-list": (
        lambda r: _edit_json(r, "actors.json", lambda d: d["actors"][0].update(id=["a"])),
        "field 'id'",
    ),
    "member-of-object": (
        lambda r: _edit_json(r, "actors.json", lambda d: d["actors"][1].update(member_of={})),
        "field 'member_of'",
    ),
    "report-list": (
        lambda r: _first_feature(
            r, "features/isis.geojson", sources=[{"report": [], "paragraph": 1}]
        ),
        "field 'sources[0].report'",
    ),
    "date-negative": (lambda r: _first_feature(r, "features/isis.geojson", date="-0001"), "date"),
    "date-xx": (lambda r: _first_feature(r, "features/isis.geojson", date="2025-XX-XX"), "date"),
    "date-time": (
        lambda r: _first_feature(r, "features/isis.geojson", date="1985-04-12T23:20:30"),
        "not a supported date",
    ),
    "coordinate-digits": (
        lambda r: _geometry(
            r, "features/energy.geojson", {"type": "Point", "coordinates": [int("9" * 400), 1]}
        ),
        "out of range",
    ),
    "coordinate-too-long": (
        lambda r: _raw(r, "features/energy.geojson", '{"a": ' + "9" * 5000 + "}"),
        "not valid JSON data",
    ),
    "geometry-type-list": (
        lambda r: _geometry(r, "features/isis.geojson", {"type": ["Point"], "coordinates": [1, 2]}),
        "field 'geometry'",
    ),
}


@pytest.mark.parametrize("case", GEODATA_CASES, ids=list(GEODATA_CASES))
def test_broken_geodata_is_one_clear_problem_not_a_crash(tmp_path, case):
    root = tmp_path / "geodata"
    shutil.copytree(GEODATA, root, ignore=shutil.ignore_patterns("basemap"))
    change, says = GEODATA_CASES[case]
    change(root)
    result = validate(root)
    texts = [str(p) for p in result.problems]
    assert not result.ok and any(says in t for t in texts), texts
    assert all(len(t) < 500 for t in texts)
    if case == "no-features-folder":
        assert len(texts) == 1


LINK_CASES = {
    "from-1990": ({"from": "1990"}, "from 1990-01-01 is outside 2003–2026"),
    "to-9999": ({"to": "9999"}, "to='9999'"),
    "from-negative": ({"from": "-0001"}, "from='-0001'"),
    "to-set": ({"to": "[..2025]"}, "to='[..2025]'"),
    "lang-markdown": ({"lang": "![x](http://example.invalid/p.png)"}, "lang="),
    "centre-nan": ({"c": "nan,nan"}, "c='nan,nan'"),
    "zoom-inf": ({"z": "inf"}, "z='inf'"),
    "inview-short": ({"inview": "1,2,3"}, "inview='1,2,3'"),
    "huge-value": ({"actors": "isis," * 50_000}, "at most 2,000"),
    "unknown-key": ({"colour": "red"}, "unknown key(s) 'colour'"),
    "layers-link": ({"layers": "[Click here](http://example.invalid)"}, "layers: unknown"),
    "list-value": ({"actors": ["isis", "iran"]}, ""),
}


@pytest.mark.parametrize("case", LINK_CASES, ids=list(LINK_CASES))
def test_a_bad_link_is_clamped_or_dropped_and_named(geodata, case):
    params, says = LINK_CASES[case]
    view = from_query(params, geodata, DATE_RANGE)
    notes = "; ".join(view.notes)
    assert says in notes, notes
    lo, hi = DATE_RANGE
    assert view.date_from is None or lo <= view.date_from <= hi
    assert view.date_to is None or lo <= view.date_to <= hi
    assert len(notes) < 1200


@pytest.mark.parametrize("case", ["from-1990", "to-9999", "centre-nan", "huge-value", "to-set"])
def test_the_page_opens_with_a_bad_link(case):
    params, _says = LINK_CASES[case]
    at = run_app(**params)
    assert at.warning and "Parts of the link were ignored" in shown(at.warning[0].value)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--from=-0001"], "from='-0001'"),
        (["--to", "2025-XX-XX"], "to='2025-XX-XX'"),
        (["--bbox", "nan,nan,nan,nan"], "inview="),
        (["--actors", "[x](http://example.invalid)"], "actors: unknown"),
    ],
)
def test_export_filters_are_clear_errors(tmp_path, capsys, args, says):
    assert main(["export", "--format", "csv", "--out", str(tmp_path / "x.csv"), *args]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    assert not (tmp_path / "x.csv").exists()
