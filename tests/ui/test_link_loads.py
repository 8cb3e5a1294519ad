"""Issue 20's probe: every load of a presenter's link (`?walkthrough=…&scene=1`) used to make
a briefing, so about 200 loads by a stranger filled the server's limit for six hours. Now a
briefing is made only by a presenter's press of "Start presenting": 500 loads, each a fresh
session over Streamlit's own websocket (what a page load does), leave the team's briefings
table (PostgreSQL, where the server keeps them) empty, and a presenter can still start one."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

from tests.pgserver import new_database
from tests.ui.harness import Guard, present, run_server

pytestmark = pytest.mark.browser
WALK = "iraq-syria-2025"
LOADS = 500


def _load(url: str, query: str) -> bool:
    """One page load's session: ask for a run with `query` and wait until it has finished.
    True when the run finished (Streamlit says so on the same socket)."""
    stream = url.replace("http://", "ws://") + "/_stcore/stream"
    with connect(stream, subprotocols=["streamlit"], max_size=None, open_timeout=60) as ws:
        rerun = BackMsg()
        rerun.rerun_script.query_string = query
        ws.send(rerun.SerializeToString())
        while True:
            message = ForwardMsg()
            message.ParseFromString(ws.recv(timeout=120))
            if message.WhichOneof("type") == "script_finished":
                return True


def _briefings(dsn: str) -> int:
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT count(*) FROM briefmap_briefing").fetchone()[0]


@pytest.fixture(scope="module")
def team_server(tmp_path_factory):
    dsn = new_database("link-loads")
    with run_server(tmp_path_factory.mktemp("loads"), "--briefings", dsn) as server:
        yield server, dsn


def test_500_loads_of_a_presenter_link_make_no_briefing(team_server, browser):
    server, dsn = team_server
    queries = [f"walkthrough={WALK}&scene={1 + i % 10}&mode=presenter" for i in range(LOADS)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        finished = list(pool.map(lambda q: _load(server.url, q), queries))
    assert finished == [True] * LOADS
    assert _briefings(dsn) == 0

    # the presenter's deliberate press still starts one, in the same table
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    guard = Guard()
    context.route("**/*", guard)
    try:
        present(context.new_page(), f"{server.url}/?walkthrough={WALK}&scene=2")
    finally:
        context.close()
    assert _briefings(dsn) == 1
    assert guard.offenders == []
