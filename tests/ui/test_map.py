"""What a person sees: the report layers drawn offline, toggles, popups with citations, and
hostile text shown as text."""

from __future__ import annotations

import json
import shutil

import pytest

from layers.boundary import load_geodata
from tests.conftest import GEODATA
from tests.ui.harness import (
    count_shapes,
    event_loop_turned,
    layer_checkbox,
    open_map,
    run_server,
    wait_for_count,
    wait_until,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def shipped():
    return load_geodata(GEODATA)


def _visible_feature_count(geodata) -> int:
    return sum(1 for f in geodata.features if geodata.layers[f.layer].visible)


def test_report_layers_are_drawn(server, browsing, shipped):
    frame = open_map(browsing.page, server.url)
    expected = _visible_feature_count(shipped)
    assert wait_for_count(frame, "path.bm-f", expected) == expected
    # each default layer has its shapes, and the hypothetical scenarios are off by default
    for layer_id, layer in shipped.layers.items():
        n = len(shipped.in_layer(layer_id))
        assert count_shapes(frame, f"path.bm-layer-{layer_id}") == (n if layer.visible else 0)
    # the basemap is drawn too: vector tiles on canvas, beneath the report layers
    assert frame.locator(".leaflet-tile-pane canvas.leaflet-tile-loaded").count() >= 6


def test_toggling_a_layer_removes_its_shapes(server, browsing, shipped):
    page = browsing.page
    frame = open_map(page, server.url)
    total = _visible_feature_count(shipped)
    energy = len(shipped.in_layer("energy"))
    assert wait_for_count(frame, "path.bm-f", total) == total
    layer_checkbox(page, "Oil pipelines").click()
    assert wait_for_count(frame, "path.bm-layer-energy", 0) == 0
    assert count_shapes(frame) == total - energy
    layer_checkbox(page, "Oil pipelines").click()
    assert wait_for_count(frame, "path.bm-layer-energy", energy) == energy
    # each rerun replaced the report groups: the point index (co-located popups) holds only
    # markers on the map, not every rerun's (it kept them and their SVG paths alive)
    stale = "() => briefmap._points.filter(l => !window.map.hasLayer(l)).length"
    assert frame.locator(".leaflet-container").evaluate(f"el => ({stale})()") == 0


def test_popup_shows_names_summary_and_citation(server, browsing):
    frame = open_map(browsing.page, server.url)
    frame.locator("path.bm-id-al-hol-camp").click()
    popup = frame.locator(".leaflet-popup-content .bm-popup")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    assert "al-Hol camp" in text and "مخيم الهول" in text
    assert "thousands of ISIS fighters" in text
    assert "report 000 (outlet not named, November 2025), ¶7" in text


PAYLOADS = {
    "name_en": "<img src=x onerror=alert(1)> camp",
    "name_ar": "مخيم <script>alert(2)</script>",
    "summary_en": "Notes ${alert(3)} and a lone ` backtick \\u0041 end",
    "summary_ar": "ملاحظة ${alert(4)} ` نهاية",
}


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    geodata = root / "geodata"
    shutil.copytree(GEODATA, geodata)
    feature = {
        "type": "Feature",
        "properties": {
            "id": "hostile-text",
            "layer": "context",
            "kind": "place",
            **PAYLOADS,
            "actors": [],
            "incident_type": None,
            "date": None,
            "date_start": None,
            "date_end": None,
            "date_basis": None,
            "precision": "exact",
            "claim_type": "fact",
            "originator": "winep",
            "grade": "B2",
            "sources": [{"report": "000_0f03b8209ef71bac.txt", "paragraph": 3}],
            "coord_source": "knowledge:test fixture",
        },
        "geometry": {"type": "Point", "coordinates": [38.2, 30.6]},
    }
    (geodata / "features" / "hostile.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": [feature]}, ensure_ascii=False),
        encoding="utf-8",
    )
    with run_server(root, "--geodata", str(geodata)) as s:
        yield s, load_geodata(geodata)


def test_hostile_text_shows_as_text_and_runs_nothing(hostile_server, browsing):
    server, geodata = hostile_server
    page = browsing.page
    frame = open_map(page, server.url)
    expected = _visible_feature_count(geodata)
    assert wait_for_count(frame, "path.bm-f", expected) == expected  # nothing broke
    marker = frame.locator("path.bm-id-hostile-text")
    marker.hover()
    tooltip = frame.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=10_000)
    assert PAYLOADS["name_en"] in tooltip.inner_text()
    marker.click()
    popup = frame.locator(".leaflet-popup-content .bm-popup")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    for key in ("name_en", "name_ar", "summary_en"):  # what the English popup shows
        assert PAYLOADS[key] in text, key  # shown literally, every character
    assert popup.locator("img, script").count() == 0
    event_loop_turned(frame)  # what the popup queued has run: an injected handler would have
    event_loop_turned(page)
    assert browsing.dialogs == []
    # the rest of the map still works after showing it
    frame.locator("path.bm-id-al-hol-camp").click()
    frame.locator(".leaflet-popup-content", has_text="al-Hol camp").wait_for(timeout=10_000)


def test_hostile_text_in_the_arabic_popup(hostile_server, browsing):
    server, geodata = hostile_server
    frame = open_map(browsing.page, f"{server.url}/?lang=ar")
    expected = _visible_feature_count(geodata)
    assert wait_for_count(frame, "path.bm-f", expected) == expected
    frame.locator("path.bm-id-hostile-text").click()
    popup = frame.locator(".leaflet-popup-content .bm-popup[dir=rtl]")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    for key in ("name_ar", "name_en", "summary_ar"):  # what the Arabic popup shows
        assert PAYLOADS[key] in text, key
    assert popup.locator("img, script").count() == 0
    event_loop_turned(frame)
    event_loop_turned(browsing.page)
    assert browsing.dialogs == []


_TILES = "window.map._bmBasemap.views.get('').tileCache"


def test_the_basemap_keeps_a_bounded_number_of_decoded_tiles(server, browsing):
    """protomaps-leaflet keeps the last 64 decoded tiles: our layer keeps fewer
    (briefmap-basemap.js, DECODED_TILES), the least recently used first. The old code held 46
    after these 16 views."""
    frame = open_map(browsing.page, server.url)
    box = frame.locator(".leaflet-container[data-basemap=ready]")
    box.wait_for(timeout=120_000)
    box.evaluate(  # every tile decoded from now on, by its key
        f"() => {{ var c = {_TILES}, get = c.source.get.bind(c.source); window.__bmDecoded ="
        " new Set(); c.source.get = function (t, s) { window.__bmDecoded.add(t.z + '/' + t.x +"
        " '/' + t.y); return get(t, s); }; }"
    )
    most = 0
    for lat in (30.0, 33.0, 36.0, 39.0):
        for lon in (35.0, 39.0, 43.0, 47.0):
            box.evaluate(f"() => window.map.setView([{lat}, {lon}], 8, {{animate: false}})")
            assert wait_until(
                lambda: box.evaluate("() => !window.map._bmBasemap._loading"), timeout=60
            )
            most = max(most, box.evaluate(f"() => {_TILES}.cache.size"))
    assert box.evaluate("() => window.__bmDecoded.size") > 32  # more than are kept
    assert most <= 24
