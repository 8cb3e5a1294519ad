"""Every field of every geodata record, and of a walkthrough scene, given each hostile value:
the boundary answers with problems naming the field, never with an exception.

This tests the class (a wrong type or an absurd value anywhere) rather than single cases: the
values below stand for every shape a JSON or YAML file can hand us.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from layers.boundary import validate_walkthrough_text
from layers.boundary.catalogue import read_catalogue
from layers.boundary.claims import known_ids
from layers.boundary.context import read_actors, read_sources
from layers.boundary.features import read_feature_collection
from layers.boundary.problems import ProblemLog
from layers.boundary.timeline import read_timeline
from layers.walkthrough import dump_walkthrough
from tests.conftest import GEODATA

HOSTILE: list[Any] = [
    None,
    True,
    0,
    -1,
    1.5,
    10**400,
    float("inf"),
    "",
    " ",
    "x" * 20_000,
    "2025-13-40",
    "![x](http://example.invalid/p.png)",
    [],
    [[]],
    ["a", ["b"]],
    [{"a": []}],
    {},
    {"a": {"b": [1]}},
    [[[[[[[[[[[[1]]]]]]]]]]]],
]
IDS = [repr(v)[:24] for v in HOSTILE]


def _load(name: str) -> Any:
    return json.loads((GEODATA / name).read_text(encoding="utf-8"))


def _mutations(record: dict[str, Any]):
    """(field, value) for every field of the record and one unknown field, each hostile value."""
    for key in [*record, "unexpected"]:
        for value in HOSTILE:
            yield key, value


def _run_all(read, make_data, records: list[dict[str, Any]]) -> int:
    """Mutate each record's every field with every hostile value; read; count problems."""
    seen = 0
    for index, record in enumerate(records):
        for key, value in _mutations(record):
            changed = copy.deepcopy(record)
            changed[key] = value
            log = ProblemLog()
            read(make_data(index, changed), log)  # must not raise
            seen += len(log.problems)
            if _must_refuse(key, value, record):
                assert log.problems, (key, value)
    return seen


def _shape(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def _must_refuse(key: str, value: Any, record: dict[str, Any]) -> bool:
    """A value of another shape than the field's own, an unknown field, or an over-long text."""
    if key not in record:
        return True
    if value is None:
        return False
    original = record[key]
    too_long = isinstance(value, str) and len(value) > 10_000
    return too_long or (original is not None and _shape(value) != _shape(original))


@pytest.fixture(scope="module")
def known(geodata):
    return known_ids(
        geodata.layers,
        geodata.actors,
        geodata.originators,
        geodata.references,
        geodata.reports.values(),
    )


def test_every_feature_field(known, geodata):
    collection = json.loads((GEODATA / "features/isis.geojson").read_text(encoding="utf-8"))
    entries = collection["features"][:2]

    def make(_i: int, props: dict) -> dict:
        feature = {**entries[_i], "properties": props}
        return {"type": "FeatureCollection", "features": [feature]}

    def read(data, log):
        read_feature_collection(data, "isis.geojson", known, log, geodata.area_of_interest)

    assert _run_all(read, make, [e["properties"] for e in entries]) > 0


def test_every_feature_geometry_member(known, geodata):
    collection = json.loads((GEODATA / "features/energy.geojson").read_text(encoding="utf-8"))
    for entry in collection["features"][:3]:
        for key in ("type", "coordinates", "geometry"):
            for value in HOSTILE:
                changed = copy.deepcopy(entry)
                if key == "geometry":
                    changed["geometry"] = value
                else:
                    changed["geometry"][key] = value
                log = ProblemLog()
                data = {"type": "FeatureCollection", "features": [changed]}
                read_feature_collection(data, "e.geojson", known, log, geodata.area_of_interest)
                assert log.problems, (key, value)


def test_every_actor_field():
    data = _load("actors.json")
    actors = data["actors"][:3]

    def make(i: int, rec: dict) -> dict:
        return {**data, "actors": [*actors[:i], rec, *actors[i + 1 :]]}

    _run_all(lambda d, log: read_actors(d, "actors.json", log), make, actors)


def test_every_sources_field():
    data = _load("sources.json")
    for group in ("reports", "originators", "documents", "references"):
        records = data[group][:2]

        def make(i: int, rec: dict, group=group, records=records) -> dict:
            return {**data, group: [*records[:i], rec, *records[i + 1 :]]}

        _run_all(lambda d, log: read_sources(d, "sources.json", log), make, records)


def test_every_layer_field():
    data = _load("layers.json")
    layers = data["layers"][:2]

    def make(i: int, rec: dict) -> dict:
        return {**data, "layers": [*layers[:i], rec, *layers[i + 1 :]]}

    _run_all(lambda d, log: read_catalogue(d, "layers.json", log), make, layers)
    style = layers[0]["style"]
    for key in [*style, "fill_colour", "weight", "dash", "radius", "fill_opacity"]:
        for value in HOSTILE:
            rec = {**layers[0], "style": {**style, key: value}}
            log = ProblemLog()
            read_catalogue({**data, "layers": [rec]}, "layers.json", log)  # must not raise
            if _shape(value) not in ("number", "NoneType"):
                assert log.problems, (key, value)


def test_every_timeline_field(known):
    data = _load("timeline.json")
    entries = data["annotations"][:2]

    def make(i: int, rec: dict) -> dict:
        return {"annotations": [rec]}

    _run_all(lambda d, log: read_timeline(d, "timeline.json", known, log), make, entries)


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_top_level_of_each_file_is_checked(value, known, geodata):
    for read in (
        lambda log: read_actors(value, "actors.json", log),
        lambda log: read_sources(value, "sources.json", log),
        lambda log: read_catalogue(value, "layers.json", log),
        lambda log: read_timeline(value, "timeline.json", known, log),
        lambda log: read_feature_collection(
            value, "x.geojson", known, log, geodata.area_of_interest
        ),
    ):
        log = ProblemLog()
        read(log)
        assert log.problems or value is None


def _scene_yaml(geodata, field: str, value: Any, in_view: bool = False) -> str:
    import yaml

    walkthrough = next(iter(geodata.walkthroughs.values()))
    data = yaml.safe_load(dump_walkthrough(walkthrough))
    scene = data["scenes"][1]
    if in_view:
        scene["view"][field] = value
    else:
        scene[field] = value
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _scene_record(geodata) -> dict[str, Any]:
    import yaml

    walkthrough = next(iter(geodata.walkthroughs.values()))
    return yaml.safe_load(dump_walkthrough(walkthrough))["scenes"][1]


SCENE_FIELDS = [
    "id",
    "title_en",
    "title_ar",
    "points_en",
    "points_ar",
    "notes_en",
    "notes_ar",
    "view",
    "highlight",
    "sources",
    "surplus",
]
VIEW_FIELDS = ["layers", "actors", "types", "from", "to", "undated", "extent", "surplus"]


@pytest.mark.parametrize("field", SCENE_FIELDS)
def test_every_scene_field(geodata, field):
    for value in HOSTILE:
        text = _scene_yaml(geodata, field, value)
        walkthrough, problems = validate_walkthrough_text(text, "w.yaml", geodata)
        assert problems or walkthrough is not None
        if field == "surplus" or _must_refuse(field, value, _scene_record(geodata)):
            assert problems, (field, value)
        for p in problems:
            assert p.file == "w.yaml" and len(str(p)) < 400


# The only HOSTILE values a scene's view may hold, each a value of the field's own meaning:
# None (the key left empty: the default), an empty list (no layers, actors or types), and
# `undated: true`. Every other value must be refused with a problem, not tolerated.
VIEW_ACCEPTS: dict[str, list[Any]] = {
    "layers": [None, []],
    "actors": [None, []],
    "types": [None, []],
    "from": [None],
    "to": [None],
    "undated": [True],
    "extent": [None],
    "surplus": [],
}


def _accepted(field: str, value: Any) -> bool:
    return any(type(value) is type(a) and value == a for a in VIEW_ACCEPTS[field])


@pytest.mark.parametrize("field", VIEW_FIELDS)
def test_every_scene_view_field(geodata, field):
    for value in HOSTILE:
        text = _scene_yaml(geodata, field, value, in_view=True)
        walkthrough, problems = validate_walkthrough_text(text, "w.yaml", geodata)
        if _accepted(field, value):
            assert walkthrough is not None and not problems, (field, value, problems)
        else:
            assert walkthrough is None and problems, (field, value)  # refused, not tolerated
        for p in problems:
            assert p.file == "w.yaml" and len(str(p)) < 400
            assert "scenes[1]" in p.item or "line" in p.item


def test_problem_messages_stay_short_whatever_the_value(known, geodata):
    """A megabyte value appears in a message as at most a few dozen characters."""
    collection = json.loads((GEODATA / "features/isis.geojson").read_text(encoding="utf-8"))
    entry = copy.deepcopy(collection["features"][0])
    huge = "y" * 1_000_000
    entry["properties"].update(id=huge, layer=huge, kind=[huge] * 1000, grade={huge: huge})
    log = ProblemLog()
    read_feature_collection(
        {"type": "FeatureCollection", "features": [entry]}, "f", known, log, (0, 0, 90, 90)
    )
    assert log.problems and max(len(str(p)) for p in log.problems) < 400


def test_more_problems_than_the_cap_are_counted_not_listed():
    from layers.boundary.problems import MAX_PROBLEMS

    log = ProblemLog()
    for i in range(MAX_PROBLEMS + 50):
        log.add("f", f"row {i}", "x", "bad")
    assert len(log.problems) == MAX_PROBLEMS + 1
    assert "50 more" in str(log.problems[-1])


def test_paths_are_not_leaked_into_messages(tmp_path: Path, geodata):
    walkthrough, problems = validate_walkthrough_text("scenes: [", "mine.yaml", geodata)
    assert walkthrough is None and problems
    assert all(str(tmp_path) not in str(p) for p in problems)
