"""Cartography in a real browser: labels that never collide, towns at crossing scale in both
languages, scenes framed for the projector, and a user's own basemap archive.

Labels are read from the map's own labeller (`briefmap.placedLabels`, the boxes
protomaps-leaflet placed and drew) and from the DOM (any HTML label in the map)."""

from __future__ import annotations

import json
import time
from itertools import combinations
from pathlib import Path

import pytest

from layers.boundary import load_geodata
from layers.tiles.build import run_tippecanoe, write_features
from layers.walkthrough import scene_frame
from tests.conftest import GEODATA
from tests.ui.harness import Guard, audience_link, open_map, present, run_server, wait_map_settled

pytestmark = pytest.mark.browser
WALK = "iraq-syria-2025"
PLACED = "el => briefmap.placedLabels(window.map)"
# Circle markers on the map now: centre and radius in container pixels.
MARKERS = """el => briefmap._points.filter(m => window.map.hasLayer(m)).map(m => {
    const p = window.map.latLngToContainerPoint(m.getLatLng());
    return [p.x, p.y, m.getRadius() + (m.options.weight || 0) / 2];
})"""
# HTML labels inside the map (tooltips left open, divIcon labels): their boxes.
DOM_LABELS = """el => Array.from(el.querySelectorAll(
    '.leaflet-tooltip, .leaflet-marker-pane .leaflet-div-icon, .bm-label')).map(n => {
    const r = n.getBoundingClientRect(), c = el.getBoundingClientRect();
    return {text: n.textContent, box: [r.left - c.left, r.top - c.top, r.right - c.left,
            r.bottom - c.top]};
})"""


def open_audience(context, server, number: int):
    """The projector's window for scene `number`, opened through the presenter's link."""
    presenter = context.new_page()
    present(presenter, f"{server.url}/?walkthrough={WALK}&scene={number}")
    page = context.new_page()
    frame = open_map(page, audience_link(presenter))
    page.wait_for_timeout(300)  # the scene's fly starts just after the map mounts
    return page, frame


@pytest.fixture(scope="module")
def walkthrough():
    return load_geodata(GEODATA).walkthroughs[WALK]


def overlap(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(w, 0) * max(h, 0)


def covers(marker, box) -> bool:
    """A circle marker covers part of a box (more than a hair)."""
    x, y, r = marker
    nx, ny = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
    return (nx - x) ** 2 + (ny - y) ** 2 < (r - 1) ** 2


def settled_labels(page, frame, minimum: int = 5):
    """The placed labels once the map has stopped moving and the labeller has caught up."""
    wait_map_settled(frame)
    container = frame.locator(".leaflet-container")
    previous = None
    # The layout settles as tiles arrive: wait for two equal readings 400 ms apart. The bound
    # is for a hang on a loaded machine (tiles render on the page's one thread), not a speed.
    deadline = time.monotonic() + 90
    while True:
        page.wait_for_timeout(400)
        labels = container.evaluate(PLACED)
        current = sorted((lab["text"], tuple(round(v) for v in lab["box"])) for lab in labels)
        if (current == previous and len(labels) >= minimum) or time.monotonic() > deadline:
            return labels
        previous = current


def check_no_collisions(page, frame, where: str) -> list[dict]:
    container = frame.locator(".leaflet-container")
    labels = settled_labels(page, frame)
    dom = container.evaluate(DOM_LABELS)
    boxes = [(lab["text"], lab["box"]) for lab in labels + dom]
    assert len(boxes) >= 5, f"{where}: only {len(boxes)} labels"
    for (ta, a), (tb, b) in combinations(boxes, 2):
        if ta == tb and a == b:
            continue  # one label drawn in two tiles
        assert overlap(a, b) <= 2, f"{where}: '{ta}' and '{tb}' overlap by {overlap(a, b):.1f} px²"
    markers = container.evaluate(MARKERS)
    for lab in (lab for lab in labels if lab["priority"] == 0):
        for m in markers:
            assert not covers(m, lab["box"]), f"{where}: a marker covers '{lab['text']}'"
    return labels


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_default_view_labels_do_not_collide(server, browsing, lang):
    frame = open_map(browsing.page, f"{server.url}/?lang={lang}")
    labels = check_no_collisions(browsing.page, frame, f"default view ({lang})")
    texts = {lab["text"] for lab in labels}
    named = {"en": {"Baghdad", "Damascus", "Deir ez-Zor"}, "ar": {"بغداد", "دمشق", "دير الزور"}}
    assert named[lang] <= texts  # report places, named in the UI language
    assert any(lab["priority"] == 4 for lab in labels)  # and some country names fit
    # labels sit above the report layers: their pane is over the markers' and lines'
    z = frame.locator(".leaflet-bm-names-pane").evaluate("el => +getComputedStyle(el).zIndex")
    assert z > frame.locator(".leaflet-bm-points-pane").evaluate(
        "el => +getComputedStyle(el).zIndex"
    )


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_zoom_10_over_albu_kamal_names_the_towns(server, browsing, lang):
    names = {"en": ("Albu Kamal", "al-Qa'im", "al-Hol"), "ar": ("البوكمال", "القائم", "الهول")}
    albu, qaim, hol = names[lang]
    page = browsing.page
    frame = open_map(page, f"{server.url}/?c=34.42,40.95&z=10&lang={lang}")
    texts = {lab["text"] for lab in check_no_collisions(page, frame, f"zoom 10 ({lang})")}
    assert albu in texts and qaim in texts, sorted(texts)
    frame = open_map(page, f"{server.url}/?c=36.39,41.15&z=10&lang={lang}")
    texts = {lab["text"] for lab in settled_labels(page, frame, minimum=2)}
    assert hol in texts, sorted(texts)
    if lang == "ar":  # no Latin town name where an Arabic one exists
        assert "Albu Kamal" not in texts and "al-Hol" not in texts


# The boxes of what the projector lays over the map (legend, scale bar, credits).
OVERLAYS = """el => Array.from(el.querySelectorAll(
    '.bm-proj-legend, .leaflet-control-scale, .leaflet-control-attribution')).map(n => {
    const r = n.getBoundingClientRect(), c = el.getBoundingClientRect();
    return {text: n.className, box: [r.left - c.left, r.top - c.top, r.right - c.left,
            r.bottom - c.top]};
})"""


@pytest.mark.parametrize("number", range(1, 11))
def test_each_scene_is_framed_and_labelled_for_the_projector(server, browser, walkthrough, number):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    guard = Guard()
    context.route("**/*", guard)
    try:
        page, frame = open_audience(context, server, number)
        labels = check_no_collisions(page, frame, f"scene {number}")
        # every map label is at least 16 px on the projector
        assert min(lab["size"] for lab in labels) >= 16
        # no zoom or measuring control, one scale bar (a slide's); no focus ring
        container = frame.locator(".leaflet-container")
        assert frame.locator(".leaflet-control-zoom, .bm-measure").count() == 0
        assert frame.locator(".leaflet-control-scale").count() == 1
        # a click may open a popup: the frame holds (an autopan starts within the click)
        container.evaluate("el => window.map.once('movestart', () => { el._bmMoved = true; })")
        container.click(position={"x": 400, "y": 400})
        assert not container.evaluate("el => !!el._bmMoved"), f"scene {number}: a click moved"
        outline = container.evaluate("el => getComputedStyle(document.activeElement).outlineStyle")
        assert outline in ("none", "")
        # the frame: what the scene highlights, fitted with a small margin, not a fixed zoom
        scene = walkthrough.scenes[number - 1]
        w, s, e, n = scene_frame(scene, load_geodata(GEODATA))
        fit = container.evaluate(
            f"""el => {{ const m = window.map, b = L.latLngBounds([[{s}, {w}], [{n}, {e}]]);
                return [m.getBounds().pad(0.001).contains(b),
                        Math.min(m.getBoundsZoom(b, false, L.point(56, 56)), 10), m.getZoom()];
            }}"""
        )
        assert fit[0], f"scene {number}: the highlights are not all in view"
        assert fit[2] == fit[1], f"scene {number}: zoom {fit[2]}, the best fit is {fit[1]}"
        highlighted = {lab["text"] for lab in labels if lab["priority"] == 0}
        assert highlighted, f"scene {number}: no highlighted label placed"
        # no name half hidden under the legend, the scale bar or the credits
        overlays = container.evaluate(OVERLAYS)
        assert len(overlays) == 3, overlays
        for lab in labels:
            for o in overlays:
                assert overlap(lab["box"], o["box"]) <= 2, f"'{lab['text']}' under {o['text']}"
    finally:
        context.close()
    assert guard.offenders == []


def test_scene_4_names_its_three_towns(server, browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page, frame = open_audience(context, server, 4)
    labels = settled_labels(page, frame)
    context.close()
    lit = {lab["text"] for lab in labels if lab["priority"] == 0}
    assert {"Qusayr", "Albu Kamal", "Deir ez-Zor"} <= lit


def fixture_archive(tmp: Path) -> Path:
    """A tiny 'user extract': land, a road and a town, with an OSM-style attribution."""
    features = [
        {
            "type": "Feature",
            "tippecanoe": {"layer": "earth"},
            "properties": {"kind": "earth"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[38, 32], [44, 32], [44, 37], [38, 37], [38, 32]]],
            },
        },
        {
            "type": "Feature",
            "tippecanoe": {"layer": "roads"},
            "properties": {"kind": "highway", "name": "Fixture Highway"},
            "geometry": {"type": "LineString", "coordinates": [[39, 33], [43, 36]]},
        },
        {
            "type": "Feature",
            "tippecanoe": {"layer": "places"},
            "properties": {"kind": "locality", "name": "Fixtureville", "min_zoom": 0},
            "geometry": {"type": "Point", "coordinates": [41.5, 33.2]},
        },
    ]
    source = tmp / "extract.geojsonl"
    write_features(features, source)
    target = tmp / "extract.pmtiles"
    credit = '<a href="https://www.openstreetmap.org/copyright">© OpenStreetMap</a> (ODbL)'
    run_tippecanoe(source, target, 8, name="fixture extract", attribution=credit)
    return target


@pytest.fixture(scope="module")
def user_basemap_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("userbasemap")
    archive = fixture_archive(root)
    with run_server(root, "--basemap", str(archive)) as s:
        yield s


def test_a_users_basemap_is_drawn_with_its_attribution(user_basemap_server, browsing):
    page = browsing.page
    frame = open_map(page, f"{user_basemap_server.url}/?c=34.5,41.5&z=7")
    labels = settled_labels(page, frame, minimum=1)
    assert "Fixtureville" in {lab["text"] for lab in labels}
    credit = frame.locator(".leaflet-control-attribution")
    assert "© OpenStreetMap (ODbL)" in credit.inner_text()
    assert credit.locator("a[href*=openstreetmap]").count() == 0  # shown as text, not HTML
    # the road is painted: a pixel on it is the road colour, not the land
    road = json.loads(
        frame.locator(".leaflet-container").evaluate(
            """el => { const m = window.map, p = m.latLngToContainerPoint([34.5, 41.0]);
            const hit = Array.from(el.querySelectorAll('canvas.leaflet-tile')).find(c => {
                const r = c.getBoundingClientRect(), o = el.getBoundingClientRect();
                return p.x + o.left >= r.left && p.x + o.left < r.right &&
                       p.y + o.top >= r.top && p.y + o.top < r.bottom; });
            const r = hit.getBoundingClientRect(), o = el.getBoundingClientRect();
            const k = hit.width / r.width;
            const d = hit.getContext('2d').getImageData(
                Math.round((p.x + o.left - r.left) * k) - 3,
                Math.round((p.y + o.top - r.top) * k) - 3, 7, 7).data;
            const colours = new Set();
            for (let i = 0; i < d.length; i += 4) colours.add([d[i], d[i+1], d[i+2]].join());
            return JSON.stringify(Array.from(colours)); }"""
        )
    )
    # the highway colour (#e3a857), anti-aliased over the land (#f4f1ea): a warm pixel
    warm = [c for c in (tuple(map(int, x.split(","))) for x in road) if c[0] - c[2] > 60]
    assert warm, road


def test_a_bad_basemap_is_refused_before_serving(tmp_path):
    import subprocess
    import sys

    junk = tmp_path / "junk.pmtiles"
    junk.write_bytes(b"nothing")
    briefmap = str(Path(sys.executable).parent / "briefmap")
    done = subprocess.run(
        [briefmap, "serve", "--basemap", str(junk), "--port", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "junk.pmtiles: not a PMTiles or MBTiles archive" in done.stderr
