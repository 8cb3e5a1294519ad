"""A briefing on the team's stack (`briefmap team up`: PostgreSQL, the sign-in provider, two
app servers, nginx), as people use it: a presenter signs in through nginx and presents from
one app server, the projector follows from the other; the presenter's server is killed
mid-briefing, the presenter's window carries on through nginx on the server left, and the
projector keeps following. Everything is started here, on loopback."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from layers.team.cluster import free_port
from layers.team.stack import Stack, down
from tests.ui.harness import (
    MAP_FRAME,
    WAIT_MS,
    Guard,
    audience_link,
    describe_pages,
    event_loop_turned,
    open_map,
    wait_until,
)

pytestmark = pytest.mark.browser
WALK = "iraq-syria-2025"


@pytest.fixture(scope="module")
def team():
    folder = Path(tempfile.mkdtemp(dir="/tmp", prefix="briefmap-test-teambrief-"))
    folder.chmod(0o711)  # PostgreSQL, the portal and nginx run as nobody under root
    stack = Stack(folder / "stack", port=free_port(), servers=2)
    try:
        state = stack.up()
        yield stack, state
    finally:
        down(stack.folder)
        shutil.rmtree(folder, ignore_errors=True)


def _sign_in(page, link: str, user) -> None:
    """Sign in from `link` through the portal's form; the provider sends the person back
    to the link itself, through nginx (layers.routes.ReturnAfterSignIn)."""
    page.goto(link)
    page.locator(".st-key-bm-sign-in button").click(timeout=WAIT_MS)
    page.locator("#userfield").fill(user.login, timeout=WAIT_MS)
    page.locator("#passwordfield").fill(user.password)
    page.locator("#lform button[type=submit]").click()
    page.wait_for_url(link, timeout=WAIT_MS)


def _on(url: str, port: int) -> str:
    """The same link on one app server, not through nginx (an audience link needs no
    sign-in; signed-in windows go through the team's address, where the sign-in was)."""
    parts = urlsplit(url)
    return parts._replace(netloc=f"127.0.0.1:{port}").geturl()


def _server_of_last_stream(stack) -> int:
    """The app server port nginx sent the latest closed websocket to (its access log says,
    once a connection ends: the sign-in's and start page's came before the presenter's,
    and keep to the same server)."""
    log = (stack.folder / "nginx" / "logs" / "access.log").read_text().splitlines()
    streams = [line for line in log if "/_stcore/stream" in line and " 101 " in line]
    tried = streams[-1].rsplit("upstream=", 1)[1].split(",")
    return int(tried[-1].strip().rsplit(":", 1)[1])


def test_killing_the_presenters_server_mid_briefing_loses_nothing(team, browser, geodata):
    stack, state = team
    apps = {part.port: part for part in state.parts if part.name.startswith("app-")}
    guard = Guard()
    presenter_ctx = browser.new_context(viewport={"width": 1600, "height": 1000})
    projector_ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    for context in (presenter_ctx, projector_ctx):
        context.route("**/*", guard)
    try:
        pres = presenter_ctx.new_page()
        _sign_in(pres, f"{state.url}/?walkthrough={WALK}&scene=2&mode=presenter",
                 stack.users["presenter1"])  # fmt: skip
        pres.locator(".st-key-bm-start-presenting button").click(timeout=WAIT_MS)
        pres.wait_for_url("**briefing=**", timeout=WAIT_MS)
        pres.frame_locator(MAP_FRAME).locator(".leaflet-container").wait_for(timeout=WAIT_MS)
        mine = apps[_server_of_last_stream(stack)]
        other = next(part for port, part in apps.items() if port != mine.port)
        # the projector follows on the other server (its link needs no sign-in)
        aud = projector_ctx.new_page()
        open_map(aud, _on(audience_link(pres), other.port))
        title = aud.locator("#bm-aud-title")
        scenes = geodata.walkthroughs[WALK].scenes
        assert wait_until(lambda: title.inner_text() == scenes[1].title_en)

        os.kill(mine.pid, signal.SIGKILL)  # the presenter's server dies mid-briefing
        pres.reload()  # what a presenter does when the page says it lost its connection
        pres.frame_locator(MAP_FRAME).locator(".leaflet-container").wait_for(timeout=WAIT_MS)
        pres.get_by_text("Scene 2 / 10", exact=False).first.wait_for(timeout=WAIT_MS)
        pres.mouse.click(700, 12)
        event_loop_turned(pres)
        pres.keyboard.press("ArrowRight")
        pres.get_by_text("Scene 3 / 10", exact=False).first.wait_for(timeout=WAIT_MS)
        assert wait_until(lambda: title.inner_text() == scenes[2].title_en), title.inner_text()
    except BaseException:
        print(describe_pages(presenter_ctx.pages + projector_ctx.pages))
        raise
    finally:
        presenter_ctx.close()
        projector_ctx.close()
    assert guard.offenders == []
