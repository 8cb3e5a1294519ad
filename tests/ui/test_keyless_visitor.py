"""What a keyless visitor can do to a briefing in progress (issue 20's probe): Streamlit's own
`clear_cache` back-message, sent from a fresh websocket with no page load, used to empty the
cache where the briefing room lived and end every briefing. The briefings now live in the
server's runtime, which no client message reaches: presenter and audience carry on."""

from __future__ import annotations

import json
from urllib.error import HTTPError
from urllib.parse import parse_qs, urlparse
from urllib.request import urlopen

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

from layers.i18n import t
from tests.ui.harness import Guard, audience_link, open_map, present

pytestmark = pytest.mark.browser
WALK = "iraq-syria-2025"


def _clear_caches_as_a_stranger(url: str) -> list[str]:
    """Connect as Streamlit's page would, ask for `clear_cache`, then for a run; the run's
    messages come after the server handled the first request (one socket, in order)."""
    stream = url.replace("http://", "ws://") + "/_stcore/stream"
    seen: list[str] = []
    with connect(stream, subprotocols=["streamlit"], max_size=None, open_timeout=60) as ws:
        clear = BackMsg()
        clear.clear_cache = True
        ws.send(clear.SerializeToString())
        rerun = BackMsg()
        rerun.rerun_script.query_string = ""
        ws.send(rerun.SerializeToString())
        while "script_finished" not in seen:
            message = ForwardMsg()
            message.ParseFromString(ws.recv(timeout=120))
            seen.append(message.WhichOneof("type") or "")
    return seen


def test_a_strangers_clear_cache_ends_no_briefing(server, browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    guard = Guard()
    context.route("**/*", guard)
    try:
        presenter, audience = context.new_page(), context.new_page()
        present(presenter, f"{server.url}/?walkthrough={WALK}&scene=3")
        key = parse_qs(urlparse(presenter.url).query)["briefing"][0]
        link = audience_link(presenter)
        seen = _clear_caches_as_a_stranger(server.url)
        assert "script_finished" in seen  # the server handled clear_cache before this run
        assert "refused a client's clear_cache" in server.log.read_text()
        open_map(presenter, f"{server.url}/?walkthrough={WALK}&briefing={key}")
        open_map(audience, link)
        ended = t("briefing_unknown", "en")
        for page in (presenter, audience):
            text = page.locator(".stApp").inner_text()
            assert ended not in text
        assert audience.locator("#bm-aud-title").inner_text().strip()  # scene 3 on the screen
    finally:
        context.close()
    assert guard.offenders == []


def test_streamlit_s_metrics_are_closed_and_host_config_holds_no_data(server):
    for path in ("/_stcore/metrics", "/_stcore/metrics/"):
        with pytest.raises(HTTPError) as refused:
            urlopen(server.url + path, timeout=30)  # noqa: S310 - loopback
        assert refused.value.code == 404
    with urlopen(server.url + "/_stcore/host-config", timeout=30) as answer:  # noqa: S310
        config = json.loads(answer.read())
    assert config["metricsUrl"] == "" and not config["useExternalAuthToken"]
