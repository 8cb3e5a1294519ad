"""A scene's layers are built once per server and briefing version (dashboard/scene_cache.py):
the second projector window of a version builds nothing, and what its browser is handed is
exactly what a window drawing the scene anew is handed (the map's own random id aside), in
both languages, across moves, beside an analyst's map drawn as before."""

from __future__ import annotations

import json
import re

import folium
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


@pytest.fixture
def analyst_builds(monkeypatch):
    """How many times an analyst's report layers were built, and with which layer ids."""
    from dashboard import map_panel

    built = []
    real = map_panel.layer_groups

    def counted(features, geodata, layer_ids, *args, **kwargs):
        built.append(tuple(layer_ids))
        return real(features, geodata, layer_ids, *args, **kwargs)

    monkeypatch.setattr(map_panel, "layer_groups", counted)
    scene_cache.forget()
    yield built
    scene_cache.forget()


def _analyst(lang: str = "en", **params: str) -> AppTest:
    at = AppTest.from_file(str(DASHBOARD_DIR / "app.py"), default_timeout=120)
    at.query_params.update({"lang": lang, **params})
    # the map has reported once: the page draws its sidebar (tests/conftest.py run_app)
    at.session_state["map"] = {"center": {"lat": 34.4, "lng": 43.2}, "zoom": 6, "bounds": None}
    return at.run()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_analysts_layers_are_kept_per_filters_and_equal_a_new_drawing(analyst_builds, lang):
    """The report layers of one set of filters are built once per server: a rerun (a pan)
    and a second session with the same filters build nothing and are handed exactly what a
    new drawing gives; other filters are built for themselves at once."""
    first = _analyst(lang)
    assert not first.exception and len(analyst_builds) == 1
    first.run()  # a rerun: a pan reports the view back and reruns the page
    second = _analyst(lang)
    assert len(analyst_builds) == 1, "the same filters were built again"
    kept = _map_args(second)
    assert kept == _map_args(first)
    scene_cache.forget()
    anew = _analyst(lang)
    assert len(analyst_builds) == 2 and _map_args(anew) == kept
    # another filter: built for itself, and what it hands the browser is what it should be
    first.checkbox(key="layer-energy").uncheck().run()
    assert len(analyst_builds) == 3 and "energy" not in analyst_builds[-1]
    narrowed = _map_args(first)
    assert narrowed != kept
    scene_cache.forget()
    assert _map_args(_analyst(lang, layers=first.query_params["layers"])) == narrowed
    first.checkbox(key="layer-energy").check().run()  # back: kept again after the forget
    assert _map_args(first) == kept


def test_a_highlight_is_drawn_for_its_session_over_kept_layers(analyst_builds):
    """The highlight and the flight to it belong to one session: they are added to the kept
    layers for that run, never kept with them for the next session."""
    lit = _analyst(hl="al-hol-camp")
    assert not lit.exception
    plain = _analyst()
    assert len(analyst_builds) == 1  # the same filters: the layers were kept
    lit_groups = _map_args(lit)["feature_group"]
    plain_groups = _map_args(plain)["feature_group"]
    assert "briefmap.highlight(" in lit_groups and "briefmap.highlight(" not in plain_groups
    assert lit_groups.startswith(plain_groups)  # the kept layers, then this run's highlight


def test_analysts_filters_never_push_out_the_scene_on_the_projector():
    """Kept apart by kind: many analysts' filter sets leave the room's scene kept, and each
    kind keeps only its own bound (the oldest go first)."""
    scene_cache.forget()
    built = []

    def build(name):
        return lambda: built.append(name) or [folium.FeatureGroup(name=name)]

    holds = object()
    scene = ("projector", "walk", 1, 0, 7, "en")
    scene_cache.scene_groups(scene, holds, build("scene"))
    many = scene_cache.MAX_KEPT["analyst"] * 3
    for n in range(many):
        scene_cache.scene_groups(("analyst", n), holds, build(f"filters {n}"))
    scene_cache.scene_groups(scene, holds, build("scene"))
    assert built.count("scene") == 1, "analysts' filters pushed the scene out"
    scene_cache.scene_groups(("analyst", many - 1), holds, build("newest"))  # still kept
    scene_cache.scene_groups(("analyst", 0), holds, build("oldest"))  # gone: built again
    assert "newest" not in built and "oldest" in built
    scene_cache.forget()
