"""Walkthrough files: the shipped briefing, the boundary's errors, the file format round trip,
`briefmap scenes`, and the briefing room presenters and audiences share."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from layers.boundary import validate_walkthrough_text
from layers.briefing import BriefingRoom
from layers.cli import main
from layers.model import ClaimType
from layers.walkthrough import dump_walkthrough, scene_frame
from tests.conftest import GEODATA

SHIPPED = GEODATA / "walkthroughs" / "iraq-syria-2025.yaml"
TOPICS = [
    "overview",
    "isis-desert-al-hol",
    "smuggling-corridor",
    "iran-land-corridor",
    "coalition-withdrawal",
    "turkey-pipelines",
    "gulf-and-outside-actors",
    "iraqi-politics",
    "scenario-partnership",
    "scenario-limited",
]


@pytest.fixture(scope="module")
def walkthrough(geodata):
    return geodata.walkthroughs["iraq-syria-2025"]


def test_default_walkthrough_covers_the_briefing(walkthrough, geodata):
    assert [s.id for s in walkthrough.scenes] == TOPICS
    for scene in walkthrough.scenes:
        assert scene.sources, scene.id  # every scene cites at least one paragraph
        assert scene.points_en and scene.points_ar and scene.notes_en and scene.notes_ar
        assert scene.view.select(geodata), f"{scene.id} shows nothing"
        assert scene_frame(scene, geodata) is not None
        shown = {f.id for f in scene.view.select(geodata)}
        assert set(scene.highlight) <= shown, f"{scene.id} highlights what it hides"


@pytest.mark.parametrize(
    ("scene_id", "layer"),
    [("scenario-partnership", "scenario-partnership"), ("scenario-limited", "scenario-limited")],
)
def test_each_scenario_scene_shows_its_own_future_only(walkthrough, geodata, scene_id, layer):
    scene = next(s for s in walkthrough.scenes if s.id == scene_id)
    shown = scene.view.select(geodata)
    futures = {f.layer for f in shown if f.claim_type == ClaimType.SCENARIO}
    assert futures == {layer}
    assert {f.id for f in shown if f.claim_type == ClaimType.SCENARIO} >= set(scene.highlight)


def test_file_format_round_trips(walkthrough, geodata):
    again, problems = validate_walkthrough_text(dump_walkthrough(walkthrough), "x.yaml", geodata)
    assert problems == () and again == walkthrough


def _broken(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "iraq-syria-2025.yaml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


SCENE3 = "scenes[2] (id 'smuggling-corridor')"
CASES = [
    ("yaml-syntax", "  - id: overview\n", "  - id: [overview\n", "line", "", "not valid YAML"),
    (
        "duplicate-key",
        '    title_en: "After Assad: a new security file"\n',
        '    title_en: "After Assad: a new security file"\n    title_en: "again"\n',
        "line",
        "",
        "appears twice",
    ),
    (
        "missing-arabic-title",
        '    title_ar: "ممر التهريب بين دير الزور والأنبار"\n',
        "",
        SCENE3,
        "title_ar",
        "missing",
    ),
    (
        "points-in-wrong-language",
        '      - "تريد بغداد رقابة مشتركة على الصحراء المفتوحة"',
        '      - "Baghdad wants oversight"',
        SCENE3,
        "points_ar",
        "expected Arabic",
    ),
    (
        "unknown-layer",
        "      layers: [smuggling, border, context, isis]",
        "      layers: [smuggling, weather]",
        SCENE3,
        "view.layers",
        "unknown layer 'weather'",
    ),
    (
        "unknown-actor",
        "      layers: [smuggling, border, context, isis]",
        "      layers: [smuggling]\n      actors: [spectre]",
        SCENE3,
        "view.actors",
        "unknown actor 'spectre'",
    ),
    (
        "bad-extent",
        "      extent: [39.5, 33.4, 43.0, 35.8]",
        "      extent: [43.0, 33.4, 39.5]",
        SCENE3,
        "view.extent",
        "west, south, east, north",
    ),
    (
        "dates-reversed",
        "      layers: [smuggling, border, context, isis]",
        "      layers: [smuggling]\n      from: 2025\n      to: 2013",
        SCENE3,
        "view.to",
        "before 'from'",
    ),
    (
        "unknown-highlight",
        "    highlight: [deir-ez-zor-anbar-corridor, albu-kamal-qaim-crossing]",
        "    highlight: [atlantis]",
        SCENE3,
        "highlight",
        "unknown feature 'atlantis'",
    ),
    (
        "no-citation",
        "    sources:\n      - {report: 000_0f03b8209ef71bac.txt, paragraph: 8}\n"
        "      - {report: 001_dfc6dfa4d6bd7bc6.txt, paragraph: 4}",
        "    sources: []",
        SCENE3,
        "sources",
        "cites at least one paragraph",
    ),
    (
        "paragraph-out-of-range",
        "{report: 000_0f03b8209ef71bac.txt, paragraph: 8}",
        "{report: 000_0f03b8209ef71bac.txt, paragraph: 99}",
        SCENE3,
        "sources[0].paragraph",
        "paragraphs 1-26",
    ),
    (
        "duplicate-scene-id",
        "  - id: smuggling-corridor",
        "  - id: overview",
        "scenes[2] (id 'overview')",
        "id",
        "duplicate scene id",
    ),
    (
        "unknown-field",
        '    notes_en: "The band is drawn',
        '    note_en: "The band is drawn',
        SCENE3,
        "note_en",
        "unknown field",
    ),
]


@pytest.mark.parametrize(
    ("case", "old", "new", "item", "field", "message"), CASES, ids=[c[0] for c in CASES]
)
def test_broken_walkthrough_is_reported_with_scene_and_field(
    tmp_path, capsys, case, old, new, item, field, message
):
    path = _broken(tmp_path, old, new)
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if message in line]
    assert lines, err
    assert "iraq-syria-2025.yaml" in lines[0] and item in lines[0]
    if field:
        assert f"field '{field}'" in lines[0]


def test_scenes_command_lists_every_scene(capsys, walkthrough):
    assert main(["scenes", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["number"] for r in rows] == list(range(1, len(walkthrough.scenes) + 1))
    assert rows[2]["id"] == "smuggling-corridor" and rows[2]["citations"] == 2
    assert rows[2]["title_ar"] == "ممر التهريب بين دير الزور والأنبار"
    assert main(["scenes", "--walkthrough", "iraq-syria-2025"]) == 0
    assert " 5  coalition-withdrawal" in capsys.readouterr().out
    assert main(["scenes", "--walkthrough", "nope"]) == 2


def test_briefing_room_moves_within_bounds_and_blanks(walkthrough):
    room = BriefingRoom()
    b = room.open("t", walkthrough, 4)
    assert b.index == 4 and b.version == 1
    assert room.open("t", walkthrough, 0).index == 4  # joining does not move it
    assert room.step("t", -10).index == 0
    assert room.go("t", 99).index == len(walkthrough.scenes) - 1
    blanked = room.toggle_blank("t")
    assert blanked.blank and blanked.version == 4
    moved = room.step("t", -1)
    assert not moved.blank and moved.index == len(walkthrough.scenes) - 2  # moving unblanks
    assert room.get("other") is None
