"""How fast the audience follows the presenter (not a unit test: it prints figures).

A presenter window presses the clicker keys (→ and ←, alternating, both windows at rest
between presses) and two times are measured for each press, for an audience in the same
browser (BroadcastChannel, then the server) and in another browser (polling the server only):

- follow: until the audience window shows the new scene's title (target: p95 under 1.0 s);
- settled: until the audience's map stops changing, i.e. the last change the room could see
  (a canvas drawn or a map element changed while no held picture covers the map, or the held
  picture taken down), with nothing more for QUIET_S after it (targets: median ≤ 1.0 s, p95 ≤
  2.0 s). Read in the audience's map frame, on the same clock as the press.

The machine's load moves these figures a lot: it is printed beside them.

    python bench/briefing.py [--presses 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from layers.boundary import load_geodata  # noqa: E402
from tests.ui.harness import (  # noqa: E402
    MAP_FRAME,
    Guard,
    audience_link,
    launch,
    run_server,
    wait_until,
)

WALK = "iraq-syria-2025"
TARGET_S = 1.0
SETTLED_TARGETS = (1.0, 2.0)  # median, p95
QUIET_S = 1.5
OPEN_TIMEOUT_MS = 240_000

# In every frame: the wall-clock times (ms) of changes to a Leaflet map that the room could see.
CHANGES = """
(() => {
  const log = window.__bmChanges = [];
  const covered = () => !!document.querySelector('.bm-freeze');
  const seen = (node) => node && node.closest && node.closest('.leaflet-container') &&
    !node.closest('.bm-freeze');
  const P = CanvasRenderingContext2D.prototype;
  ['fillText', 'strokeText', 'drawImage', 'fill', 'stroke', 'putImageData', 'clearRect',
   'fillRect'].forEach((name) => {
    const orig = P[name];
    P[name] = function () {
      if (this.canvas.isConnected && seen(this.canvas) && !covered()) { log.push(Date.now()); }
      return orig.apply(this, arguments);
    };
  });
  const watch = new MutationObserver((records) => {
    const lifted = records.some((r) => [...r.removedNodes].some(
      (n) => n.classList && n.classList.contains('bm-freeze')));
    if (lifted || (!covered() && records.some((r) => seen(r.target)))) { log.push(Date.now()); }
  });
  // a held picture taken down is a change (a prototype wrapper outlives a document written
  // anew into the frame, which drops observers and animation frames)
  const removeChild = Node.prototype.removeChild;
  Node.prototype.removeChild = function (child) {
    if (child && child.classList && child.classList.contains('bm-freeze')) {
      log.push(Date.now());
    }
    return removeChild.apply(this, arguments);
  };
  let observed = null, wasCovered = false;
  const tick = () => {
    if (document !== observed) {
      observed = document;
      watch.observe(document, { subtree: true, childList: true, attributes: true,
        attributeFilter: ['style', 'class'] });
    }
    const now = covered();
    if (wasCovered && !now) { log.push(Date.now()); }
    wasCovered = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
"""


def _open(page, url: str, start: bool = False) -> None:
    """The app with its map drawn (as tests.ui.harness.open_map, with room for a loaded
    machine: the figures are what this bench is for, not the first paint); `start`: press
    "Start presenting" first (a presenter's link alone makes no briefing)."""
    page.goto(url)
    if start:
        page.locator(".st-key-bm-start-presenting button").click(timeout=OPEN_TIMEOUT_MS)
    ready = '.leaflet-container[data-basemap="ready"]'
    page.frame_locator(MAP_FRAME).locator(ready).wait_for(timeout=OPEN_TIMEOUT_MS)


def _last_change(aud) -> float:
    """The map frame's last visible change (ms since the epoch), once none came for QUIET_S."""
    frame = aud.frame_locator(MAP_FRAME).locator(".leaflet-container")
    read = "el => { const c = window.__bmChanges; return [c.length, c[c.length - 1] || 0]; }"
    count, last = frame.evaluate(read)
    calm_since = time.monotonic()
    while time.monotonic() - calm_since < QUIET_S:
        time.sleep(0.1)
        now = frame.evaluate(read)
        if now[0] != count:
            (count, last), calm_since = now, time.monotonic()
    return last


def _nonce(aud):
    """The briefing version the audience's map was last moved for (its focus nonce)."""
    frame = aud.frame_locator(MAP_FRAME).locator(".leaflet-container")
    return frame.evaluate("el => window.__bmFocusNonce")


def _lags(pres, aud, titles: list[str], presses: int, case: str) -> tuple[list[float], list[float]]:
    title = aud.locator("#bm-aud-title")
    pres.mouse.click(700, 12)  # focus the presenter page, as a clicker's keys would
    lags, settled, scene = [], [], 0
    for i in range(presses):
        key, step = ("ArrowRight", 1) if i % 2 == 0 else ("ArrowLeft", -1)
        _last_change(aud)  # both windows at rest
        shown = _nonce(aud)
        pressed_ms = pres.evaluate("Date.now()")
        pressed = time.monotonic()
        pres.keyboard.press(key)
        scene += step
        if not wait_until(lambda s=scene: title.inner_text() == titles[s], timeout=10):
            raise SystemExit(f"the audience never reached scene {scene + 1}")
        lags.append(time.monotonic() - pressed)
        if not wait_until(lambda n=shown: _nonce(aud) != n, timeout=30):
            raise SystemExit(f"the audience's map never took scene {scene + 1}")
        settled.append(max(0.0, (_last_change(aud) - pressed_ms) / 1000))
        _phases(aud, pressed_ms, case)
    return lags, settled


# The audience map's own marks of a scene change (briefmap.mark), in the order they come:
# the held picture put up, the new groups' focus, the labels collected and laid out again,
# the first frame with every tile and label drawn, the held picture taken down.
PHASES = ("hold", "held", "focus", "relabel", "relayout", "drawn", "shown")
PHASE_TIMES: dict[str, dict[str, list[float]]] = {}


def _phases(aud, pressed_ms: float, case: str) -> None:
    frame = aud.frame_locator(MAP_FRAME).locator(".leaflet-container")
    marks = frame.evaluate("el => (window.briefmap && window.briefmap._marks) || []")
    first: dict[str, float] = {}
    for name, at in marks:
        if at >= pressed_ms and name not in first:
            first[name] = (at - pressed_ms) / 1000
    times = PHASE_TIMES.setdefault(case, {name: [] for name in PHASES})
    for name in PHASES:
        if name in first:
            times[name].append(first[name])


def _phase_line(case: str) -> str:
    times = PHASE_TIMES.get(case, {})
    parts = [f"{name} {statistics.median(times[name]):.2f}" for name in PHASES if times.get(name)]
    return "  where the time goes (median s after the key press): " + ", ".join(parts)


def _settled_line(name: str, times: list[float]) -> str:
    median, p95 = statistics.median(times), _p95(times)
    ok = median <= SETTLED_TARGETS[0] and p95 <= SETTLED_TARGETS[1]
    return (
        f"{name:<28} median {median:5.2f} s   p95 {p95:5.2f} s   max {max(times):5.2f} s   "
        f"(n={len(times)})   {'meets' if ok else 'MISSES'} target median <= "
        f"{SETTLED_TARGETS[0]:.1f} s, p95 <= {SETTLED_TARGETS[1]:.1f} s"
    )


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def _line(name: str, lags: list[float]) -> str:
    p95 = _p95(lags)
    verdict = "meets" if p95 < TARGET_S else "MISSES"
    return (
        f"{name:<28} median {statistics.median(lags):5.2f} s   p95 {p95:5.2f} s   "
        f"max {max(lags):5.2f} s   (n={len(lags)})   {verdict} target p95 < {TARGET_S:.1f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--presses", type=int, default=10)
    args = parser.parse_args()
    titles = [s.title_en for s in load_geodata().walkthroughs[WALK].scenes]
    guard = Guard()
    results = {}
    with tempfile.TemporaryDirectory() as tmp, run_server(Path(tmp)) as server:
        with sync_playwright() as p:
            browser, other_browser = launch(p), launch(p)
            for name, aud_browser in (
                ("same browser", browser),
                ("another browser", other_browser),
            ):
                pres_ctx = browser.new_context(viewport={"width": 1440, "height": 900})
                aud_ctx = (
                    pres_ctx
                    if aud_browser is browser
                    else aud_browser.new_context(viewport={"width": 1920, "height": 1080})
                )
                for ctx in {id(pres_ctx): pres_ctx, id(aud_ctx): aud_ctx}.values():
                    ctx.route("**/*", guard)
                aud_ctx.add_init_script(CHANGES)
                pres, aud = pres_ctx.new_page(), aud_ctx.new_page()
                _open(pres, f"{server.url}/?walkthrough={WALK}&scene=1", start=True)
                _open(aud, audience_link(pres))
                results[name] = _lags(pres, aud, titles, args.presses, name)
                for ctx in {id(pres_ctx): pres_ctx, id(aud_ctx): aud_ctx}.values():
                    ctx.close()
            browser.close()
            other_browser.close()
    for name, (lags, settled) in results.items():
        print(_line(f"audience, {name}", lags))
        print(_settled_line("  key press → settled map", settled))
        print(_phase_line(name))
    print(f"{'load average':<28} {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)")
    print(f"{'requests off the machine':<28} {len(guard.offenders)}")
    return 1 if guard.offenders else 0


if __name__ == "__main__":
    sys.exit(main())
