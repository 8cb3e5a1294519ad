"""Presenting in a real browser: a presenter window drives an audience window with clicker keys,
over loopback only. These tests check that the audience follows each press within a few of its
own script runs (a count the page reports, so a loaded machine does not fail them); how fast it
follows in seconds (target: under a second) is measured by bench/briefing.py, not asserted here."""

from __future__ import annotations

import re
from contextlib import contextmanager
from urllib.parse import parse_qs, urlparse

import pytest

from layers.boundary import load_geodata
from layers.routes import BRIEFING_HEADER, BRIEFING_URL
from tests.conftest import GEODATA
from tests.ui.harness import (
    WAIT_MS,
    Guard,
    audience_link,
    count_version_asks,
    describe_pages,
    event_loop_turned,
    map_view,
    open_map,
    present,
    runs_done,
    sure_button,
    upload,
    wait_runs,
    wait_until,
    wait_version_asks,
    watch_runs,
)

pytestmark = pytest.mark.browser
WALK = "iraq-syria-2025"
FOLLOW_S = 120.0  # bounds a hang only: a loaded machine may be slow, a broken one never arrives
# The most script runs an audience finishes between the presenter showing a move and the
# audience showing it: the poll in flight, the poll that sees the move, the run that draws it
# (and one to spare). A poll or broadcast that stopped working would need many more.
FOLLOW_RUNS = 4
# In the audience page: the count of finished script runs at the moment the title changed.
_TITLE_RUNS = """() => {
  if (window.__bmTitleRuns === undefined) {
    window.__bmTitleRuns = {};
    let last = null;
    new MutationObserver(() => {
      const el = document.querySelector('#bm-aud-title');
      const text = el ? el.innerText : null;
      if (text !== null && text !== last) window.__bmTitleRuns[text] = window.__bmRuns;
      last = text;
    }).observe(document, {subtree: true, childList: true, characterData: true});
  }
}"""


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


def _follows(pres, aud, number: int, want: str) -> None:
    """The presenter shows scene `number`; the audience then shows `want` within FOLLOW_RUNS
    of its own script runs (counted in the page, at the moment its title changed)."""
    pres.get_by_text(f"Scene {number} / 10", exact=False).first.wait_for(timeout=WAIT_MS)
    shown = runs_done(aud)  # read after the presenter showed it: never less than the true count
    title = aud.locator("#bm-aud-title")
    assert wait_until(lambda: title.inner_text() == want, timeout=FOLLOW_S), title.inner_text()
    at = aud.evaluate("t => window.__bmTitleRuns[t]", want)
    assert at is not None and at - shown <= FOLLOW_RUNS, (
        f"the audience finished {at - shown} runs before showing scene {number}"
        if at is not None
        else f"the audience's title never changed to scene {number}"
    )


def _watch_title(aud) -> None:
    runs_done(aud)
    aud.evaluate(_TITLE_RUNS)


def _open_pair(server, browser, pres_page, aud_page, scene: int = 1):
    pres_frame = present(pres_page, f"{server.url}/?walkthrough={WALK}&scene={scene}")
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
        event_loop_turned(pres)
        # each press moves exactly one scene: the presenter shows every step in order
        for key, number in (("ArrowRight", 2), ("ArrowRight", 3), ("ArrowRight", 4)):
            pres.keyboard.press(key)
            pres.get_by_text(f"Scene {number} / 10", exact=False).first.wait_for(timeout=WAIT_MS)
        pres.keyboard.press("ArrowLeft")
        pres.get_by_text("Scene 3 / 10", exact=False).first.wait_for(timeout=WAIT_MS)
        scene = walkthrough.scenes[2]
        assert wait_until(lambda: title.inner_text() == scene.title_en, timeout=FOLLOW_S)
        # each single move reaches the audience within a few of its runs
        _watch_title(aud)
        for key, number in (("ArrowRight", 4), ("ArrowLeft", 3)):
            pres.keyboard.press(key)
            _follows(pres, aud, number, walkthrough.scenes[number - 1].title_en)
        # the map frames scene 3
        w, s, e, n = scene.extent
        assert wait_until(lambda: (lambda v: w < v[1] < e and s < v[0] < n)(map_view(aud_frame)))

        # the audience never sees speaker notes; it sees the key points in large type
        def points_shown() -> bool:
            text = aud.locator(".stApp").inner_text()
            return all(point in text for point in scene.points_en)

        assert wait_until(points_shown, timeout=FOLLOW_S), scene.points_en
        assert scene.notes_en not in aud.locator(".stApp").inner_text()
        # B blanks the audience screen, and B again brings it back
        pres.keyboard.press("b")
        blank = aud.locator(".bm-blank")
        blank.wait_for(timeout=WAIT_MS)
        box = blank.bounding_box()
        assert box["width"] >= 1900 and box["height"] >= 1060
        assert aud.locator("#bm-aud-title").count() == 0
        pres.get_by_text("The audience screen is blank").wait_for(timeout=WAIT_MS)
        pres.keyboard.press("b")
        title.wait_for(timeout=WAIT_MS)
        assert aud.locator(".bm-blank").count() == 0


def test_clicker_keys_work_after_a_click_on_the_map(server, browser, walkthrough):
    with window(browser, 1920, 1080, pages=2) as (pres, aud):
        pres_frame, aud_frame = _open_pair(server, browser, pres, aud)
        pres_frame.locator(".leaflet-container").click(position={"x": 200, "y": 200})
        pres.keyboard.press("PageDown")
        pres.get_by_text("Scene 2 / 10", exact=False).first.wait_for(timeout=WAIT_MS)
        pres_frame.locator(".leaflet-container").click(position={"x": 220, "y": 220})
        pres.keyboard.press("End")
        pres.get_by_text("Scene 10 / 10", exact=False).first.wait_for(timeout=WAIT_MS)
        title = aud.locator("#bm-aud-title")
        assert wait_until(lambda: title.inner_text() == walkthrough.scenes[9].title_en)


def test_only_the_presenter_drives_and_sees_the_notes(server, browser, walkthrough):
    """A second browser holding only the audience link cannot move the briefing, and cannot
    turn itself into a presenter by changing the mode in the link."""
    with window(browser, 1440, 900) as pres, window(browser, 1920, 1080) as other:
        _pres_frame, aud_frame = _open_pair(server, browser, pres, other, scene=2)
        answers = count_version_asks(other)
        aud_frame.locator(".leaflet-container").click(position={"x": 300, "y": 300})
        for key in ("ArrowRight", "ArrowRight", "ArrowRight", "End"):
            other.keyboard.press(key)
            event_loop_turned(other)
        other.mouse.click(900, 20)  # the page around the map, too
        for key in ("ArrowRight", "PageDown", "End", "b"):
            other.keyboard.press(key)
            event_loop_turned(other)
        # more answers from the server than a move needs to arrive: it would be here
        wait_version_asks(other, answers, more=2 * FOLLOW_RUNS)
        wait_runs(other, runs_done(other), more=0)
        assert other.locator("#bm-aud-title").inner_text() == walkthrough.scenes[1].title_en
        assert other.locator(".bm-blank").count() == 0
        pres.get_by_text("Scene 2 / 10", exact=False).first.wait_for(timeout=WAIT_MS)
        assert other.locator('[data-testid="stPopover"]').count() == 0  # no link to hand on
        assert other.locator('[data-testid="stCode"]').count() == 0
        # the audience key with mode=presenter: refused, no speaker notes, no buttons
        hijack = audience_link(pres).replace("mode=audience", "mode=presenter")
        other.goto(hijack)
        other.get_by_text("This is an audience link").first.wait_for(timeout=WAIT_MS)
        text = other.locator(".stApp").inner_text()
        assert walkthrough.scenes[1].notes_en not in text
        assert "Speaker notes" not in text
        assert other.locator('iframe[title*="clicker"]').count() == 0
        pres.get_by_text("Scene 2 / 10", exact=False).first.wait_for(timeout=WAIT_MS)


def test_an_audience_elsewhere_asks_without_running_and_follows(server, browser, walkthrough):
    """A projector in another browser (no channel shared with the presenter) asks the server
    whether the briefing moved, with its key in a header; while nothing moves its page runs
    nothing at all (a question is not a run), and a move arrives within a few runs."""
    with window(browser, 1440, 900) as pres, window(browser, 1920, 1080) as aud:
        watch_runs(aud)
        _open_pair(server, browser, pres, aud, scene=3)
        asks: list[tuple[str, dict]] = []
        aud.on(
            "request",
            lambda r: (
                asks.append((r.url, r.headers)) if urlparse(r.url).path == BRIEFING_URL else None
            ),
        )
        answers = count_version_asks(aud)
        wait_runs(aud, runs_done(aud), more=0)
        idle = runs_done(aud)
        wait_version_asks(aud, answers, more=6)
        assert runs_done(aud) == idle, "the projector ran its page while nothing moved"
        assert set(answers) == {200}
        key = _key(aud.url)
        assert asks and all(h.get(BRIEFING_HEADER.lower()) == key for _u, h in asks)
        assert not any(key in url for url, _h in asks)  # never in the address (nor its logs)
        _watch_title(aud)
        pres.keyboard.press("ArrowRight")
        _follows(pres, aud, 4, walkthrough.scenes[3].title_en)


def test_a_made_up_briefing_key_opens_nothing(server, browser):
    with window(browser, 1440, 900) as page:
        page.goto(f"{server.url}/?walkthrough={WALK}&briefing=AAAAAAAAAAAAAAAAAAAAAAAA")
        page.get_by_text("This briefing has ended or the link is not valid").first.wait_for(
            timeout=WAIT_MS
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
        present(page, f"{server.url}/?walkthrough={WALK}&scene=5&mode=presenter&lang={lang}")
        scene = walkthrough.scenes[4]
        title = scene.title_ar if lang == "ar" else scene.title_en
        assert page.get_by_text(title).first.is_visible()
        assert parse_qs(urlparse(page.url).query)["scene"] == ["5"]
        open_map(aud, audience_link(page))
        assert aud.locator("#bm-aud-title").inner_text() == title


def test_escape_leaves_presenting_and_resumes_at_the_same_scene(server, browser, walkthrough):
    with window(browser, 1440, 900) as pres:
        present(pres, f"{server.url}/?walkthrough={WALK}&scene=4")
        pres.mouse.click(700, 12)
        pres.keyboard.press("Escape")
        resume = sure_button(pres, "resume")
        resume.wait_for(timeout=WAIT_MS)
        assert resume.inner_text() == "Resume presenting at scene 4"
        # the analyst view shows the scene's view (its layers) …
        assert pres.get_by_role("checkbox", name=re.compile("Iraqi factions")).is_checked()
        assert not pres.get_by_role("checkbox", name=re.compile("Oil pipelines")).is_checked()
        resume.click()
        pres.get_by_text("Scene 4 / 10", exact=False).first.wait_for(timeout=WAIT_MS)
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
        present(pres, f"{server.url}/?walkthrough={WALK}&scene=4")
        pres.mouse.click(700, 12)
        pres.keyboard.press("Escape")
        pres.get_by_role("button", name="Show on map").first.wait_for(timeout=WAIT_MS)
        sure_button(pres, "resume").wait_for(timeout=WAIT_MS)
        runs = runs_done(pres)
        _press_as_the_map_reports(pres, "resume", delay_ms)
        pres.get_by_text("Scene 4 / 10", exact=False).first.wait_for(timeout=WAIT_MS)
        # the press's run, the report's run and a poll after them have all ended: a stale run
        # would have taken the window back to the analyst's page
        wait_runs(pres, runs, more=3)
        assert pres.get_by_text("Scene 4 / 10", exact=False).first.is_visible()
        assert parse_qs(urlparse(pres.url).query)["mode"] == ["presenter"]


def test_a_map_report_at_the_moment_of_present_does_not_undo_it(server, browser):
    with window(browser, 1440, 900) as page:
        open_map(page, server.url)
        sure_button(page, "present").wait_for(timeout=WAIT_MS)
        runs = runs_done(page)
        _press_as_the_map_reports(page, "present", 0)
        page.get_by_text("Scene 1 / 10", exact=False).first.wait_for(timeout=WAIT_MS)
        wait_runs(page, runs, more=3)  # the press's, the report's and a poll's runs have ended
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
        errors.first.wait_for(timeout=WAIT_MS)
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
        pres.mouse.click(700, 12)
        event_loop_turned(pres)
        _watch_title(aud)
        pres.keyboard.press("PageDown")
        _follows(pres, aud, 2, walkthrough.scenes[1].title_en)
