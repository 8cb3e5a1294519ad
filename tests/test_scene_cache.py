"""A scene's layers are built once per server and briefing version (dashboard/scene_cache.py):
the second projector window of a version builds nothing, and what its browser is handed is
exactly what a window drawing the scene anew is handed (the map's own random id aside), in
both languages, across moves, beside an analyst's map drawn as before."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import briefing as briefing_page
from dashboard import data, scene_cache
from layers.paths import DASHBOARD_DIR

WALK = "iraq-syria-2025"


def _window(key: str, lang: str) -> AppTest:
    at = AppTest.from_file(str(DASHBOARD_DIR / "app.py"), default_timeout=120)
    at.query_params.update({"mode": "audience", "walkthrough": WALK, "briefing": key})
    if lang != "en":
        at.query_params["lang"] = lang
    return at


def _map_args(at: AppTest) -> dict:
    maps = [
        e.proto
        for e in at.get("component_instance")
        if e.proto.component_name == "streamlit_folium.st_folium"
    ]
    assert len(maps) == 1, "one map on the projector"
    args = json.loads(maps[0].json_args)
    args.pop("id")  # the folium map's own random name, new on every run, kept or not
    args.pop("key")  # a hash of the script, whose session's own part differs (below)
    # each session's own key to the report paragraphs, in the base map (never kept)
    args["script"], found = re.subn(r'reportsKey = "[^"]*"', "reportsKey = KEY", args["script"])
    assert found <= 1
    return args


@pytest.fixture
def builds(monkeypatch):
    """How many times a scene's layers were built."""
    count = [0]
    real = briefing_page.layer_groups

    def counted(*args, **kwargs):
        count[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(briefing_page, "layer_groups", counted)
    scene_cache.forget()
    yield count
    scene_cache.forget()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_kept_scene_hands_every_window_what_a_new_drawing_would(builds, lang):
    AppTest.from_file(str(DASHBOARD_DIR / "app.py"), default_timeout=120).run()  # the runtime
    room = data.briefing_room()
    b = room.create(data.geodata().walkthroughs[WALK], 2)
    first = _window(b.audience_key, lang).run()
    assert not first.exception and builds[0] == 1
    second = _window(b.audience_key, lang).run()
    assert builds[0] == 1, "the second window built the scene again"
    kept = _map_args(second)
    assert kept == _map_args(first)
    scene_cache.forget()  # the same scene drawn anew: the same arguments
    anew = _window(b.audience_key, lang).run()
    assert builds[0] == 2 and _map_args(anew) == kept
    room.act(b.presenter_key, "next")  # a move: a new version, built once more, then kept
    moved = [w.run() for w in (first, second)]
    assert builds[0] == 3
    assert _map_args(moved[0]) == _map_args(moved[1]) != kept


def test_the_analysts_map_is_drawn_as_before(monkeypatch):
    """Rendering goes through the kept-script wrapper for every map; the analyst's groups
    are not kept, so each run renders its own (a filter change shows at once)."""
    rendered = []
    real = scene_cache._render

    def counted(group, m, idx=0):
        rendered.append(idx)
        return real(group, m, idx)

    monkeypatch.setattr(scene_cache, "_render", counted)
    at = AppTest.from_file(str(DASHBOARD_DIR / "app.py"), default_timeout=120).run()
    assert not at.exception and rendered
    first = len(rendered)
    assert "feature_group_0" in _map_args(at)["feature_group"]
    at.run()
    assert len(rendered) == 2 * first
