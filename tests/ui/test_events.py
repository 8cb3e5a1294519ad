"""300,000 imported incidents in a real browser: the density layer paints, a filter changes
it, zooming in past the threshold gives points whose popup (built on the server for the
clicked place) shows hostile notes as text, and nothing leaves the machine."""

from __future__ import annotations

import re

import pytest

from layers.boundary import load_geodata
from layers.events import synth
from layers.events.index import event_mask, load_index
from layers.events.payload import POINT_LIMIT
from layers.events.store import Source, open_store
from layers.view import View
from tests.conftest import GEODATA
from tests.ui.harness import event_loop_turned, open_map, run_server, wait_map_settled, wait_until

pytestmark = pytest.mark.browser

EVENTS = 300_000
PAYLOAD = (
    "<script>alert(1)</script><img src=x onerror=alert(2)> ${alert(3)} ` [x](http://e.invalid)"
)


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("events-store")
    table = synth.table(EVENTS, seed=7, payload=PAYLOAD)
    open_store(root).apply(table, None, Source("synthetic.csv", "0" * 64, EVENTS, "acled"))
    return root


@pytest.fixture(scope="module")
def events_server(tmp_path_factory, store_dir):
    with run_server(tmp_path_factory.mktemp("cwd-events"), "--store", str(store_dir)) as s:
        yield s


def _map(frame):
    return frame.locator(".leaflet-container[data-events-mode]")


def _attr(frame, name: str) -> str | None:
    return frame.locator(".leaflet-container").get_attribute(name)


def test_density_layer_paints_with_legend_and_summary(events_server, browsing):
    page = browsing.page
    frame = open_map(page, events_server.url)
    _map(frame).wait_for(timeout=60_000)
    assert _attr(frame, "data-events-mode") == "hex"
    assert int(_attr(frame, "data-events-in-view")) > POINT_LIMIT
    assert int(_attr(frame, "data-events-shapes")) > 50
    legend = frame.locator(".bm-events-legend")
    assert "Incidents per hexagon" in legend.inner_text()
    assert page.get_by_text("Imported incidents: 300,000").is_visible()
    assert page.get_by_text(re.compile("ACLED's fatality figures are estimates")).is_visible()


def test_a_filter_changes_the_density_layer(events_server, browsing, store_dir):
    page = browsing.page
    frame = open_map(page, events_server.url)
    _map(frame).wait_for(timeout=60_000)
    before = (_attr(frame, "data-events-in-view"), _attr(frame, "data-events-shapes"))
    box = page.locator('[data-testid="stMultiSelect"]').filter(has_text="types")
    box.click()
    page.keyboard.type("Battles")
    page.get_by_role("option", name=re.compile("^Battles")).first.click()
    page.keyboard.press("Escape")
    geodata = load_geodata(GEODATA)
    index = load_index(open_store(store_dir))
    expected = int(event_mask(index, View(types=frozenset({"Battles"})), geodata).sum())
    assert 0 < expected < EVENTS
    summary = page.get_by_text(f"Imported incidents: {expected:,}")
    summary.wait_for(timeout=30_000)
    changed = wait_until(
        lambda: (_attr(frame, "data-events-in-view"), _attr(frame, "data-events-shapes")) != before,
        timeout=30,
    )
    assert changed
    assert int(_attr(frame, "data-events-in-view")) < int(before[0])
    assert "types=Battles" in page.url
    # no report feature is a battle, but incidents are: the page must not say nothing matches
    assert not page.get_by_text("Nothing matches these filters").is_visible()


def test_zooming_in_shows_points_and_a_popup_with_notes_as_text(events_server, browsing):
    page = browsing.page
    frame = open_map(page, events_server.url)
    _map(frame).wait_for(timeout=60_000)
    lat, lon = synth.PAYLOAD_AT
    container = frame.locator(".leaflet-container")
    container.evaluate(f"el => {{ window.map.setView([{lat}, {lon}], 11); }}")
    assert wait_until(lambda: _attr(frame, "data-events-mode") == "points", timeout=30)
    assert 0 < int(_attr(frame, "data-events-in-view")) <= POINT_LIMIT
    assert "Incidents by type" in frame.locator(".bm-events-legend").inner_text()
    event_loop_turned(frame)  # the canvas has drawn the frame it was asked for
    x, y = container.evaluate(
        f"el => {{ var p = window.map.latLngToContainerPoint([{lat}, {lon}]); return [p.x, p.y]; }}"
    )
    container.click(position={"x": x, "y": y})
    notes = frame.locator(".bm-event-popup .bm-notes").first
    notes.wait_for(timeout=30_000)
    assert notes.inner_text() == PAYLOAD
    popup = frame.locator(".bm-event-popup").first.inner_text()
    assert "week of" in popup and "ACLED SYR1" in popup
    assert frame.locator(".bm-event-popup script, .bm-event-popup img").count() == 0
    assert browsing.dialogs == []


# --- one canvas layer per payload, no rerun for a move it covers, released layers ----------

_LAYER = "briefmapEvents.current && briefmapEvents.current.layer"


def _js(frame, code: str):
    return frame.locator(".leaflet-container").evaluate(f"el => {{ {code} }}")


def _ready(frame) -> bool:
    return bool(_js(frame, f"var l = {_LAYER}; return !!(l && l._ready && l._drawn.length);"))


def _reports(page) -> None:
    """Count, in the page, what the map's component reports to Streamlit (each report of a
    new value reruns the script)."""
    page.add_init_script(
        "if (window === window.top) { window.__bmReports = 0;"
        " window.addEventListener('message', function (e) {"
        "  if (e.data && e.data.type === 'streamlit:setComponentValue') { window.__bmReports++; }"
        " }); }"
    )


def _reported(page) -> int:
    return page.evaluate("window.__bmReports")


def test_the_events_payload_is_one_canvas_layer(events_server, browsing):
    frame = open_map(browsing.page, events_server.url)
    _map(frame).wait_for(timeout=60_000)
    assert wait_until(lambda: _ready(frame), timeout=30)
    cells = int(_attr(frame, "data-events-shapes"))
    assert cells > 200  # many hexagons ...
    # ... and no Leaflet layer, SVG path or canvas per hexagon: one canvas draws them all
    assert frame.locator(".leaflet-bm-events-hex-pane canvas").count() == 1
    assert frame.locator(".leaflet-bm-events-hex-pane path").count() == 0
    assert _js(frame, "return briefmapEvents.current.group.getLayers().length;") == 1
    assert int(_attr(frame, "data-events-drawn")) > 200


def test_a_hovered_cell_shows_its_own_count_as_text(events_server, browsing):
    page = browsing.page
    frame = open_map(page, events_server.url)
    _map(frame).wait_for(timeout=60_000)
    assert wait_until(lambda: _ready(frame), timeout=30)
    # the middle of a drawn cell (the mean of its corners on screen) and that cell's count
    x, y, count = _js(
        frame,
        f"var l = {_LAYER}, size = window.map.getSize(), best = null;"
        "l._drawn.forEach(function (d) {"
        "  var x = 0, y = 0; d.pts.forEach(function (p) { x += p.x; y += p.y; });"
        "  var c = window.map.layerPointToContainerPoint([x / d.pts.length, y / d.pts.length]);"
        "  if (!best && c.x > 300 && c.y > 200 && c.x < size.x - 300 && c.y < size.y - 200 &&"
        "      d.item.count >= 10) { best = [c.x, c.y, d.item.count]; } });"
        "return best;",
    )
    box = frame.locator(".leaflet-container").bounding_box()
    page.mouse.move(box["x"] + x, box["y"] + y)
    tip = frame.locator(".bm-events-tip")
    tip.wait_for(timeout=10_000)
    assert tip.inner_text().strip() == f"≈ {round(count)} incidents"
    assert tip.locator("*").count() == 1  # one span of text: nothing parsed as markup


def test_a_pan_inside_the_payload_does_not_rerun_the_page(events_server, browsing):
    page = browsing.page
    _reports(page)
    frame = open_map(page, events_server.url)
    _map(frame).wait_for(timeout=60_000)
    assert wait_until(lambda: _ready(frame), timeout=30)
    wait_map_settled(frame)
    held = _js(frame, "return briefmapEvents.held || 0;")
    sent = _reported(page)
    for dx, dy in ((60, 40), (-90, 20), (30, -50)):  # small pans: inside the padded payload
        _js(frame, f"window.map.panBy([{dx}, {dy}], {{animate: false}}); return 1;")
    # the map tried to report each move (the component's debounce), and none was sent
    assert wait_until(lambda: _js(frame, "return briefmapEvents.held || 0;") > held, timeout=10)
    assert _reported(page) == sent
    # a move past what the payload covers is reported and the page draws a new layer for it
    before = _attr(frame, "data-events-in-view")
    _js(frame, "window.map.setView([36.3, 43.1], 9, {animate: false}); return 1;")
    assert wait_until(lambda: _reported(page) > sent, timeout=20)
    assert wait_until(lambda: _attr(frame, "data-events-in-view") != before, timeout=30)


def test_replaced_layers_are_released(events_server, browsing):
    page = browsing.page
    frame = open_map(page, events_server.url)
    _map(frame).wait_for(timeout=60_000)
    assert wait_until(lambda: _ready(frame), timeout=30)
    count = "return [window.feature_group.length, Object.keys(window.map._layers).length];"
    groups, layers = _js(frame, count)
    places = ((36.3, 43.1, 9), (33.3, 44.4, 8), (35.3, 40.1, 9), (34.0, 40.0, 6))
    for k in range(8):  # each jump leaves the payload: a new layer replaces the old
        lat, lon, zoom = places[k % len(places)]
        before = _js(frame, f"return {_LAYER} ? L.stamp({_LAYER}) : 0;")
        _js(frame, f"window.map.setView([{lat}, {lon}], {zoom}, {{animate: false}}); return 1;")
        assert wait_until(
            lambda b=before: _js(frame, f"return {_LAYER} ? L.stamp({_LAYER}) : 0;") != b,
            timeout=30,
        )
    now_groups, now_layers = _js(frame, count)
    assert now_groups <= groups + 1  # the component's list no longer keeps every group
    assert now_layers <= layers + 20


def test_an_admin_centre_is_one_circle_with_its_count(events_server, browsing):
    page = browsing.page
    frame = open_map(page, events_server.url)
    _map(frame).wait_for(timeout=60_000)
    palmyra = "window.map.setView([34.56, 38.267], 12, {animate: false}); return 1;"
    _js(frame, palmyra)  # a town ACLED-like data places district-level events on
    assert wait_until(lambda: _attr(frame, "data-events-mode") == "points", timeout=30)
    assert wait_until(lambda: _ready(frame), timeout=30)
    centres = _js(
        frame,
        f"return {_LAYER}._drawn.filter(function (d) {{ return d.kind === 'area'; }})"
        ".map(function (d) { return [d.p.x, d.p.y, d.item.n]; });",
    )
    assert centres, "no imprecise events drawn at the centre"
    places = {(round(x), round(y)) for x, y, _n in centres}
    assert len(places) == len(centres)  # one circle per centre, never a stack
    x, y, n = max(centres, key=lambda c: c[2])
    assert n > 1
    cx, cy = _js(
        frame, f"var c = window.map.layerPointToContainerPoint([{x}, {y}]); return [c.x, c.y];"
    )
    box = frame.locator(".leaflet-container").bounding_box()
    page.mouse.move(box["x"] + cx, box["y"] + cy)
    tip = frame.locator(".bm-events-tip")
    tip.wait_for(timeout=10_000)
    assert tip.inner_text().startswith(f"{n} incidents placed on this centre")


def test_the_density_legend_is_compact_and_collapses(events_server, browsing):
    frame = open_map(browsing.page, events_server.url)
    _map(frame).wait_for(timeout=60_000)
    assert wait_until(lambda: _ready(frame), timeout=30)
    legend = frame.locator(".bm-events-legend")
    box = legend.bounding_box()
    assert box["width"] <= 200 and box["height"] <= 190  # was 270 x 170 px
    assert _attr(frame, "data-events-legend") in (
        "topleft",
        "topright",
        "bottomleft",
        "bottomright",
    )
    title = legend.locator(".bm-events-legend-title")
    title.click()
    assert wait_until(lambda: title.get_attribute("aria-expanded") == "false", timeout=10)
    assert not legend.locator(".bm-events-legend-body").is_visible()
    assert legend.bounding_box()["height"] < 40
    title.click()
    assert wait_until(lambda: legend.locator(".bm-events-legend-body").is_visible(), timeout=10)


# --- what a rerun removes is released -----------------------------------------------------

_TRANSITIONS = """
if (window === window.top) {
  window.__bmRunning = new Set();
  var end = function (e) { window.__bmRunning.delete(e.target); };
  document.addEventListener('transitionrun', function (e) { window.__bmRunning.add(e.target); },
    true);
  document.addEventListener('transitionend', end, true);
  document.addEventListener('transitioncancel', end, true);
}
"""


def _toggle_battles(page, frame, on: bool) -> None:
    before = _js(frame, f"return {_LAYER} ? L.stamp({_LAYER}) : 0;")
    box = page.locator('[data-testid="stMultiSelect"]').filter(has_text="types")
    if on:
        box.click()
        page.keyboard.type("Battles")
        page.get_by_role("option", name=re.compile("^Battles")).first.click()
        page.keyboard.press("Escape")
    else:
        box.get_by_role("button", name=re.compile("Remove|Delete|clear", re.I)).first.click()
    assert wait_until(
        lambda: _js(frame, f"return {_LAYER} ? L.stamp({_LAYER}) : 0;") != before, timeout=60
    )
    assert wait_until(lambda: page.locator('[data-stale="true"]').count() == 0, timeout=60)


def test_a_filter_change_leaves_no_removed_element_mid_transition(events_server, browsing):
    """Streamlit's frontend (react-aria's runAfterTransition) keeps each element whose CSS
    transition has started in a module-level map until the transition ends or is cancelled; an
    element removed while its transition runs never leaves it. A rerun's stale fade is such a
    transition (and an expander's border), so every filter change that dropped timeline
    entries kept their DOM (heap snapshots: about 0.4 MB a change). Counted as Chromium sees
    it: elements whose transition started and never ended, no longer in the page."""
    page = browsing.page
    page.add_init_script(_TRANSITIONS)
    frame = open_map(page, events_server.url)
    _map(frame).wait_for(timeout=60_000)
    assert wait_until(lambda: _ready(frame), timeout=30)
    for on in (True, False, True, False):
        _toggle_battles(page, frame, on)
    expanders = page.locator('[data-testid="stExpander"]').count()
    left = page.evaluate(
        "() => Array.from(window.__bmRunning).filter(e => !e.isConnected)"
        ".map(e => e.tagName + ' ' + (e.getAttribute('data-testid') || e.className))"
    )
    assert expanders > 0  # the timeline's citations: what a filter change removes
    assert left == []
