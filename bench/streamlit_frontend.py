"""A Streamlit page's frontend, emulated over Streamlit's own websocket (for the benches).

What the browser's frontend does, and this does too: it first loads `/` (behind the team's nginx
that sets the `briefmap_server` affinity cookie, kept per client), opens `/_stcore/stream` with
its cookies, its Origin and, when it holds one, the `_streamlit_xsrf` token as the second
subprotocol (Streamlit reads the sign-in cookie only then), and sends `rerun_script` with the
page's query string and widget states. It follows `new_session` (the page script's hash),
`page_info_changed` (the page's new query string) and, as the frontend's `setInterval` does,
answers each `auto_rerun` (interval, fragment id) with a fragment `rerun_script` at that
interval, whether or not a run is under way, until `stop_auto_rerun` or a full run starts
(`new_session` naming no fragment: the page's `cleanupAutoReruns`; the run's `auto_rerun`
sets the timer again).

A projector window's clicker asks the briefing-version route every AUDIENCE_POLL_SECONDS with
its key in a header and the page's cookies (one keep-alive connection, as a browser keeps),
and asks for a full run when the answer moved: `follow_briefing` does the same.

Not done: rendering, components' own messages (a map's report is replayed by the caller from a
real page's widget states), the message cache (no `cached_message_hashes`: every message is sent
whole), heartbeats.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import time

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

from layers.routes import BRIEFING_HEADER, BRIEFING_URL

EARLY = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")
FRAGMENT_DONE = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_FRAGMENT_RUN_SUCCESSFULLY")


class Frontend:
    """One browser tab's Streamlit frontend, over the websocket (see the module's docstring)."""

    def __init__(self, front: str, query: str, cookies: dict | None = None, widgets=None):
        self.front, self.query = front, query
        self.cookies = dict(cookies or {})
        self.widgets = widgets  # WidgetStates sent with every run (None: none)
        self.page_hash = ""
        self.timers: dict[str, list[float]] = {}  # fragment id -> [interval, next due]
        self.ws, self._exit = None, contextlib.ExitStack()
        self.asked = self.fragments_done = 0  # fragment reruns sent, and finished
        self.follow: list | None = None  # [key, every, next due, version known]
        self.version_asks = self.wakes = 0
        self._http: http.client.HTTPConnection | None = None

    def open(self) -> None:
        port = int(self.front.rsplit(":", 1)[1])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", "/", headers={"Cookie": self._cookie_header()})
        answer = conn.getresponse()
        answer.read()
        conn.close()
        for header, value in answer.getheaders():  # nginx's affinity cookie
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        xsrf = self.cookies.get("_streamlit_xsrf")
        self.ws = self._exit.enter_context(connect(
            self.front.replace("http://", "ws://") + "/_stcore/stream",
            subprotocols=["streamlit", xsrf] if xsrf else ["streamlit"],
            additional_headers={"Cookie": self._cookie_header(), "Origin": self.front},
            max_size=None, open_timeout=120,
        ))  # fmt: skip

    def follow_briefing(self, key: str, every: float) -> None:
        """Ask the briefing's version every `every` s, as the clicker does; a move wakes a run."""
        self.follow = [key, every, time.monotonic(), None]

    def _ask_version(self) -> None:
        key, every, due, known = self.follow
        self.follow[2] = max(due + every, time.monotonic())
        if self._http is None:
            port = int(self.front.rsplit(":", 1)[1])
            self._http = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Cookie": self._cookie_header(), BRIEFING_HEADER: key}
        try:
            self._http.request("GET", BRIEFING_URL, headers=headers)
            answer = self._http.getresponse()
            body = answer.read()
        except (OSError, http.client.HTTPException):
            self._http.close()
            self._http = None
            return
        self.version_asks += 1
        version = json.loads(body).get("version") if answer.status == 200 else None
        if version is None:
            return
        if known is not None and version != known:
            self.wakes += 1
            self.run()
        self.follow[3] = version

    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def run(self, fragment: str = "", widgets=None) -> None:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string, state.page_script_hash = self.query, self.page_hash
        if widgets or self.widgets:
            state.widget_states.CopyFrom(widgets or self.widgets)
        if fragment:
            state.fragment_id, state.is_auto_rerun = fragment, True
        self.ws.send(msg.SerializeToString())

    def step(self, timeout: float) -> tuple[bytes, ForwardMsg] | None:
        """Fire the fragment timers that are due, then take one message (None: none came)."""
        now = time.monotonic()
        for fragment, timer in list(self.timers.items()):
            if timer[1] <= now:
                timer[1] += timer[0]
                self.run(fragment)
                self.asked += 1
        if self.follow is not None and self.follow[2] <= now:
            self._ask_version()
        due = min((t[1] for t in self.timers.values()), default=now + timeout)
        if self.follow is not None:
            due = min(due, self.follow[2])
        try:
            raw = self.ws.recv(timeout=max(0.0, min(timeout, due - now)))
        except TimeoutError:
            return None
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "script_finished" and msg.script_finished == FRAGMENT_DONE:
            self.fragments_done += 1
        if kind == "new_session":
            self.page_hash = msg.new_session.page_script_hash
            if not msg.metadata.run.fragment_ids:  # a full run: its auto_rerun says anew
                self.timers.clear()
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "auto_rerun" and msg.auto_rerun.fragment_id:
            every = msg.auto_rerun.interval
            if self.timers.get(msg.auto_rerun.fragment_id, [None])[0] != every:
                self.timers[msg.auto_rerun.fragment_id] = [every, time.monotonic() + every]
        elif kind == "stop_auto_rerun":
            for fragment in msg.stop_auto_rerun.fragment_ids:
                self.timers.pop(fragment, None)
        return raw, msg

    def until_finished(self, timeout: float) -> tuple[bool, list[bytes]]:
        """Messages until the run's last script_finished (not one ended early for a rerun)."""
        deadline, seen = time.monotonic() + timeout, []
        while time.monotonic() < deadline:
            got = self.step(deadline - time.monotonic())
            if got is None:
                continue
            seen.append(got[0])
            if got[1].WhichOneof("type") == "script_finished" and got[1].script_finished != EARLY:
                return True, seen
        return False, seen

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
        self._exit.close()
