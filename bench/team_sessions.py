"""Serving a team, the sessions: issue 20's audience and viewer targets on the real team stack.

    python bench/team_sessions.py [--audience 50] [--presses 12] [--viewers 40] [--seconds 60]

Starts the stack `briefmap team up` starts (layers/team/stack.py: PostgreSQL, the LemonLDAP::NG
sign-in provider, 2 `briefmap serve` app servers, nginx) on loopback in a temporary folder, and
stops it at the end, on Ctrl-C too. Everything goes through nginx (the team's one address).

Clients are protocol-level (option (b) of the brief): each is a Streamlit frontend emulated
over Streamlit's own websocket (`Frontend` below), not a browser. Like the page it first loads
`/` (where nginx sets its `briefmap_server` affinity cookie, kept per client, so sessions spread
over both servers), then opens `/_stcore/stream` with that cookie, sends `rerun_script` with the
page's query string, follows `page_info_changed` (the page's new query string) and, as the
frontend's `setInterval` does, answers each `auto_rerun` (interval, fragment id) by sending a
fragment `rerun_script` at that interval until `stop_auto_rerun`. One real Chromium page follows
too, and its figure is printed beside theirs (the check that the emulation is faithful).

1. audience: `--audience` sessions on the audience link (no sign-in, a capability link). The
   presenter's presses go through the briefings store as the presenter's window would
   (`DatabaseBriefings.act`); latency = from just before the press to the first delta holding
   the new scene's title (`#bm-aud-title`) at each client; in the browser, to the DOM change
   (a MutationObserver's clock). Target p95 <= 1 s.
2. viewers: one real sign-in as viewer1 through the portal's form (Playwright) gives the
   `_streamlit_user` and `_streamlit_xsrf` cookies, sent by `--viewers` clients in the
   handshake (with the XSRF token as the page sends it, and the front's Origin). The widget
   states the real page sent after its map reported are replayed, so each run draws the full
   page (sidebar widgets too). Each client reruns in a loop with a think time of 2-5 s
   (uniform), every second rerun a pan (the map widget's centre and bounds moved by 0.5 deg);
   latency = rerun_script -> the run's final script_finished. Target p95 <= 2 s.

Sessions per server come from nginx's access log (`upstream=`), CPU per part from /proc (the
client side = this process and its children: the Playwright driver and Chromium).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import resource
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetStates  # noqa: E402
from websockets.sync.client import connect  # noqa: E402

from layers.boundary import load_geodata  # noqa: E402
from layers.paths import PROJECT_ROOT  # noqa: E402
from layers.render.escape import esc  # noqa: E402
from layers.team.briefings import audience_key_for, open_briefings  # noqa: E402
from layers.team.cluster import Cluster, free_port  # noqa: E402
from layers.team.stack import DATABASES, Stack, down  # noqa: E402
from layers.team.stackstate import descendants  # noqa: E402
from tests.ui.harness import WAIT_MS, Guard, launch, open_map  # noqa: E402

WALK = "iraq-syria-2025"
TARGET_AUDIENCE_S, TARGET_VIEWER_S = 1.0, 2.0
FOLLOW_TIMEOUT_S = 20.0  # a client that has not seen a press by then counts as missed
EARLY = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")
OBSERVER = """() => { window.__seen = {}; new MutationObserver(() => {
  const e = document.getElementById('bm-aud-title'); const t = e && e.textContent;
  if (t && !(t in window.__seen)) window.__seen[t] = Date.now(); }).observe(document.body,
  {subtree: true, childList: true, characterData: true}); }"""


class Frontend:
    """One browser tab's Streamlit frontend, over the websocket (see the module's docstring)."""

    def __init__(self, front: str, query: str, cookies: dict | None = None, widgets=None):
        self.front, self.query = front, query
        self.cookies = dict(cookies or {})
        self.widgets = widgets  # WidgetStates sent with every run (None: none)
        self.page_hash = ""
        self.timers: dict[str, list[float]] = {}  # fragment id -> [interval, next due]
        self.ws, self._exit = None, contextlib.ExitStack()

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
        due = min((t[1] for t in self.timers.values()), default=now + timeout)
        try:
            raw = self.ws.recv(timeout=max(0.0, min(timeout, due - now)))
        except TimeoutError:
            return None
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.page_hash = msg.new_session.page_script_hash
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
        self._exit.close()


# -- figures ----------------------------------------------------------------------------------
def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def figure(name: str, values: list[float], target: float | None = None, missed: int = 0) -> str:
    if not values:
        return f"  {name:<34} no value (missed {missed})"
    line = (f"  {name:<34} p50 {statistics.median(values):6.3f} s  p95 {_pct(values, .95):6.3f} s"
            f"  max {max(values):6.3f} s  n={len(values)}  missed={missed}")  # fmt: skip
    if target is not None:
        met = "met" if _pct(values, 0.95) <= target else "NOT met"
        line += f"  (target p95 <= {target:.1f} s: {met})"
    return line


def _ticks(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def cpu(parts: dict[str, int]) -> dict[str, float]:
    """CPU seconds used so far by each named process and everything it started; "client" is
    this process and its children but the stack's parts (started from here too)."""
    trees = {name: {pid, *descendants(pid)} for name, pid in parts.items()}
    for name, tree in trees.items():
        if name != "client":
            trees["client"] -= tree
    return {name: sum(_ticks(p) for p in tree) for name, tree in trees.items()}


class Meter:
    """Wall time, load average and CPU per part over one phase."""

    def __init__(self, parts: dict[str, int]):
        self.parts, self.t0, self.cpu0 = parts, time.monotonic(), cpu(parts)
        self.load0 = os.getloadavg()

    def report(self) -> str:
        wall = time.monotonic() - self.t0
        used = cpu(self.parts)
        share = "  ".join(
            f"{n} {used[n] - self.cpu0[n]:.0f} s ({(used[n] - self.cpu0[n]) / wall:.0%})"
            for n in self.parts
        )
        load = " -> ".join("/".join(f"{x:.1f}" for x in la) for la in (self.load0, os.getloadavg()))
        return (f"  over {wall:.0f} s: CPU (share of one core) {share}\n"
                f"  load average (1/5/15 min) {load}, on {os.cpu_count()} cores")  # fmt: skip


class Streams:
    """Websocket sessions per app server, from nginx's access log (a line when one closes)."""

    def __init__(self, log: Path, ports: dict[int, str]):
        self.log, self.ports, self.offset = log, ports, log.stat().st_size

    def since_mark(self) -> str:
        time.sleep(1.0)  # nginx writes the line once the closed connection is torn down
        counts: Counter = Counter()
        with self.log.open("rb") as handle:
            handle.seek(self.offset)
            for line in handle.read().decode(errors="replace").splitlines():
                if "/_stcore/stream" in line and " 101 " in line and "upstream=" in line:
                    last = line.rsplit("upstream=", 1)[1].split(",")[-1].strip()
                    counts[self.ports.get(int(last.rsplit(":", 1)[1]), last)] += 1
        return f"  sessions per server (nginx's log): {dict(sorted(counts.items()))}"


# -- 1. the audience ------------------------------------------------------------------------
def follower(front: Frontend, press: list, seen: dict, stop: threading.Event, failed: list):
    """An audience session: note when the title `press` = [number, marker] names first came."""
    try:
        front.open()
        front.run()
        while not stop.is_set():
            got = front.step(0.5)
            if got is None or got[1].WhichOneof("type") != "delta":
                continue
            number, marker = press
            if number not in seen and marker in got[0]:
                seen[number] = time.perf_counter()
    except Exception as exc:  # noqa: BLE001 - counted and printed: a bench reports, not raises
        failed.append(f"{type(exc).__name__}: {str(exc)[:160]}")
    finally:
        front.close()


def _wait_all(seens: list[dict], number: int, timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline and not all(number in s for s in seens):
        time.sleep(0.02)  # a bench polling its own clients' notes


def _browser_lag(page, title: str, wall0: float) -> float | None:
    try:
        page.wait_for_function("t => t in window.__seen", arg=title, timeout=FOLLOW_TIMEOUT_S * 1e3)
    except Exception:  # noqa: BLE001 - a missed press, counted
        return None
    return page.evaluate("t => window.__seen[t]", title) / 1000 - wall0


@dataclass
class Team:
    """The running stack, as the phases use it."""

    stack: Stack
    state: object  # stackstate.State
    browser: object  # Playwright's Chromium
    parts: dict  # name -> pid, for the CPU figures ("client": this process)

    def streams(self) -> Streams:
        ports = {p.port: p.name for p in self.state.parts if p.name.startswith("app-")}
        return Streams(self.stack.folder / "nginx" / "logs" / "access.log", ports)


def audience_phase(team: Team, n: int, presses: int) -> list[str]:
    state, browser = team.state, team.browser
    geodata = load_geodata(PROJECT_ROOT / "geodata")
    pg = next(p for p in state.parts if p.name == "postgresql")
    folder = team.stack.folder / "postgresql"
    store = open_briefings(Cluster(folder, pg.port).dsn(DATABASES[1]), geodata)
    walk = geodata.walkthroughs[WALK]
    key = store.create(walk, 0, owner="presenter1").presenter_key  # "Start presenting"
    query = f"mode=audience&walkthrough={WALK}&briefing={audience_key_for(key)}"
    titles = [scene.title_en for scene in walk.scenes]
    assert len(set(titles)) == len(titles), "scene titles must differ to tell scenes apart"
    markers = [f'id="bm-aud-title">{esc(t)}<'.encode() for t in titles]
    press, stop, failed = [-1, markers[0]], threading.Event(), []
    seens: list[dict] = [{} for _ in range(n)]
    streams = team.streams()
    threads = [threading.Thread(target=follower, daemon=True,
                                args=(Frontend(state.url, query), press, s, stop, failed))
               for s in seens]  # fmt: skip
    for thread in threads:
        thread.start()
    _wait_all(seens, -1, 300)
    joined = sum(-1 in s for s in seens)
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    context.route("**/*", Guard())
    page = context.new_page()
    open_map(page, f"{state.url}/?{query}")
    page.evaluate(OBSERVER)
    meter, lags, blags, missed, index = Meter(team.parts), [], [], 0, 0
    for number in range(presses):
        action = "next" if index < len(titles) - 1 else "first"
        index = index + 1 if action == "next" else 0
        page.evaluate("() => { window.__seen = {}; }")
        press[:] = [number, markers[index]]
        wall0, t0 = time.time(), time.perf_counter()
        store.act(key, action)
        _wait_all([s for s in seens if -1 in s], number, FOLLOW_TIMEOUT_S)
        blags.append(_browser_lag(page, titles[index], wall0))
        lags += [s[number] - t0 for s in seens if number in s]
        missed += sum(number not in s for s in seens if -1 in s)
        time.sleep(1.0)  # the presenter speaks between presses
    usage = meter.report()
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    context.close()
    return [
        f"audience: {n} protocol sessions on the audience link ({joined} joined), "
        f"{presses} presses (next ... first)",
        streams.since_mark() + " (with the Chromium page's)",
        figure("key press -> audience (protocol)", lags, TARGET_AUDIENCE_S, missed),
        figure(
            "key press -> audience (Chromium)",
            [b for b in blags if b is not None],
            TARGET_AUDIENCE_S,
            blags.count(None),
        ),  # fmt: skip
        usage,
        f"  client failures: {len(failed)}" + (f" (first: {failed[0]})" if failed else ""),
    ]


# -- 2. the viewers ---------------------------------------------------------------------------
def viewer_identity(state, stack, browser) -> tuple[dict, WidgetStates]:
    """Sign in once as viewer1 through the portal's form; the cookies the page holds, and the
    widget states its last full run request carried (the map's report in them)."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    context.route("**/*", Guard())
    page, sent = context.new_page(), []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    user = stack.users["viewer1"]
    page.goto(state.url)
    page.locator(".st-key-bm-sign-in button").click(timeout=WAIT_MS)
    page.locator("#userfield").fill(user.login, timeout=WAIT_MS)
    page.locator("#passwordfield").fill(user.password)
    page.locator("#lform button[type=submit]").click()
    page.get_by_text(f"Signed in as {user.login}").wait_for(timeout=WAIT_MS)
    open_map(page, state.url)
    widgets = WidgetStates()
    for payload in sent:
        msg = BackMsg()
        if isinstance(payload, bytes) and msg.ParseFromString(payload) is not None:
            if msg.WhichOneof("type") == "rerun_script" and not msg.rerun_script.fragment_id:
                widgets = msg.rerun_script.widget_states
    cookies = {c["name"]: c["value"] for c in context.cookies(state.url)}
    context.close()
    return {k: v for k, v in cookies.items() if k.startswith("_streamlit")}, widgets


def panned(widgets: WidgetStates, degrees: float = 0.5) -> WidgetStates:
    """The same widget states with the map moved north (what a pan reports)."""
    moved = WidgetStates()
    moved.CopyFrom(widgets)
    for widget in moved.widgets:
        if widget.WhichOneof("value") == "json_value" and '"center"' in widget.json_value:
            value = json.loads(widget.json_value)
            value["center"]["lat"] += degrees
            for corner in (value.get("bounds") or {}).values():
                corner["lat"] += degrees
            widget.json_value = json.dumps(value)
    return moved


def viewer(front: Frontend, pan: WidgetStates, end: float, out: dict, failed: list) -> None:
    try:
        front.open()
        for _ in range(2):  # the page's load, then the run its map's first report asks for
            front.run()
            done, seen = front.until_finished(300)
        out["signed in"] += int(any(b"viewer1" in raw for raw in seen))
        for number in range(1_000_000):
            think_end = time.monotonic() + random.uniform(2.0, 5.0)
            while time.monotonic() < think_end:
                front.step(think_end - time.monotonic())
            if time.monotonic() > end:
                return
            t0 = time.perf_counter()
            front.run(widgets=pan if number % 2 else None)
            done, seen = front.until_finished(120)
            kind = "pan" if number % 2 else "rerun"
            out[kind].append(time.perf_counter() - t0) if done else failed.append("timeout")
            out["painted"][kind] += int(done and not any(b"bm-controls-pending" in r for r in seen))
    except Exception as exc:  # noqa: BLE001 - counted and printed
        failed.append(f"{type(exc).__name__}: {str(exc)[:160]}")
    finally:
        front.close()


def viewer_phase(team: Team, n: int, seconds: float) -> list[str]:
    cookies, widgets = viewer_identity(team.state, team.stack, team.browser)
    out, failed = {"rerun": [], "pan": [], "signed in": 0, "painted": Counter()}, []
    streams, meter, end = team.streams(), Meter(team.parts), time.monotonic() + seconds
    threads = [threading.Thread(target=viewer, daemon=True,
                                args=(Frontend(team.state.url, "", cookies, widgets),
                                      panned(widgets), end, out, failed))
               for _ in range(n)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    both = out["rerun"] + out["pan"]
    return [
        f"viewers: {n} protocol sessions signed in as viewer1 ({out['signed in']} were), "
        f"{seconds:.0f} s, think time 2-5 s; whole page drawn (map reported) in "
        f"{out['painted']['rerun']}/{len(out['rerun'])} reruns, {out['painted']['pan']}/"
        f"{len(out['pan'])} pans ({len(widgets.widgets)} widget states replayed)",
        streams.since_mark(),
        figure("rerun (nothing changed)", out["rerun"]),
        figure("rerun after a pan (map widget)", out["pan"]),
        figure("viewer rerun, both", both, TARGET_VIEWER_S, len(failed)),
        meter.report(),
        f"  client failures: {len(failed)}" + (f" (first: {failed[0]})" if failed else ""),
    ]


# -- the stack --------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--audience", type=int, default=50)
    parser.add_argument("--presses", type=int, default=12)
    parser.add_argument("--viewers", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # the finally below stops the stack
    work = Path(tempfile.mkdtemp(dir="/tmp", prefix="briefmap-bench-sessions-"))
    work.chmod(0o711)  # PostgreSQL, the portal and nginx run as nobody under root
    stack = Stack(work / "stack", port=free_port(), servers=2)
    try:
        state = stack.up(say=print)
        parts = {"client": os.getpid(), **{p.name: p.pid for p in state.parts}}
        print(f"team stack at {state.url}: {', '.join(p.name for p in state.parts)}; "
              "clients: protocol-level (Streamlit's websocket, option b) + 1 Chromium page")  # fmt: skip
        with sync_playwright() as playwright:
            team = Team(stack, state, launch(playwright), parts)
            print("\n".join(audience_phase(team, args.audience, args.presses)), flush=True)
            print("\n".join(viewer_phase(team, args.viewers, args.seconds)), flush=True)
            team.browser.close()
        print(
            f"bench process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB peak"
        )
    finally:
        down(stack.folder)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
