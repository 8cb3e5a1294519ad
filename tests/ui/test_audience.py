"""The projector in a real browser, in both languages: it shows what a slide shows (marking
banner top and bottom, legend of what the map draws, scale bar in the page's language), a
scene change never shows a label of the scene before, Esc closes the open popover and nothing
else, and the audience says so when the presenter stops. Every wait is for a condition."""

from __future__ import annotations

import re
from contextlib import contextmanager
from urllib.parse import parse_qs, urlparse

import pytest
from shapely.geometry import box

from layers.boundary import load_geodata
from layers.i18n import pick, t
from layers.marking import banner_marking
from layers.snapshot.contents import layer_markings
from layers.walkthrough import scene_view
from tests.conftest import GEODATA
from tests.ui.harness import (
    MAP_FRAME,
    Guard,
    audience_link,
    describe_pages,
    present,
    sure_button,
    wait_until,
)

pytestmark = pytest.mark.browser
WALK = "iraq-syria-2025"
LANGS = ["en", "ar"]
OPEN_MS = 180_000  # a first paint on a loaded 2-core machine; a condition, not a figure

# Every text drawn on a canvas, with the briefing version the map showed then and whether a
# held picture covered the map (what the room could see). Runs in every frame.
TEXT_LOG = """
(() => {
  const log = window.__bmTexts = [];
  const P = CanvasRenderingContext2D.prototype, fill = P.fillText;
  P.fillText = function (text) {
    const c = this.canvas;
    if (c.isConnected && c.closest && c.closest('.leaflet-container') &&
        !c.closest('.bm-freeze')) {
      log.push({ text: String(text), nonce: window.__bmFocusNonce,
                 covered: !!document.querySelector('.bm-freeze') });
    }
    return fill.apply(this, arguments);
  };
})();
"""


@pytest.fixture(scope="module")
def geodata():
    return load_geodata(GEODATA)


@pytest.fixture(scope="module")
def walkthrough(geodata):
    return geodata.walkthroughs[WALK]


def open_map(page, url: str):
    """As tests.ui.harness.open_map, with room for a loaded machine."""
    page.goto(url)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator('.leaflet-container[data-basemap="ready"]').wait_for(timeout=OPEN_MS)
    return frame


@contextmanager
def pair(browser, server, lang: str, scene: int = 1):
    """A presenter and a 1920×1080 projector, two pages of one browser, over loopback only."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    guard = Guard()
    context.route("**/*", guard)
    context.add_init_script(TEXT_LOG)
    pages = [context.new_page(), context.new_page()]
    try:
        pres, aud = pages
        present(pres, f"{server.url}/?walkthrough={WALK}&scene={scene}&lang={lang}")
        aud_frame = open_map(aud, audience_link(pres))
        yield pres, aud, aud_frame
    except BaseException:
        print(describe_pages(pages))
        raise
    finally:
        context.close()
        assert guard.offenders == [], f"requests left the machine: {guard.offenders}"


def _title(scene, lang: str) -> str:
    return pick(scene.title_en, scene.title_ar, lang)


def _focus_page(page) -> None:
    """Close any popover and give the page the keys, as a clicker's keys would reach it."""
    page.mouse.click(700, 12)
    page.locator('[data-testid="stPopoverBody"]').first.wait_for(state="hidden", timeout=30_000)


def _clicker_ready(page) -> None:
    clicker = page.frame_locator('iframe[title*="clicker"]')
    clicker.locator('button[data-action="next"]').wait_for(timeout=OPEN_MS)


def _map_js(frame, script: str):
    return frame.locator(".leaflet-container").evaluate(script)


@pytest.mark.parametrize("lang", LANGS)
def test_the_projector_carries_banner_legend_and_scale(server, browser, geodata, walkthrough, lang):
    scene = walkthrough.scenes[2]
    with pair(browser, server, lang, scene=3) as (_pres, aud, frame):
        # the marking of exports: the highest of every layer the scene shows
        marking = banner_marking(layer_markings(scene_view(scene, lang), geodata))
        top, bottom = aud.get_by_test_id("bm-banner-top"), aud.get_by_test_id("bm-banner-bottom")
        assert top.inner_text().strip() == bottom.inner_text().strip() == marking.label
        assert top.bounding_box()["y"] <= 1 and top.bounding_box()["width"] >= 1900
        low = bottom.bounding_box()
        assert low["y"] + low["height"] >= 1079 and low["width"] >= 1900
        # the legend names exactly the layers with something inside the map as framed
        legend = frame.locator(".bm-proj-legend .bm-legend-item")
        legend.first.wait_for(timeout=60_000)
        w, s, e, n = _map_js(
            frame,
            "el => { const b = window.map.getBounds(); return [b.getWest(), "
            "b.getSouth(), b.getEast(), b.getNorth()]; }",
        )
        inside = box(w, s, e, n)
        wanted = {
            f.layer
            for f in scene_view(scene, lang).select(geodata)
            if f.geometry.intersects(inside)
        }
        shown = {legend.nth(i).get_attribute("data-layer") for i in range(legend.count())}
        assert shown == wanted
        names = {
            pick(geodata.layers[lid].name_en, geodata.layers[lid].name_ar, lang) for lid in wanted
        }
        assert all(any(name in text for text in legend.all_inner_texts()) for name in names)
        # a scale bar in the page's language
        unit = t("km", lang)
        scale = frame.locator(".bm-proj-scale .leaflet-control-scale-line")
        assert re.fullmatch(
            rf"\d+ ({re.escape(unit)}|{re.escape(t('metres', lang))})", scale.inner_text().strip()
        ), scale.inner_text()
        # mirrored in Arabic: the legend on the reading side's end, the scale opposite
        legend_x = frame.locator(".bm-proj-legend").bounding_box()["x"]
        scale_x = scale.bounding_box()["x"]
        assert (legend_x < scale_x) == (lang == "ar")
        assert frame.locator(".bm-proj-legend .bm-legend").get_attribute("dir") == (
            "rtl" if lang == "ar" else "ltr"
        )
        # nothing of the presenter's: no notes, no buttons, no link to hand on
        assert pick(scene.notes_en, scene.notes_ar, lang) not in aud.locator(".stApp").inner_text()
        assert aud.locator('[data-testid="stPopover"]').count() == 0


@pytest.mark.parametrize("lang", LANGS)
def test_esc_with_the_link_popover_open_closes_it_and_keeps_presenting(
    server, browser, walkthrough, lang
):
    with pair(browser, server, lang) as (pres, aud, _frame):
        body = pres.locator('[data-testid="stPopoverBody"]')
        assert body.first.is_visible()  # audience_link left the link's popover open
        pres.keyboard.press("Escape")
        body.first.wait_for(state="hidden", timeout=30_000)
        # still presenting: the next key moves the room
        pres.keyboard.press("ArrowRight")
        title = aud.locator("#bm-aud-title")
        want = _title(walkthrough.scenes[1], lang)
        assert wait_until(lambda: title.inner_text() == want, timeout=60)
        assert parse_qs(urlparse(pres.url).query)["mode"] == ["presenter"]
        assert sure_button(pres, "resume").count() == 0
        assert aud.get_by_test_id("bm-aud-paused").count() == 0


@pytest.mark.parametrize("lang", LANGS)
def test_the_audience_says_so_when_the_presenter_stops(server, browser, walkthrough, lang):
    with pair(browser, server, lang, scene=2) as (pres, aud, _frame):
        _focus_page(pres)
        pres.keyboard.press("Escape")  # nothing open: a deliberate stop
        sure_button(pres, "resume").wait_for(timeout=60_000)
        notice = aud.get_by_test_id("bm-aud-paused")
        notice.wait_for(timeout=60_000)
        assert notice.inner_text().strip() == t("audience_paused", lang)
        sure_button(pres, "resume").click()
        notice.wait_for(state="detached", timeout=60_000)
        assert aud.locator("#bm-aud-title").inner_text() == _title(walkthrough.scenes[1], lang)
        _clicker_ready(pres)  # presenting again: its keys are heard once its clicker is drawn
        _focus_page(pres)
        pres.keyboard.press("ArrowRight")
        want = _title(walkthrough.scenes[2], lang)
        assert wait_until(lambda: aud.locator("#bm-aud-title").inner_text() == want, timeout=60)


def _part_of(drawn: str, gone: set[str], kept: set[str]) -> bool:
    """A drawn line of a label that left (a label may be drawn in several lines)."""
    drawn = drawn.strip()
    if drawn in gone:
        return True
    return len(drawn) >= 4 and any(drawn in g for g in gone) and not any(drawn in k for k in kept)


def _placed(frame) -> set[str]:
    return set(_map_js(frame, "el => briefmap.placedLabels(window.map).map(l => l.text)"))


@pytest.mark.parametrize("lang", LANGS)
def test_no_label_of_the_scene_before_is_drawn_after_a_scene_change(
    server, browser, walkthrough, lang
):
    with pair(browser, server, lang) as (pres, aud, frame):
        assert wait_until(lambda: len(_placed(frame)) > 0, timeout=60)
        version = _map_js(frame, "el => window.__bmFocusNonce")
        _focus_page(pres)
        for step in (1, 2):  # scene 1 → 2 → 3, each change drawn behind the one before
            before = _placed(frame)
            pres.keyboard.press("ArrowRight")
            want = _title(walkthrough.scenes[step], lang)
            assert wait_until(lambda w=want: aud.locator("#bm-aud-title").inner_text() == w, 60)
            # the map's new groups follow the title (their scene's version, the focus nonce)
            assert wait_until(
                lambda v=version: _map_js(frame, "el => window.__bmFocusNonce") > v, timeout=60
            )
            new = _map_js(frame, "el => window.__bmFocusNonce")
            assert wait_until(
                lambda n=new: _map_js(frame, "el => el.getAttribute('data-shown')") == str(n),
                timeout=60,
            )
            after = _placed(frame)
            gone = before - after
            assert gone, "the two scenes share every label: no test"
            seen = _map_js(frame, "el => window.__bmTexts")
            stale = {
                d["text"]
                for d in seen
                if d["nonce"] == new and not d["covered"] and _part_of(d["text"], gone, after)
            }
            assert not stale, f"labels of the scene before drawn in view after the change: {stale}"
            version = new
