"""Presenting in a real browser: a presenter window drives an audience window with clicker keys,
over loopback only. These tests check that the audience follows each press promptly (well
within FOLLOW_S even on a loaded machine); how fast it follows (target: under a second) is
measured by bench/briefing.py, not asserted here."""

from __future__ import annotations

import re
import time
from contextlib import contextmanager
from urllib.parse import parse_qs, urlparse

import pytest

from layers.boundary import load_geodata
from tests.conftest import GEODATA
from tests.ui.harness import (
    Guard,
    audience_link,
    describe_pages,
    map_view,
    open_map,
    sure_button,
    upload,
    wait_until,
)

pytestmark = pytest.mark.browser
WALK = "iraq-syria-2025"
FOLLOW_S = 3.0  # a poll or broadcast that stopped working would miss this by far


@pytest.fixture(scope="module")
def walkthrough():
    return load_geodata(GEODATA).walkthroughs[WALK]


@contextmanager
def window(browser, width: int, height: int, pages: int = 1):
    """Pages of one browser (as a presenter's laptop with the projector as second display)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    guard = Guard()
    context.route("**/*", guard)
    try:
        made = [context.new_page() for _ in range(pages)]
        try:
            yield made[0] if pages == 1 else made
        except BaseException:
            print(describe_pages(made))  # shown with the failure: what the windows showed
            raise
    finally:
        context.close()
        assert guard.offenders == [], f"requests left the machine: {guard.offenders}"


def _key(url: str) -> str:
    return parse_qs(urlparse(url).query)["briefing"][0]


def _open_pair(server, browser, pres_page, aud_page, scene: int = 1):
    pres_frame = open_map(pres_page, f"{server.url}/?walkthrough={WALK}&scene={scene}")
    link = audience_link(pres_page)
    assert _key(link) != _key(pres_page.url)  # the projector never gets the presenter's key
    aud_frame = open_map(aud_page, link)
    return pres_frame, aud_frame


def test_presenter_keys_move_the_audience_one_scene_per_press(server, browser, walkthrough):
    with window(browser, 1920, 1080, pages=2) as (pres, aud):
        _pres_frame, aud_frame = _open_pair(server, browser, pres, aud)
        title = aud.locator("#bm-aud-title")
        assert title.inner_text() == walkthrough.scenes[0].title_en
        pres.mouse.click(700, 12)  # focus the presenter page, as a clicker's keys would
        for key in ("ArrowRight", "ArrowRight", "ArrowRight", "ArrowLeft"):
            pres.keyboard.press(key)
            time.sleep(0.25)
        pres.get_by_text("Scene 3 / 10", exact=False).first.wait_for(timeout=10_000)
        scene = walkthrough.scenes[2]
        assert wait_until(lambda: title.inner_text() == scene.title_en, timeout=5)
        # each single move reaches the audience promptly
        for key, number in (("ArrowRight", 4), ("ArrowLeft", 3)):
            time.sleep(1.0)  # both windows at rest
            pressed = time.monotonic()
            pres.keyboard.press(key)
            want = walkthrough.scenes[number - 1].title_en
            assert wait_until(lambda want=want: title.inner_text() == want, timeout=5)
            lag = time.monotonic() - pressed
            assert lag < FOLLOW_S, f"the audience took {lag:.2f} s to reach scene {number}"
        # the map frames scene 3
        w, s, e, n = scene.extent
        assert wait_until(lambda: (lambda v: w < v[1] < e and s < v[0] < n)(map_view(aud_frame)))

        # the audience never sees speaker notes; it sees the key points in large type
        def points_shown() -> bool:
            text = aud.locator(".stApp").inner_text()
            return all(point in text for point in scene.points_en)

        assert wait_until(points_shown, timeout=5), scene.points_en
        assert scene.notes_en not in aud.locator(".stApp").inner_text()
        # B blanks the audience screen, and B again brings it back
        pres.keyboard.press("b")
        blank = aud.locator(".bm-blank")
        blank.wait_for(timeout=5_000)
        box = blank.bounding_box()
        assert box["width"] >= 1900 and box["height"] >= 1060
        assert aud.locator("#bm-aud-title").count() == 0
        pres.get_by_text("The audience screen is blank").wait_for(timeout=5_000)
        pres.keyboard.press("b")
        title.wait_for(timeout=5_000)
        assert aud.locator(".bm-blank").count() == 0


def test_clicker_keys_work_after_a_click_on_the_map(server, browser, walkthrough):
    with window(browser, 1920, 1080, pages=2) as (pres, aud):
        pres_frame, aud_frame = _open_pair(server, browser, pres, aud)
        pres_frame.locator(".leaflet-container").click(position={"x": 200, "y": 200})
        pres.keyboard.press("PageDown")
        pres.get_by_text("Scene 2 / 10", exact=False).first.wait_for(timeout=10_000)
        pres_frame.locator(".leaflet-container").click(position={"x": 220, "y": 220})
        pres.keyboard.press("End")
        pres.get_by_text("Scene 10 / 10", exact=False).first.wait_for(timeout=10_000)
        title = aud.locator("#bm-aud-title")
        assert wait_until(lambda: title.inner_text() == walkthrough.scenes[9].title_en)


def test_only_the_presenter_drives_and_sees_the_notes(server, browser, walkthrough):
    """A second browser holding only the audience link cannot move the briefing, and cannot
    turn itself into a presenter by changing the mode in the link."""
    with window(browser, 1440, 900) as pres, window(browser, 1920, 1080) as other:
        _pres_frame, aud_frame = _open_pair(server, browser, pres, other, scene=2)
        aud_frame.locator(".leaflet-container").click(position={"x": 300, "y": 300})
        for key in ("ArrowRight", "ArrowRight", "ArrowRight", "End"):
            other.keyboard.press(key)
            time.sleep(0.3)
        other.mouse.click(900, 20)  # the page around the map, too
        for key in ("ArrowRight", "PageDown", "End", "b"):
            other.keyboard.press(key)
            time.sleep(0.3)
        time.sleep(2.0)  # longer than any poll: a move would have arrived by now
        assert other.locator("#bm-aud-title").inner_text() == walkthrough.scenes[1].title_en
        assert other.locator(".bm-blank").count() == 0
        pres.get_by_text("Scene 2 / 10", exact=False).first.wait_for(timeout=5_000)
        assert other.locator('[data-testid="stPopover"]').count() == 0  # no link to hand on
        assert other.locator('[data-testid="stCode"]').count() == 0
        # the audience key with mode=presenter: refused, no speaker notes, no buttons
        hijack = audience_link(pres).replace("mode=audience", "mode=presenter")
        other.goto(hijack)
        other.get_by_text("This is an audience link").first.wait_for(timeout=20_000)
        text = other.locator(".stApp").inner_text()
        assert walkthrough.scenes[1].notes_en not in text
        assert "Speaker notes" not in text
        assert other.locator('iframe[title*="clicker"]').count() == 0
        pres.get_by_text("Scene 2 / 10", exact=False).first.wait_for(timeout=5_000)


def test_a_made_up_briefing_key_opens_nothing(server, browser):
    with window(browser, 1440, 900) as page:
        page.goto(f"{server.url}/?walkthrough={WALK}&briefing=AAAAAAAAAAAAAAAAAAAAAAAA")
        page.get_by_text("This briefing has ended or the link is not valid").first.wait_for(
            timeout=20_000
        )
        assert _key(page.url) == "AAAAAAAAAAAAAAAAAAAAAAAA"  # not adopted as a new briefing


def test_audience_type_is_legible_from_the_back_row(server, browser):
    with window(browser, 1440, 900) as pres, window(browser, 1920, 1080) as aud:
        _open_pair(server, browser, pres, aud, scene=2)

        def size(selector: str) -> float:
            return aud.locator(selector).first.evaluate(
                "el => parseFloat(getComputedStyle(el).fontSize)"
            )

        assert size("#bm-aud-title") >= 48
        assert size("ul.bm-aud-points li") >= 32
        assert aud.locator('[data-testid="stSidebar"]').is_hidden()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_deep_link_opens_that_scene(server, browser, walkthrough, lang):
    with window(browser, 1920, 1080) as page, window(browser, 1920, 1080) as aud:
        open_map(page, f"{server.url}/?walkthrough={WALK}&scene=5&mode=presenter&lang={lang}")
        scene = walkthrough.scenes[4]
        title = scene.title_ar if lang == "ar" else scene.title_en
        assert page.get_by_text(title).first.is_visible()
        assert parse_qs(urlparse(page.url).query)["scene"] == ["5"]
        open_map(aud, audience_link(page))
        assert aud.locator("#bm-aud-title").inner_text() == title


def test_escape_leaves_presenting_and_resumes_at_the_same_scene(server, browser, walkthrough):
    with window(browser, 1440, 900) as pres:
        open_map(pres, f"{server.url}/?walkthrough={WALK}&scene=4")
        pres.mouse.click(700, 12)
        pres.keyboard.press("Escape")
        resume = sure_button(pres, "resume")
        resume.wait_for(timeout=10_000)
        assert resume.inner_text() == "Resume presenting at scene 4"
        # the analyst view shows the scene's view (its layers) …
        assert pres.get_by_role("checkbox", name=re.compile("Iraqi factions")).is_checked()
        assert not pres.get_by_role("checkbox", name=re.compile("Oil pipelines")).is_checked()
        resume.click()
        pres.get_by_text("Scene 4 / 10", exact=False).first.wait_for(timeout=10_000)
        assert pres.get_by_text(walkthrough.scenes[3].title_en).first.is_visible()


# The map's report posted from its frame, as st_folium posts it after a pan.
_MAP_REPORT = (
    "window.parent.postMessage({isStreamlitMessage: true, type: 'streamlit:setComponentValue',"
    " dataType: 'json', value: {center: {lat: 34, lng: 40}, zoom: 6, bounds: {_southWest:"
    " {lat: 30, lng: 35}, _northEast: {lat: 38, lng: 45}}}}, '*')"
)


def _press_as_the_map_reports(page, key: str, delay_ms: int) -> None:
    """Press a sidebar button and have the map report a pan `delay_ms` later: the report's
    rerun carries the link the browser had before the press, and reaches the server as the
    press's run starts."""
    page.evaluate(
        """([key, report, delay]) => {
          const holder = document.querySelector(`.st-key-${key} iframe`);
          const frame = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
          holder.contentDocument.querySelector('button').click();
          setTimeout(() => frame.contentWindow.eval(report), delay);
        }""",
        [key, _MAP_REPORT, delay_ms],
    )


@pytest.mark.parametrize("delay_ms", [0, 30])
def test_a_map_report_at_the_moment_of_resume_does_not_undo_it(server, browser, delay_ms):
    with window(browser, 1440, 900) as pres:
        open_map(pres, f"{server.url}/?walkthrough={WALK}&scene=4")
        pres.mouse.click(700, 12)
        pres.keyboard.press("Escape")
        pres.get_by_role("button", name="Show on map").first.wait_for(timeout=15_000)
        sure_button(pres, "resume").wait_for(timeout=10_000)
        _press_as_the_map_reports(pres, "resume", delay_ms)
        pres.get_by_text("Scene 4 / 10", exact=False).first.wait_for(timeout=10_000)
        time.sleep(1.5)  # a stale run would take the window back to the analyst's page
        assert pres.get_by_text("Scene 4 / 10", exact=False).first.is_visible()
        assert parse_qs(urlparse(pres.url).query)["mode"] == ["presenter"]


def test_a_map_report_at_the_moment_of_present_does_not_undo_it(server, browser):
    with window(browser, 1440, 900) as page:
        open_map(page, server.url)
        sure_button(page, "present").wait_for(timeout=15_000)
        _press_as_the_map_reports(page, "present", 0)
        page.get_by_text("Scene 1 / 10", exact=False).first.wait_for(timeout=10_000)
        time.sleep(1.5)
        assert page.get_by_text("Scene 1 / 10", exact=False).first.is_visible()
        assert parse_qs(urlparse(page.url).query)["mode"] == ["presenter"]


def test_uploading_a_broken_walkthrough_shows_every_error(server, browser, tmp_path):
    text = (GEODATA / "walkthroughs" / f"{WALK}.yaml").read_text(encoding="utf-8")
    broken = text.replace(
        "      layers: [smuggling, border, context, isis]", "      layers: [smuggling, weather]"
    ).replace("    highlight: [badia-desert, al-hol-camp]", "    highlight: [atlantis]")
    path = tmp_path / "mine.yaml"
    path.write_text(broken, encoding="utf-8")
    with window(browser, 1600, 1000) as page:
        open_map(page, server.url)
        page.get_by_text("Author a walkthrough").click()
        upload(page, path)
        errors = page.locator('[data-testid="stAlertContentError"]')
        errors.first.wait_for(timeout=10_000)
        shown = errors.all_inner_texts()
        assert any(
            "scenes[2] (id 'smuggling-corridor')" in e and "view.layers" in e and "weather" in e
            for e in shown
        ), shown
        assert any(
            "scenes[1] (id 'isis-desert-al-hol')" in e and "highlight" in e for e in shown
        ), shown
        # nothing was loaded: the walkthrough list still has only the shipped briefing
        assert page.get_by_role("button", name="Add the current view as a scene").is_visible()
        assert page.locator('[class*="st-key-draft-edit-"]').count() == 0


def test_an_audience_in_another_browser_follows_by_polling(server, browser, walkthrough):
    """A projector on another machine shares no BroadcastChannel: it polls the server."""
    with window(browser, 1440, 900) as pres, window(browser, 1920, 1080) as aud:
        _open_pair(server, browser, pres, aud)
        title = aud.locator("#bm-aud-title")
        pres.mouse.click(700, 12)
        time.sleep(1.0)
        pressed = time.monotonic()
        pres.keyboard.press("PageDown")
        assert wait_until(lambda: title.inner_text() == walkthrough.scenes[1].title_en, timeout=5)
        lag = time.monotonic() - pressed
        assert lag < FOLLOW_S, f"the audience took {lag:.2f} s"
