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
from tests.ui.harness import open_map, run_server, wait_until

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
    page.wait_for_timeout(500)  # let the canvas draw
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
