"""Map labels as the canvas draws them, in both languages: no right-to-left label drawn
letter by letter (which unjoins and reverses Arabic: «اي روس» for سوريا), and no two labels
overlapping where the glyphs actually land.

The canvas's own text drawing is intercepted (`text_probe.js`, run in every frame before the
page's scripts): each fillText records its string and the box its shaped glyphs cover
(measureText's actual bounding box, through the context's transform). The boxes are the
drawn text's, not the labeller's: a label whose measured box is smaller than its drawn text
collides on screen even when `briefmap.placedLabels` says it does not."""

from __future__ import annotations

import re
from itertools import combinations
from pathlib import Path

import pytest

from tests.ui.harness import Guard, audience_link, open_map, present
from tests.ui.test_cartography import WALK, overlap, settled_labels

pytestmark = pytest.mark.browser
PROBE = (Path(__file__).parent / "text_probe.js").read_text()
DRAWN = "el => window.__bmDrawnText(el, '.leaflet-bm-names-pane')"
SPLIT = "el => window.__bmSplit.slice(0, 40)"
PLACED = "el => briefmap.placedLabels(window.map)"
TOLERANCE = 1.5  # px: rounding between the labeller's tile pixels and the screen's


def inside(inner, outer, tol: float = TOLERANCE) -> bool:
    return (
        inner[0] >= outer[0] - tol
        and inner[1] >= outer[1] - tol
        and inner[2] <= outer[2] + tol
        and inner[3] <= outer[3] + tol
    )


def read(page, frame):
    """Placed labels once settled, then the text drawn for them (after the same wait)."""
    placed = settled_labels(page, frame)
    container = frame.locator(".leaflet-container")
    return placed, container.evaluate(DRAWN), container.evaluate(SPLIT)


def owner(fragment: dict, placed: list[dict]) -> dict | None:
    """The placed label a drawn string belongs to (a line of it, or all of it)."""
    text = fragment["text"].strip().casefold()
    mine = [lab for lab in placed if text and text in lab["text"].casefold()]
    for lab in mine:
        if inside(fragment["box"], lab["box"]):
            return lab
    return None


def check_drawn(placed, drawn, split, where: str) -> None:
    assert split == [], f"{where}: right-to-left letters drawn one by one: {split}"
    assert len(drawn) >= 5, f"{where}: only {len(drawn)} strings drawn"
    unique = {(d["text"], tuple(round(v) for v in d["box"])): d for d in drawn}
    owned = []
    for d in unique.values():
        if not d["text"].strip():
            continue
        lab = owner(d, placed)
        reserved = [
            [round(v) for v in p["box"]]
            for p in placed
            if d["text"].strip().casefold() in p["text"].casefold()
        ]
        assert lab is not None, (
            f"{where}: '{d['text']}' is drawn at {[round(v) for v in d['box']]}, outside the box "
            f"the labeller reserved for it {reserved} ({d['font']})"
        )
        owned.append((d, lab))
    for (a, la), (b, lb) in combinations(owned, 2):
        if la["text"] == lb["text"]:
            continue  # two lines of one label, or one label drawn in two tiles
        area = overlap(a["box"], b["box"])
        assert area <= 2, (
            f"{where}: '{a['text']}' and '{b['text']}' drawn over each other ({area:.0f} px²)"
        )


VIEWS = {
    "default": "",
    "deir-ez-zor-z8": "&c=35.0,40.6&z=8",
    "baghdad-z8": "&c=33.3,44.4&z=8",
    "albu-kamal-z10": "&c=34.42,40.95&z=10",
}


@pytest.fixture
def probed(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    context.add_init_script(PROBE)
    guard = Guard()
    context.route("**/*", guard)
    yield context
    context.close()
    assert guard.offenders == []


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_labels_drawn_whole_and_apart(server, probed, lang, view):
    page = probed.new_page()
    frame = open_map(page, f"{server.url}/?lang={lang}{VIEWS[view]}")
    placed, drawn, split = read(page, frame)
    check_drawn(placed, drawn, split, f"{view} ({lang})")
    if lang == "ar":  # every country name in view is drawn whole (they are the spaced ones)
        size = frame.locator(".leaflet-container").bounding_box()
        countries = {
            lab["text"]
            for lab in placed
            if lab["priority"] == 4
            and inside(lab["box"], [0, 0, size["width"], size["height"]], tol=0)
        }
        assert countries <= {d["text"] for d in drawn}, countries


@pytest.mark.parametrize("number", range(1, 11))
def test_each_arabic_scene_is_drawn_apart_on_the_projector(server, browser, number):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    context.add_init_script(PROBE)
    guard = Guard()
    context.route("**/*", guard)
    try:
        presenter = context.new_page()
        present(presenter, f"{server.url}/?walkthrough={WALK}&scene={number}&lang=ar")
        page = context.new_page()
        frame = open_map(page, audience_link(presenter))
        page.wait_for_timeout(300)  # the scene's fly starts just after the map mounts
        placed, drawn, split = read(page, frame)
        check_drawn(placed, drawn, split, f"scene {number} (ar, projector)")
    finally:
        context.close()
    assert guard.offenders == []


CONTROLS = """el => ({
    scale: el.querySelector('.leaflet-control-scale-line').textContent,
    scaleDir: el.querySelector('.leaflet-control-scale').getAttribute('dir'),
    zoomIn: el.querySelector('.leaflet-control-zoom-in').title,
    zoomOut: el.querySelector('.leaflet-control-zoom-out').getAttribute('aria-label'),
    measure: el.querySelector('.bm-measure-button').title,
})"""
WORDS = {
    "en": (r"^\d+ (km|m)$", "ltr", "Zoom in", "Zoom out", "Measure"),
    "ar": (r"^\d+ (كم|م)$", "rtl", "تكبير", "تصغير", "قياس"),
}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_maps_controls_speak_the_pages_language(server, probed, lang):
    """The scale bar («20 كم», not "20 km", on an Arabic map) and the buttons' titles."""
    page = probed.new_page()
    frame = open_map(page, f"{server.url}/?lang={lang}&c=34.4,40.9&z=9")
    got = frame.locator(".leaflet-container").evaluate(CONTROLS)
    scale, direction, zoom_in, zoom_out, measure = WORDS[lang]
    assert re.match(scale, got["scale"]), got
    assert got["scaleDir"] == direction
    assert got["zoomIn"] == zoom_in and got["zoomOut"] == zoom_out
    assert got["measure"].startswith(measure)


# Views over Turkey and Iran (and Cairo, at the wide one), where towns used to be labelled in
# Latin script on Arabic maps, with labels their sourced Arabic names must bring.
NAMED_VIEWS = {
    "turkey-iran-egypt-z6": ("&c=35.0,40.5&z=6", {"القاهرة", "عينتاب", "أورفة", "كرمانشاه"}),
    "turkey-iran-z7": ("&c=37.0,45.0&z=7", {"دياربكر", "تبريز", "وان", "ماردين"}),
}


@pytest.mark.parametrize("view", sorted(NAMED_VIEWS))
def test_an_arabic_map_labels_no_place_in_latin_script(server, probed, view):
    """A place no source names in Arabic is left unlabelled, never labelled in Latin."""
    query, expected = NAMED_VIEWS[view]
    page = probed.new_page()
    frame = open_map(page, f"{server.url}/?lang=ar{query}")
    texts = {lab["text"] for lab in settled_labels(page, frame)}
    assert not {t for t in texts if re.search("[A-Za-z]", t)}, texts
    assert expected <= texts, expected - texts
