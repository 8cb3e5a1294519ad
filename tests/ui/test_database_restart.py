"""PostgreSQL restarted under a briefing (issue 20): the team's briefings and incidents live in
the database, so while it is away the presenter's window says so and both screens keep their
scene, and an analyst's page draws its map and says the store is unreachable; when it is back,
the same app server (no restart of its own) carries on: the presenter moves on, the projector
follows, and the analyst's page has its store again. The cluster is this test's own
(Debian's PostgreSQL, run as nobody when the tests run as root)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from layers.i18n import t
from layers.team.cluster import Cluster, free_port
from tests.ui.harness import (
    WAIT_MS,
    Guard,
    audience_link,
    describe_pages,
    event_loop_turned,
    open_map,
    present,
    run_server,
    wait_until,
)

pytestmark = pytest.mark.browser
WALK = "iraq-syria-2025"


@pytest.fixture(scope="module")
def cluster():
    folder = Path(tempfile.mkdtemp(dir="/tmp", prefix="briefmap-test-restart-"))
    folder.chmod(0o711)
    own = Cluster(folder / "pg", free_port())
    own.init().start()
    try:
        yield own
    finally:
        own.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_a_restarted_database_pauses_the_briefing_and_it_carries_on(
    cluster, browser, tmp_path, geodata
):
    scenes = geodata.walkthroughs[WALK].scenes
    away = t("briefings_away", "en").split(" (")[0]  # "The briefing cannot be reached"
    guard = Guard()
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    context.route("**/*", guard)
    try:
        # the incidents and the briefings in the one database, as a team's server has them
        with run_server(tmp_path, "--store", cluster.dsn()) as server:
            pres, aud, analyst = context.new_page(), context.new_page(), context.new_page()
            present(pres, f"{server.url}/?walkthrough={WALK}&scene=1")
            open_map(aud, audience_link(pres))
            title = aud.locator("#bm-aud-title")
            assert wait_until(lambda: title.inner_text() == scenes[0].title_en)

            cluster.stop()
            pres.get_by_text(away).first.wait_for(timeout=WAIT_MS)  # said, not a crash
            assert title.inner_text() == scenes[0].title_en  # the projector keeps its scene
            open_map(analyst, server.url)  # the analyst's map is drawn; the store's line says
            sidebar = analyst.locator('[data-testid="stSidebar"]')
            sidebar.get_by_text("the database is unreachable").wait_for(timeout=WAIT_MS)

            cluster.start()
            pres.get_by_text(away).first.wait_for(state="detached", timeout=WAIT_MS)
            open_map(analyst, server.url)
            assert sidebar.get_by_text("the database is unreachable").count() == 0
            pres.mouse.click(700, 12)
            event_loop_turned(pres)
            pres.keyboard.press("ArrowRight")
            pres.get_by_text("Scene 2 / 10", exact=False).first.wait_for(timeout=WAIT_MS)
            assert wait_until(lambda: title.inner_text() == scenes[1].title_en)
            assert server.process.poll() is None  # the same server process throughout
    except BaseException:
        print(describe_pages(context.pages))
        raise
    finally:
        context.close()
    assert guard.offenders == []
