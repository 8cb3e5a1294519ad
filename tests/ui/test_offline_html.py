"""The offline HTML export in Debian's chromium with no network at all: the file is served by
the test itself and every other request, loopback included, is refused and recorded. It must
draw the map, pan, zoom and open a popup, in English and in Arabic."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pytest

from layers.boundary import load_geodata
from layers.cli import main
from tests.conftest import GEODATA
from tests.ui.harness import wait_until

PAGE_URL = "http://127.0.0.1/briefmap-export.html"


@dataclass
class OnlyThisFile:
    """Serve one HTML document; refuse and record every other request."""

    html: str
    others: list[str] = field(default_factory=list)

    def __call__(self, route) -> None:
        url = route.request.url
        if url == PAGE_URL:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=self.html)
        elif url.startswith(("data:", "about:")):
            route.continue_()
        else:
            self.others.append(url)
            route.abort()


@pytest.fixture
def offline_page(browser):
    opened = []

    def open_html(html: str):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        guard = OnlyThisFile(html)
        context.route("**/*", guard)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(PAGE_URL)
        page.locator('.leaflet-container[data-basemap="ready"]').wait_for(timeout=30_000)
        opened.append((context, guard, errors))
        return page, guard, errors

    yield open_html
    for context, guard, errors in opened:
        context.close()
        assert guard.others == [], f"the offline file asked for: {guard.others}"
        assert errors == [], errors


def _map_state(page) -> tuple[float, float, float]:
    name = page.evaluate("() => Object.keys(window).find(k => /^map_[0-9a-f]+$/.test(k))")
    return tuple(
        page.evaluate(f"() => [{name}.getCenter().lat, {name}.getCenter().lng, {name}.getZoom()]")
    )


def _settled(page, timeout: float = 8.0):
    last = _map_state(page)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.3)
        now = _map_state(page)
        if now == last:
            return now
        last = now
    return last


def _set_view(page, lat: float, lon: float, zoom: float | None = None) -> tuple:
    """Move the map as a person would once the page has finished its own opening move: a page
    may still fly to its frame (briefmap.focus waits for its frame to measure) after it says
    ready, and on a loaded machine that flight could land after ours. So wait until no move is
    pending, set the view, and set it again if the page's own move overtook it."""
    name = page.evaluate("() => Object.keys(window).find(k => /^map_[0-9a-f]+$/.test(k))")
    page.wait_for_function("() => document.readyState === 'complete'")
    state = _settled(page)
    for _ in range(3):
        wait_until(lambda: not page.evaluate(f"() => !!{name}._bmFocusPending"), timeout=10)
        z = f"{zoom}" if zoom is not None else f"{name}.getZoom()"
        page.evaluate(f"() => {name}.setView([{lat}, {lon}], {z}, {{animate: false}})")
        state = _settled(page)
        if (
            abs(state[0] - lat) < 1e-3
            and abs(state[1] - lon) < 1e-3
            and (zoom is None or state[2] == zoom)
        ):
            break
    return state


def _click_al_hol(page) -> None:
    """Bring al-Hol to the middle of the map (clear of the scene panel, which floats over the
    map's side) and click it as a person would: the click must reach the marker."""
    point = load_geodata(GEODATA).feature("al-hol-camp").geometry
    _set_view(page, point.y, point.x)
    page.locator("path.bm-id-al-hol-camp").first.click()


def _export(tmp_path, *args: str) -> str:
    out = tmp_path / "export.html"
    assert main(["export", "--format", "html", "--out", str(out), *args]) == 0
    return out.read_text(encoding="utf-8")


def test_scene_html_draws_pans_zooms_and_opens_a_popup_offline(tmp_path, offline_page):
    page, _guard, _ = offline_page(_export(tmp_path, "--scene", "2"))
    assert page.locator("path.bm-f").count() >= 5
    # basemap and feature labels drawn from the inlined tiles, by the map's own labeller
    placed = page.evaluate(
        "() => briefmap.placedLabels(window[Object.keys(window).find(k => /^map_/.test(k))])"
    )
    texts = {lab["text"] for lab in placed}
    assert len(texts) > 10 and "al-Hol camp" in texts, sorted(texts)
    assert page.locator(".bm-banner-top").inner_text() == "TLP:CLEAR"
    assert "ISIS in the desert" in page.locator(".bm-scenes").inner_text()
    sources = page.locator(".bm-scene-sources").inner_text()  # cited as everywhere else
    assert sources.startswith("Sources: report 000 (outlet not named, November 2025), ¶")
    lat, lon, zoom = _settled(page)
    page.locator(".leaflet-control-zoom-in").click()
    assert _settled(page)[2] == pytest.approx(zoom + 1)  # the page opens between zooms
    box = page.locator(".leaflet-container").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx, cy)
    page.mouse.down()
    page.mouse.move(cx - 200, cy + 80, steps=8)
    page.mouse.up()
    after = _settled(page)
    assert after[1] > lon and after[0] > lat  # dragged left and down: east and north
    _click_al_hol(page)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    assert "al-Hol camp" in popup.inner_text() and "¶7" in popup.inner_text()


def test_arabic_walkthrough_html_steps_through_scenes_offline(tmp_path, offline_page):
    page, _guard, _ = offline_page(
        _export(tmp_path, "--pack", "--walkthrough", "iraq-syria-2025", "--lang", "ar")
    )
    assert page.locator("html").get_attribute("lang") == "ar"
    panel = page.locator(".bm-scenes")
    assert panel.get_attribute("dir") == "rtl"
    assert "المشهد 1 من 10" in panel.inner_text()
    page.locator(".bm-next").click()
    page.wait_for_function("() => document.body.dataset.scene === '2'")
    assert "داعش في الصحراء" in panel.inner_text()
    assert "المصادر: التقرير 000 (وسيلة غير مسماة" in panel.inner_text()
    assert page.locator("path.bm-layer-energy").count() == 0  # scene 2 shows no pipelines
    _click_al_hol(page)
    popup = page.locator(".leaflet-popup-content .bm-popup")
    popup.wait_for(timeout=10_000)
    assert popup.get_attribute("dir") == "rtl" and "مخيم الهول" in popup.inner_text()


def test_view_html_draws_imported_incidents_offline(tmp_path, offline_page):
    """With --events the page draws the incidents as the live map does (points here, with their
    legend) from the file alone."""
    from layers.events import synth
    from layers.events.store import Source, open_store

    table = synth.table(2_000, seed=4)
    open_store(tmp_path / "store").upsert(
        table,
        Source("e.csv", "0" * 64, table.num_rows, "acled", marking="TLP:GREEN"),
        may_raise_marking=True,
    )
    html = _export(tmp_path, "--events", "--store", str(tmp_path / "store"))
    page, _guard, _ = offline_page(html)
    box = page.locator(".leaflet-container")
    page.wait_for_function(
        "() => document.querySelector('.leaflet-container').dataset.eventsMode === 'points'"
    )
    assert int(box.get_attribute("data-events-shapes")) > 100
    assert "Incidents by type" in page.locator(".bm-events-legend").inner_text()
    assert page.locator(".bm-banner-top").inner_text() == "TLP:GREEN"
    page.screenshot(path=str(tmp_path / "events.png"))


LAYERS_DRAWN = """() => [...new Set([...document.querySelectorAll('path[class*="bm-layer-"]')]
  .map(p => (p.getAttribute('class').match(/bm-layer-(\\S+)/) || [])[1]).filter(Boolean))]"""
LEGEND_LAYERS = """() => [...document.querySelectorAll('#bm-legend-box .bm-legend-item')]
  .map(li => li.dataset.layer)"""


def test_each_scene_of_the_walkthrough_html_shows_its_own_legend(tmp_path, offline_page):
    """Scene by scene, the legend names exactly the layers the scene draws (it listed all
    twelve layers on every scene)."""
    page, _guard, _ = offline_page(_export(tmp_path, "--pack", "--walkthrough", "iraq-syria-2025"))
    seen = set()
    for n in (1, 2, 3):
        if n > 1:
            page.locator(".bm-next").click()
        page.wait_for_function(f"() => document.body.dataset.scene === '{n}'")
        drawn, legend = set(page.evaluate(LAYERS_DRAWN)), page.evaluate(LEGEND_LAYERS)
        assert len(legend) == len(set(legend)), legend  # each layer once
        assert set(legend) == drawn, (n, sorted(legend), sorted(drawn))
        seen.add(tuple(sorted(legend)))
    assert len(seen) == 3  # three scenes, three legends


def test_view_html_opens_on_the_exported_frame(tmp_path, offline_page):
    """The page opens showing the frame it was exported with: all of it, and not much more
    (whole zoom levels and a 40 px margin showed up to twice the frame)."""
    page, _guard, _ = offline_page(_export(tmp_path))
    _settled(page)
    frame, bounds = page.evaluate(
        """() => { var m = briefmapPages.map, b = m.getBounds();
          return [briefmapPages.pages[0].frame,
                  [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]]; }"""
    )
    west, south, east, north = frame
    slack = 0.01 * (east - west)
    assert bounds[0] <= west + slack and bounds[2] >= east - slack, (frame, bounds)
    assert bounds[1] <= south + slack and bounds[3] >= north - slack, (frame, bounds)
    across = (east - west) / (bounds[2] - bounds[0])
    up = (north - south) / (bounds[3] - bounds[1])
    assert max(across, up) >= 0.85, (frame, bounds)
