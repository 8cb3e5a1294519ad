"""The projector's frame (marking, legend, scale words) and the briefing's pause, without a
browser: the marking is the exports' own, the legend names what the fitted map shows, and a
stopped presentation is a state the audience can show."""

from __future__ import annotations

from dataclasses import replace

import pytest
from shapely.geometry import box

from layers.boundary import load_geodata
from layers.briefing import BriefingError, BriefingRoom
from layers.i18n import t
from layers.marking import parse
from layers.render.projector import MAP_PX, banner_html, extras_group, projector_frame, shown_bounds
from layers.snapshot.contents import layer_markings
from layers.walkthrough import scene_frame, scene_view
from tests.conftest import GEODATA

WALK = "iraq-syria-2025"


@pytest.fixture(scope="module")
def geodata():
    return load_geodata(GEODATA)


@pytest.fixture(scope="module")
def walkthrough(geodata):
    return geodata.walkthroughs[WALK]


def test_pause_is_shown_and_any_move_or_resume_ends_it(walkthrough):
    room = BriefingRoom()
    b = room.create(walkthrough, 2)
    key = b.presenter_key
    room.act(key, "blank")
    paused = room.act(key, "pause")
    assert paused.paused and not paused.blank  # a stopped room is told, never left black
    assert paused.version == b.version + 2
    assert room.act(key, "pause") == paused  # pausing twice changes nothing
    assert room.find(b.audience_key).briefing.paused
    resumed = room.act(key, "resume")
    assert not resumed.paused and resumed.index == 2 and resumed.version == paused.version + 1
    assert room.act(key, "resume") == resumed
    room.act(key, "pause")
    moved = room.act(key, "next")
    assert not moved.paused and moved.index == 3
    with pytest.raises(BriefingError, match="audience key cannot drive"):
        room.act(b.audience_key, "pause")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_projector_marking_is_the_exports_marking(geodata, walkthrough, lang):
    for scene in walkthrough.scenes:
        frame = projector_frame(scene, geodata, lang)
        markings = layer_markings(scene_view(scene, lang), geodata)
        top = max(markings.values(), key=lambda m: m.rank)
        assert frame.marking.rank == top.rank
        assert frame.marking == parse(frame.marking.label)
        html = banner_html(frame.marking, "top")
        assert frame.marking.label in html and frame.marking.background in html


def test_raised_layer_marking_reaches_the_banner(geodata, walkthrough):
    scene = walkthrough.scenes[2]
    lid = scene_view(scene, "en").visible_layers(geodata)[0]
    layer = geodata.layers[lid]
    layers = {**geodata.layers, lid: replace(layer, marking="TLP:AMBER")}
    raised = replace(geodata, layers=layers)
    assert projector_frame(scene, raised, "en").marking.label == "TLP:AMBER"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_legend_lists_what_the_fitted_map_shows(geodata, walkthrough, lang):
    for scene in walkthrough.scenes:
        frame = projector_frame(scene, geodata, lang)
        bounds = scene_frame(scene, geodata)
        area = box(*shown_bounds(bounds)) if bounds else None
        selected = scene_view(scene, lang).select(geodata)
        expected = [f for f in selected if area is None or f.geometry.intersects(area)]
        assert [f.id for f in frame.drawn] == [f.id for f in expected]
        for lid in {f.layer for f in expected}:
            assert f'data-layer="{lid}"' in frame.legend
        for lid in {f.layer for f in selected} - {f.layer for f in expected}:
            assert f'data-layer="{lid}"' not in frame.legend


def test_shown_bounds_hold_the_frame_and_the_map_shape():
    frame = (40.0, 33.0, 42.0, 35.0)
    w, s, e, n = shown_bounds(frame)
    assert w <= 40.0 and s <= 33.0 and e >= 42.0 and n >= 35.0
    assert (e - w) > (n - s)  # a wide projector map shows more east–west than north–south
    small = shown_bounds((44.3, 33.2, 44.4, 33.3))  # zoom capped: a city block is not filled
    assert small[2] - small[0] > 1.0 and MAP_PX[0] > MAP_PX[1]


def test_scale_words_follow_the_language(geodata, walkthrough):
    frame = projector_frame(walkthrough.scenes[0], geodata, "ar")
    group = extras_group(frame, "ar")
    spec = next(iter(group._children.values())).spec
    assert spec["units"]["km"] == t("km", "ar") == "كم" and spec["rtl"] is True
    assert extras_group(frame, "en")._children
