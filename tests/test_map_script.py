"""The map's data goes into the page as text: never compiled or evaluated as a Jinja template
(branca compiles a MacroElement's rendered script as one, which evaluates `{{ ... }}` in the
data when a whole page is rendered, as the offline HTML is)."""

from __future__ import annotations

import dataclasses
import json
import re

import folium
import pytest

from layers.render.leaflet import highlight_group, layer_groups

PAYLOADS = ["{{ 7*7 }}", "{% if true %}yes{% endif %}", "{{ this.__class__.__name__ }}"]


@pytest.fixture
def planted(geodata):
    feature = geodata.feature("deir-ez-zor-anbar-corridor")
    return dataclasses.replace(feature, name_en=" ".join(PAYLOADS), summary_en="{#")


def _popups(page: str) -> list[str]:
    return [json.loads(f'"{p}"') for p in re.findall(r'"_popup":"((?:[^"\\]|\\.)*)"', page)]


def test_a_whole_page_keeps_template_syntax_in_data_as_text(geodata, planted):
    m = folium.Map(tiles=None)
    for group in layer_groups([planted], geodata, [planted.layer], "en"):
        group.add_to(m)
    highlight_group([planted], "en").add_to(m)
    page = m.get_root().render()  # as the offline HTML is rendered
    popups = _popups(page)
    assert len(popups) == 1
    for payload in PAYLOADS:
        assert payload in popups[0]
    assert "49" not in popups[0] and "yes" not in popups[0].replace("{% if true %}yes", "")


def test_the_offline_html_keeps_template_syntax_in_titles_points_and_data(geodata, planted):
    """The offline page's own markup, its pages' script and the halo were branca Elements
    (compiled as templates): a walkthrough title `{{ 7*7 }}` came out as 49."""
    from layers.marking import parse
    from layers.render.standalone import Page, offline_html

    page = Page(
        title="«T{{ 7*7 }}»",
        points=("«P{{ 7*7 }}»", "«Q{% if true %}yes{% endif %}»"),
        features=(planted,),
        frame=(40.0, 33.0, 42.0, 35.0),
        highlight=(planted,),
    )
    html = offline_html(
        [page, page], geodata, "en", title="«H{{ 7*7 }}»", marking=parse("TLP:CLEAR")
    )
    # the page's title block, the pages' titles and points in the script: all as typed
    for typed in ("«T{{ 7*7 }}»", "«P{{ 7*7 }}»", "«H{{ 7*7 }}»", "«Q{% if true %}yes{% endif %}»"):
        assert typed in html, typed
    for evaluated in ("«T49»", "«P49»", "«H49»", "«Qyes»"):
        assert evaluated not in html, evaluated
    assert "MacroElement" not in html and "DataElement" not in html


def test_an_event_popup_keeps_template_syntax_as_text():
    from layers.events.layer import EventPopup

    m = folium.Map(tiles=None)
    group = folium.FeatureGroup().add_to(m)
    EventPopup(33.0, 44.0, "<p>QN{{ 7*7 }}NQ</p>", 1).add_to(group)
    page = m.get_root().render()
    assert "QN{{ 7*7 }}NQ" in page and "QN49NQ" not in page
