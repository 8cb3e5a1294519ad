"""Walkthrough files: the shipped briefing, the boundary's errors, the file format round trip,
`briefmap scenes`, and the briefing room presenters and audiences share."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from layers.boundary import validate_walkthrough_text
from layers.briefing import BriefingError, BriefingRoom, Role
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
        '      - "تحرص بغداد على التعاون في مراقبة الصحراء"',
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
    b = room.create(walkthrough, 4)
    key = b.presenter_key
    assert b.index == 4 and b.version == 1
    assert room.find(key).briefing.index == 4  # joining does not move it
    for _ in range(10):
        room.act(key, "prev")
    assert room.find(key).briefing.index == 0
    assert room.act(key, "last").index == len(walkthrough.scenes) - 1
    blanked = room.act(key, "blank")
    assert blanked.blank and blanked.version == 13
    moved = room.act(key, "prev")
    assert not moved.blank and moved.index == len(walkthrough.scenes) - 2  # moving unblanks
    assert room.find("other-key-that-is-long-enough") is None


def test_two_secrets_made_by_the_server_and_only_the_presenter_drives(walkthrough):
    room = BriefingRoom()
    b = room.create(walkthrough)
    assert b.presenter_key != b.audience_key
    assert all(len(k) >= 22 for k in (b.presenter_key, b.audience_key))  # >= 128 bits
    assert room.find(b.presenter_key).role == Role.PRESENTER
    audience = room.find(b.audience_key)
    assert audience.role == Role.AUDIENCE and audience.key == b.audience_key
    for action in ("next", "last", "blank", "first"):
        with pytest.raises(BriefingError, match="audience key cannot drive"):
            room.act(b.audience_key, action)
    assert room.find(b.presenter_key).briefing.version == 1  # nothing moved
    with pytest.raises(BriefingError):
        room.act(b.presenter_key, "explode")
    other = room.create(walkthrough)
    assert {other.presenter_key, other.audience_key}.isdisjoint({b.presenter_key, b.audience_key})


@pytest.mark.parametrize(
    "key", [None, "", "short", "x" * 65, "../../etc/passwd-aaaaaaaaaaaa", ["list"], "é" * 30]
)
def test_implausible_keys_are_never_looked_up(walkthrough, key):
    room = BriefingRoom()
    room.create(walkthrough)
    assert room.find(key) is None
    with pytest.raises(BriefingError):
        room.act(key, "next")


def test_briefings_expire_when_idle_and_are_bounded(walkthrough):
    now = [1000.0]
    room = BriefingRoom(idle_seconds=60, max_briefings=2, clock=lambda: now[0])
    a = room.create(walkthrough)
    b = room.create(walkthrough)
    with pytest.raises(BriefingError, match="already holds 2"):
        room.create(walkthrough)
    now[0] += 50
    room.find(a.presenter_key)  # the presenter's window keeps its briefing alive
    now[0] += 30
    assert room.find(b.presenter_key) is None and room.find(b.audience_key) is None
    assert room.find(a.audience_key) is not None
    assert len(room) == 1
    room.create(walkthrough)  # room again


def test_scenes_are_framed_by_what_they_highlight(geodata):
    walk = geodata.walkthroughs["iraq-syria-2025"]
    by_id = {s.id: s for s in walk.scenes}
    # scene 4: its highlights (Deir ez-Zor, Albu Kamal, Qusayr, the corridor) set the frame
    scene = walk.scenes[3]
    w, s, e, n = scene_frame(scene, geodata)
    corridor = geodata.feature("tehran-beirut-land-corridor").geometry.bounds
    assert (w, s, e, n) != scene.extent
    assert w <= corridor[0] and e >= corridor[2]
    # highlights all in Baghdad make no frame of their own: the scene's extent does
    baghdad = next(s for s in by_id.values() if "arab-league-summit-baghdad" in s.highlight)
    assert scene_frame(baghdad, geodata) == baghdad.extent
