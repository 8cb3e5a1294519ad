"""Serving a team, the sessions: issue 20's audience and viewer targets on the real team stack.

    python bench/team_sessions.py [--audience 50] [--presses 12] [--viewers 40] [--seconds 60]

Starts the stack `briefmap team up` starts (layers/team/stack.py: PostgreSQL, the LemonLDAP::NG
sign-in provider, 2 `briefmap serve` app servers, nginx) on loopback in a temporary folder, and
stops it at the end, on Ctrl-C too. Everything goes through nginx (the team's one address).

Clients are protocol-level (option (b)): each emulates a page's Streamlit frontend over
Streamlit's websocket (bench/streamlit_frontend.py: nginx's affinity cookie kept per client, so
sessions spread over both servers; the version asks of a projector window's clicker, and the
fragment reruns the page's `auto_rerun` timers send).
One real Chromium page follows too, its figure printed beside theirs (is the emulation fair?).

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

Known limits: a client's reruns before its first pan draw the page without the sidebar's
widgets (the replayed map state takes only once it has changed; the counts are printed);
fragment reruns are counted as asked and finished, not traced; the Chromium page is given
WAIT_MS to load, and when the servers are saturated it does not, which is said.

Sessions per server come from nginx's access log (`upstream=`), CPU per part from /proc (the
client side = this process and its children: the Playwright driver and Chromium).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetStates  # noqa: E402

from bench.streamlit_frontend import Frontend  # noqa: E402
from bench.team_meter import Meter, Streams, figure  # noqa: E402
from dashboard.briefing import AUDIENCE_POLL_SECONDS  # noqa: E402
from layers.boundary import load_geodata  # noqa: E402
from layers.paths import PROJECT_ROOT  # noqa: E402
from layers.render.escape import esc  # noqa: E402
from layers.team.briefings import audience_key_for, open_briefings  # noqa: E402
from layers.team.cluster import Cluster, free_port  # noqa: E402
from layers.team.stack import DATABASES, Stack, down  # noqa: E402
from tests.ui.harness import WAIT_MS, Guard, launch, open_map  # noqa: E402

WALK = "iraq-syria-2025"
TARGET_AUDIENCE_S, TARGET_VIEWER_S = 1.0, 2.0
JOIN_TIMEOUT_S = 300.0  # for every session's first title, all started at once
FOLLOW_TIMEOUT_S = 20.0  # a client that has not seen a press by then counts as missed
OBSERVER = """() => { window.__seen = {}; new MutationObserver(() => {
  const e = document.getElementById('bm-aud-title'); const t = e && e.textContent;
  if (t && !(t in window.__seen)) window.__seen[t] = Date.now(); }).observe(document.body,
  {subtree: true, childList: true, characterData: true}); }"""


# -- 1. the audience ------------------------------------------------------------------------
def follower(front: Frontend, press: list, seen: dict, stop: threading.Event, failed: list):
    """An audience session: note when the title `press` = [number, marker] names first came.
    It asks the briefing's version as the page's clicker does, and reruns when it moved."""
    try:
        seen["opened"] = time.perf_counter()
        front.open()
        front.follow_briefing(parse_qs(front.query)["briefing"][0], AUDIENCE_POLL_SECONDS)
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


def start_presenting(team: Team):
    """presenter1's briefing in the stack's briefings database, as "Start presenting" makes
    it: the store, the presenter's key, the walkthrough."""
    geodata = load_geodata(PROJECT_ROOT / "geodata")
    pg = next(p for p in team.state.parts if p.name == "postgresql")
    folder = team.stack.folder / "postgresql"
    store = open_briefings(Cluster(folder, pg.port).dsn(DATABASES[1]), geodata)
    walk = geodata.walkthroughs[WALK]
    return store, store.create(walk, 0, owner="presenter1").presenter_key, walk


def _audience_page(browser, url: str):
    """One real Chromium page on the audience link, watching its title; None if it failed to
    load (said in the output)."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    context.route("**/*", Guard())
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    try:
        open_map(page, url)
        page.evaluate(OBSERVER)
    except Exception as exc:  # noqa: BLE001 - the protocol figures still stand
        print(f"  the Chromium page did not load: {type(exc).__name__}: {str(exc)[:160]}")
        page = None
    return context, page


def _presses(store, key, walk, seens, press, page, count) -> tuple[list, list, int]:
    """Press next (first, after the last scene) `count` times; per press, wait until every
    joined session saw the new title (or FOLLOW_TIMEOUT_S), then let the presenter speak."""
    titles = [scene.title_en for scene in walk.scenes]
    lags, blags, missed, index, joined = [], [], 0, 0, [s for s in seens if -1 in s]
    for number in range(count):
        action = "next" if index < len(titles) - 1 else "first"
        index = index + 1 if action == "next" else 0
        if page is not None:
            page.evaluate("() => { window.__seen = {}; }")
        press[:] = [number, _marker(titles[index])]
        wall0, t0 = time.time(), time.perf_counter()
        store.act(key, action)
        _wait_all(joined, number, FOLLOW_TIMEOUT_S)
        blags.append(_browser_lag(page, titles[index], wall0) if page else None)
        lags += [s[number] - t0 for s in joined if number in s]
        missed += sum(number not in s for s in joined)
        time.sleep(1.0)  # the presenter speaks between presses
    return lags, blags, missed


def _marker(title: str) -> bytes:
    return f'id="bm-aud-title">{esc(title)}<'.encode()


def audience_phase(team: Team, n: int, presses: int) -> list[str]:
    store, key, walk = start_presenting(team)
    link = f"{team.state.url}/?mode=audience&walkthrough={WALK}&briefing={audience_key_for(key)}"
    titles = [scene.title_en for scene in walk.scenes]
    assert len(set(titles)) == len(titles), "scene titles must differ to tell scenes apart"
    press, stop, failed = [-1, _marker(titles[0])], threading.Event(), []
    seens: list[dict] = [{} for _ in range(n)]
    fronts = [Frontend(team.state.url, link.split("?", 1)[1]) for _ in range(n)]
    streams, meter = team.streams(), Meter(team.parts)
    threads = [threading.Thread(target=follower, args=(f, press, s, stop, failed), daemon=True)
               for f, s in zip(fronts, seens, strict=True)]  # fmt: skip
    for thread in threads:
        thread.start()
    _wait_all(seens, -1, JOIN_TIMEOUT_S)
    joins = [s[-1] - s["opened"] for s in seens if -1 in s]
    context, page = _audience_page(team.browser, link)
    before, t0 = _fragments(fronts), time.monotonic()
    lags, blags, missed = _presses(store, key, walk, seens, press, page, presses)
    asked, done, asks, wakes = (b - a for a, b in zip(before, _fragments(fronts), strict=True))
    wall, usage = time.monotonic() - t0, meter.report()
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    context.close()
    return [
        f"audience: {n} protocol sessions on the audience link, {presses} presses (next, first)",
        streams.since_mark() + " (with the Chromium page's)",
        figure("join (load -> first title)", joins, None, n - len(joins)),
        f"  while pressing: version asks (every {AUDIENCE_POLL_SECONDS} s per window) "
        f"{asks / wall:.1f}/s, wakes {wakes}, fragment reruns asked {asked / wall:.1f}/s, "
        f"finished {done / wall:.1f}/s",
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


def _fragments(fronts: list[Frontend]) -> tuple[int, int, int, int]:
    return (
        sum(f.asked for f in fronts),
        sum(f.fragments_done for f in fronts),
        sum(f.version_asks for f in fronts),
        sum(f.wakes for f in fronts),
    )


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
            think_end = time.monotonic() + random.uniform(2.0, 5.0)  # noqa: S311 - a think time
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
        names = ", ".join(p.name for p in state.parts)
        print(f"team stack at {state.url}: {names}; clients: protocol-level (Streamlit's "
              "websocket, option b) + 1 Chromium page")  # fmt: skip
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
