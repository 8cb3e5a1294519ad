"""Clicks reach what the briefer means: where report shapes overlap, the smaller is drawn on top
(hover and click reach it), and a click opens the one the scene is about (highlighted first,
then the smallest shape) at the top of one popup that lists every feature under the point."""

from __future__ import annotations

import pytest
from shapely.geometry import Point

from layers.boundary import load_geodata
from tests.conftest import GEODATA
from tests.ui.harness import open_map, present, wait_until

pytestmark = pytest.mark.browser
WALK = "iraq-syria-2025"
CORRIDOR = "deir-ez-zor-anbar-corridor"
GOVERNORATES = ("deir-ez-zor-governorate", "anbar-governorate")

# the topmost report path at a container point, and its feature id (from its class list)
_TOP_AT = """([x, y]) => {
  const el = document.elementFromPoint(x, y);
  const cls = el && el.getAttribute && (el.getAttribute("class") || "");
  const m = cls && cls.match(/bm-id-([a-z0-9-]+)/);
  return m ? m[1] : null;
}"""
_TO_PIXELS = (
    "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
    " return [p.x, p.y]; }"
)


@pytest.fixture(scope="module")
def overlap_points():
    """Points inside the corridor and inside a governorate, spread over their overlap."""
    geodata = load_geodata(GEODATA)
    corridor = geodata.feature(CORRIDOR).geometry
    points = []
    for gid in GOVERNORATES:
        both = corridor.intersection(geodata.feature(gid).geometry).buffer(-0.05)
        w, s, e, n = both.bounds
        for i in range(1, 10):
            for j in range(1, 6):
                p = Point(w + (e - w) * i / 10, s + (n - s) * j / 6)
                if both.contains(p):
                    points.append((p.y, p.x))
    assert points, "the corridor no longer overlaps a governorate"
    return points


def _top_at(frame, lat: float, lon: float):
    """The container point of (lat, lon) and the id of the report shape drawn on top there."""
    container = frame.locator(".leaflet-container")
    x, y = container.evaluate(f"(el) => ({_TO_PIXELS})([{lat}, {lon}])")
    width, height = container.evaluate("el => [el.clientWidth, el.clientHeight]")
    if not (20 < x < width - 20 and 20 < y < height - 20):
        return (x, y), None  # off the map
    return (x, y), container.evaluate(f"(el) => ({_TOP_AT})([{x}, {y}])")


def _spot_in_both(frame, points):
    """A point of the overlap on the map, with the shape on top there (once drawn)."""
    for lat, lon in points:
        spot, top = _top_at(frame, lat, lon)
        if top is not None:
            return spot, top
    return None


# Draw a governorate above everything in its pane, as the drawing order used to leave it.
_RAISE = """(el, ids) => { window.map.eachLayer(l => {
  if (l.feature && ids.includes(l.feature.properties.id) && l.bringToFront && l._path
      && l.feature.properties._popup) { l.bringToFront(); } }); }"""


def _click_opens_corridor(frame, points) -> None:
    container = frame.locator(".leaflet-container")
    frame.locator(f"path.bm-id-{CORRIDOR}").first.wait_for(state="attached", timeout=30_000)
    # the smaller shape is drawn on top, so hovering and clicking reach it
    found = wait_until(lambda: (s := _spot_in_both(frame, points)) and s[1] == CORRIDOR, 20)
    assert found, _spot_in_both(frame, points)
    # and where a larger shape is drawn above it, a click still opens the corridor first
    container.evaluate(_RAISE, list(GOVERNORATES))
    spot = wait_until(lambda: _covered_point(frame, points), timeout=20)
    assert spot, "no point of the corridor lies under a governorate drawn above it"
    container.click(position={"x": spot[0], "y": spot[1]})
    first = frame.locator(".leaflet-popup-content .bm-popup").first
    first.wait_for(timeout=10_000)
    assert first.get_attribute("data-feature") == CORRIDOR
    # the governorate clicked through is listed too, after the corridor
    ids = frame.locator(".leaflet-popup-content .bm-popup").evaluate_all(
        "els => els.map(e => e.getAttribute('data-feature'))"
    )
    assert ids[0] == CORRIDOR and any(g in ids[1:] for g in GOVERNORATES), ids


def _covered_point(frame, points):
    """A container point inside the corridor where a governorate is drawn above it, or None."""
    for lat, lon in points:
        spot, top = _top_at(frame, lat, lon)
        if top in GOVERNORATES:
            return spot
    return None


def test_a_click_on_the_corridor_under_a_governorate_opens_the_corridor(
    server, browsing, overlap_points
):
    frame = open_map(browsing.page, f"{server.url}/?c=34.6,41.2&z=7")
    _click_opens_corridor(frame, overlap_points)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_in_the_corridor_scene_a_click_opens_the_corridor(server, browsing, overlap_points, lang):
    frame = present(browsing.page, f"{server.url}/?walkthrough={WALK}&scene=3&lang={lang}")
    _click_opens_corridor(frame, overlap_points)
