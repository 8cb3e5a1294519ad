"""The Streamlit app's logic with AppTest (no browser): links seed the widgets, widget changes
write the link, bad links are reported, empty results are said in words."""

from __future__ import annotations

import pytest

from tests.conftest import run_app, shown


def caption_texts(at) -> list[str]:
    return [shown(c.value) for c in at.caption]


def test_a_link_seeds_the_widgets():
    at = run_app(actors="isis", types="camp", layers="isis,energy", undated="0", lang="ar")
    assert at.multiselect(key="actors").value == ["isis"]
    assert at.multiselect(key="types").value == ["camp"]
    assert at.checkbox(key="layer-energy").value is True
    assert at.checkbox(key="layer-context").value is False
    assert at.toggle(key="undated").value is False
    assert at.radio(key="lang").value == "ar"
    assert any(c.startswith("تنظيم الدولة الإسلامية، مخيم") for c in caption_texts(at))


def test_changing_a_filter_writes_the_link():
    at = run_app()
    at.multiselect(key="actors").set_value(["kataib-hezbollah"]).run()
    assert at.query_params["actors"] == "kataib-hezbollah"
    at.checkbox(key="layer-energy").uncheck().run()
    assert "energy" not in at.query_params["layers"].split(",")
    assert any(c.startswith("Kata'ib Hezbollah") for c in caption_texts(at))


def test_bad_link_parts_are_reported_not_fatal():
    at = run_app(actors="isis,ghost", **{"from": "banana"})
    assert at.multiselect(key="actors").value == ["isis"]
    warning = shown(at.warning[0].value)
    assert "actors: unknown 'ghost'" in warning and "banana" in warning


def test_nothing_matches_is_said():
    at = run_app(actors="arab-league", **{"from": "2003", "to": "2010"})
    assert any("Nothing matches" in i.value for i in at.info)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_timeline_panel_follows_the_filters(lang):
    everything = run_app(lang=lang)
    narrowed = run_app(lang=lang, actors="kataib-hezbollah")
    show = "Show on map" if lang == "en" else "اعرض على الخريطة"
    n_all = sum(1 for b in everything.button if b.label == show)
    n_narrow = sum(1 for b in narrowed.button if b.label == show)
    assert 0 < n_narrow < n_all


def _seed_out_of_range_then_draw_filters():
    from datetime import date

    from dashboard import data, sidebar, state
    from layers.view import View

    geodata = data.geodata()
    state.seed_widgets(View(date_from=date(1990, 1, 1), date_to=date(2999, 1, 1)), geodata)
    sidebar.filters(geodata, "en")


def test_a_scene_with_dates_outside_the_slider_opens_clamped():
    """Esc from a scene whose dates fall outside the date filter's range (the class of crash:
    a slider value outside its bounds) opens the analyst view with the dates clamped."""
    from streamlit.testing.v1 import AppTest

    from layers.view import DATE_RANGE

    at = AppTest.from_function(_seed_out_of_range_then_draw_filters, default_timeout=30)
    at.run()
    assert not at.exception
    assert tuple(at.slider(key="dates").value) == DATE_RANGE
    notes = at.session_state["bm_url_notes"]
    assert any("1990-01-01 is outside" in n for n in notes)


def test_an_unexpected_error_shows_an_incident_not_a_traceback(monkeypatch):
    import layers.view.words

    def broken(*_args, **_kwargs):
        raise RuntimeError("/secret/server/path exploded")

    monkeypatch.setattr(layers.view.words, "describe", broken)
    monkeypatch.setattr("dashboard.analyst.describe", broken)
    from streamlit.testing.v1 import AppTest

    from layers.paths import DASHBOARD_DIR

    at = AppTest.from_file(str(DASHBOARD_DIR / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception  # handled: logged on the server, a short message for the user
    message = at.error[0].value
    assert "incident" in message and "/secret" not in message and "Traceback" not in message


def test_a_briefmap_error_the_page_let_out_is_said_escaped(monkeypatch):
    """An error of the family that no panel caught is words a person can act on (escaped
    for Markdown), not an incident number."""
    import layers.view.words
    from layers.errors import StorageError

    def refused(*_args, **_kwargs):
        raise StorageError("[store](http://example.com/x.png) *locked*: try again")

    monkeypatch.setattr(layers.view.words, "describe", refused)
    monkeypatch.setattr("dashboard.analyst.describe", refused)
    from streamlit.testing.v1 import AppTest

    from layers.paths import DASHBOARD_DIR

    at = AppTest.from_file(str(DASHBOARD_DIR / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    message = at.error[0].value
    assert "try again" in message and "incident" not in message
    assert "\\[store\\]\\(" in message and "\\*locked\\*" in message  # shown as typed


def test_the_map_is_sent_before_the_timeline_and_the_sidebar_extras():
    """First paint: until the map has reported (drawn), the page holds only the map, the
    filters and an empty timeline frame; the map's report fills in the rest."""
    from streamlit.testing.v1 import AppTest

    from layers.paths import DASHBOARD_DIR

    at = AppTest.from_file(str(DASHBOARD_DIR / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert not [b for b in at.button if b.label == "Show on map"]
    assert len(at.get("component_instance")) == 1  # the map is there
    at.session_state["map"] = {"center": {"lat": 34.4, "lng": 43.2}, "zoom": 6, "bounds": None}
    at.run()
    assert [b for b in at.button if b.label == "Show on map"]


@pytest.mark.parametrize(
    ("reported", "same"),
    [
        ((35.4607, 41.0449, 7), True),  # the map's own report, off by pixel rounding
        ((35.45, 41.05, 7), True),
        ((35.45, 41.07, 7), False),  # two pixels east at zoom 7: moved by hand
        ((35.45, 41.05, 8), False),  # zoomed
        ((35.4607, 41.0449, 10), False),  # the same offset is 8 pixels at zoom 10
    ],
)
def test_a_pinned_extent_survives_pixel_rounding_but_not_a_pan(reported, same):
    from dashboard.state import _same_extent

    assert _same_extent((35.45, 41.05, 7 if reported[2] != 10 else 10), reported) is same
