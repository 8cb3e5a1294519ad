"""The events layer in a real browser, beside Streamlit's own `st.pydeck_chart` with an
H3HexagonLayer on the same events in the same run (the peer; its deck.gl is bundled in
Streamlit's frontend, so it runs offline; it draws no basemap, which only favours it).

For each page: the longest frame (gap between animation frames, in the page and in the map's
frame) in the 3 s after a pan (mouse drag) and a zoom (wheel), and for briefmap the JS heap
(after a forced GC) at the first map, once the page has settled (the first map's report reruns
the page, which then draws the sidebar's rest and the timeline: about 15 MB more), and after 20
filter changes and 10 gestures (which start on the settled page).

    python bench/events.py --browser [--sizes 100k]      (run from the repo, venv active)

Targets: longest frame after a pan/zoom <= the peer's; heap within 10 MB of the first map.
"""

from __future__ import annotations

import re
import statistics
import sys
import textwrap
import time
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from layers.events import synth
from layers.events.store import Source, open_store
from tests.ui.harness import MAP_FRAME, Guard, free_port, launch, run_server

ROOT = Path(__file__).resolve().parent.parent
WINDOW_S = 3.0  # how long after a gesture its frames are watched
PEER_RES = 5  # the H3 resolution the peer aggregates at (ours picks by zoom: 4 at zoom 6)

PEER = textwrap.dedent(
    """
    import sys, urllib.parse
    import numpy as np, pandas as pd, pydeck as pdk, streamlit as st
    sys.path.insert(0, {root!r})
    from layers.events.grid import parents
    from layers.events.index import load_index
    from layers.events.store import open_store

    @st.cache_data
    def cells(store, res):
        index = load_index(open_store(store))
        c, n = np.unique(parents(index.h3, res), return_counts=True)
        alpha = np.minimum(40 + n, 220).astype(int)
        return pd.DataFrame({{"hex": [format(int(x), "x") for x in c], "n": n.astype(int),
                              "a": alpha}})

    st.set_page_config(layout="wide")  # a map about as wide as briefmap's
    df = cells({store!r}, {res})
    # Streamlit falls back to a CDN style without one: a blank local style keeps it offline
    STYLE = "data:application/json," + urllib.parse.quote(
        '{{"version": 8, "sources": {{}}, "layers": [{{"id": "land", "type": "background", '
        '"paint": {{"background-color": "#f4f1ea"}}}}]}}')
    layer = pdk.Layer("H3HexagonLayer", df, get_hexagon="hex", pickable=True, extruded=False,
                      get_fill_color="[240, 120, 60, a]", stroked=False)
    view = pdk.ViewState(latitude=34.0, longitude=41.5, zoom=6)
    st.pydeck_chart(pdk.Deck([layer], initial_view_state=view, map_style=STYLE,
                             tooltip={{"text": "{{n}}"}}), height=700)
    """
)

RECORD = """() => { window.__gaps = []; var last = performance.now();
  function f(t) { window.__gaps.push(t - last); last = t; requestAnimationFrame(f); }
  requestAnimationFrame(f); return 1; }"""


def make_store(tmp: Path, n: int) -> Path:
    root = tmp / f"browser-store-{n}"
    if not root.exists():
        table = synth.table(n, seed=7)
        open_store(root).apply(table, None, Source("synthetic.csv", "0" * 64, n, "acled"))
    return root


@contextmanager
def peer_server(tmp: Path, store: Path):
    script = tmp / "peer.py"
    port = free_port()
    script.write_text(PEER.format(root=str(ROOT), store=str(store), res=PEER_RES, port=port))
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    import subprocess

    log = (tmp / "peer.log").open("w")
    proc = subprocess.Popen(
        cmd,
        cwd=tmp,
        stdout=log,
        stderr=subprocess.STDOUT,  # noqa: S603
        start_new_session=True,
    )
    try:
        from tests.ui.harness import _stop, _wait_healthy

        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, proc, tmp / "peer.log")
        yield url
    finally:
        _stop(proc)


def _frames(page, frame):
    """The documents whose animation frames count: the page, and the map's frame if any."""
    docs = [page.main_frame]
    if frame is not None:
        docs.append(frame)
    return docs


def _gesture(page, box, kind: str, k: int) -> None:
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    if kind == "pan":
        sign = 1 if k % 2 == 0 else -1
        page.mouse.move(cx, cy)
        page.mouse.down()
        for s in range(1, 11):
            page.mouse.move(cx + sign * 18 * s, cy + sign * 9 * s)
        page.mouse.up()
    else:
        page.mouse.move(cx, cy)
        page.mouse.wheel(0, -240 if k % 2 == 0 else 240)


def longest_frames(page, docs, box, gestures: int) -> list[float]:
    out = []
    for k in range(gestures):
        for d in docs:
            d.evaluate(RECORD)
        _gesture(page, box, "pan" if k % 2 == 0 else "zoom", k // 2)
        time.sleep(WINDOW_S)  # a measurement window, not a wait for a condition
        out.append(max(max(d.evaluate("() => window.__gaps") or [0]) for d in docs))
    return out


def heap_mb(cdp) -> float:
    cdp.send("HeapProfiler.collectGarbage")
    return cdp.send("Runtime.getHeapUsage")["usedSize"] / 1e6


def _settled(page, polls: int = 3, timeout: float = 30.0) -> None:
    """Wait until the page's elements stop changing: no stale element and the same number of
    elements for `polls` polls in a row. At the first map only the elements above it are
    drawn; the rerun its first report starts draws the sidebar's rest and the timeline."""
    count = (
        "() => document.querySelectorAll('[data-stale=true]').length ? -1 :"
        " document.querySelectorAll('[data-testid=stElementContainer]').length"
    )
    deadline, last, same = time.monotonic() + timeout, None, 0
    while same < polls and time.monotonic() < deadline:
        now = page.evaluate(count)
        same = same + 1 if now == last and now >= 0 else 0
        last = now
        time.sleep(0.5)  # a poll interval, not a measurement


def _our_frame(page):
    page.locator(MAP_FRAME).wait_for(timeout=90_000)
    for f in page.frames:
        if f.url and "streamlit_folium" in f.url:
            return f
    return page.frames[-1]


def _toggle_type(page, on: bool) -> None:
    box = page.locator('[data-testid="stMultiSelect"]').filter(has_text="types")
    if on:
        box.click()
        page.keyboard.type("Battles")
        page.get_by_role("option", name=re.compile("^Battles")).first.click()
        page.keyboard.press("Escape")
    else:
        box.get_by_role("button", name=re.compile("Remove|Delete|clear", re.I)).first.click()


def ours(browser, url: str, gestures: int, changes: int) -> dict:
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    guard = Guard()
    page.route("**/*", guard)
    page.goto(url)
    frame = _our_frame(page)
    frame.wait_for_selector(".leaflet-container[data-events-drawn]", timeout=120_000)
    cdp = page.context.new_cdp_session(page)
    first = heap_mb(cdp)
    _settled(page)
    settled = heap_mb(cdp)
    box = page.locator(MAP_FRAME).bounding_box()
    frames = longest_frames(page, _frames(page, frame), box, gestures)
    done = 0
    stamp = "() => briefmapEvents.current ? L.stamp(briefmapEvents.current.layer) : 0"
    for k in range(changes):
        before = frame.evaluate(stamp)
        _toggle_type(page, k % 2 == 0)
        try:  # a new layer for the new filter
            frame.wait_for_function(f"b => ({stamp[6:]}) !== b", arg=before, timeout=60_000)
            done += 1
        except PlaywrightTimeout:
            print(f"  (filter change {k + 1} drew no new layer within 60 s)", flush=True)
    after = heap_mb(cdp)
    held = frame.evaluate("() => [briefmapEvents.held || 0, briefmapEvents.sent || 0]")
    # the same gestures with the events layer taken off: what the basemap and the report
    # shapes cost on their own
    frame.evaluate("() => window.map.removeLayer(briefmapEvents.current.group)")
    bare = longest_frames(page, _frames(page, frame), box, gestures)
    page.close()
    return {
        "bare": bare,
        "changes": done,
        "frames": frames,
        "heap_first": first,
        "heap_settled": settled,
        "heap_after": after,
        "held": held,
        "offenders": guard.offenders,
    }


def peer(browser, url: str, gestures: int) -> dict:
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    guard = Guard()
    page.route("**/*", guard)
    page.goto(url)
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    canvas.wait_for(timeout=120_000)
    time.sleep(2.0)  # let deck.gl finish its first draw (a measurement, not a test)
    box = canvas.bounding_box()
    frames = longest_frames(page, _frames(page, None), box, gestures)
    page.close()
    return {"frames": frames, "offenders": guard.offenders}


def run(tmp: Path, n: int, gestures: int = 10, changes: int = 20) -> list[str]:
    store = make_store(tmp, n)
    with sync_playwright() as pw:
        browser = launch(pw)
        with run_server(tmp, "--store", str(store)) as server:
            o = ours(browser, server.url, gestures, changes)
        with peer_server(tmp, store) as url:
            p = peer(browser, url, gestures)
        browser.close()
    ours_max, peer_max = max(o["frames"]), max(p["frames"])
    grown = o["heap_after"] - o["heap_first"]
    return [
        f"-- browser, {n:,} events ({gestures} gestures: drag pans and wheel zooms) --",
        f"briefmap      longest frame after a gesture: median "
        f"{statistics.median(o['frames']):6.0f} ms  max {ours_max:6.0f} ms  "
        f"(reports held {o['held'][0]}, sent {o['held'][1]})",
        f"  without it  longest frame after a gesture: median "
        f"{statistics.median(o['bare']):6.0f} ms  max {max(o['bare']):6.0f} ms  "
        "(basemap and report shapes alone)",
        f"pydeck H3     longest frame after a gesture: median "
        f"{statistics.median(p['frames']):6.0f} ms  max {peer_max:6.0f} ms",
        f"heap          first map {o['heap_first']:.1f} MB, after {gestures} gestures and "
        f"{o['changes']}/{changes} filter changes {o['heap_after']:.1f} MB ({grown:+.1f} MB)",
        f"  the page settled (its first rerun drew the sidebar and the timeline) at "
        f"{o['heap_settled']:.1f} MB: after is {o['heap_after'] - o['heap_settled']:+.1f} MB of it",
        f"  [{'met' if ours_max <= peer_max else 'MISSED'}] longest frame <= the peer's",
        f"  [{'met' if grown <= 10 else 'MISSED'}] heap within 10 MB of the first map",
        f"  requests off the machine: {len(o['offenders']) + len(p['offenders'])}",
    ]
