"""Time to a usable map, measured end to end (not a unit test: it prints figures).

- server start: `briefmap serve` until /_stcore/health answers;
- first paint: browser navigation until the basemap is drawn and every default report shape is
  on the map, in a fresh browser context (nothing cached in the browser). "cold" is the first
  page a new server shows (it pays the one-off imports and data loading); "warm" is the next.

    python bench/first_paint.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from layers.boundary import load_geodata  # noqa: E402
from tests.ui.harness import Guard, launch, open_map, run_server, wait_for_count  # noqa: E402


def _summary(name: str, values: list[float]) -> str:
    return (
        f"{name:<24} min {min(values):6.2f} s   median {statistics.median(values):6.2f} s"
        f"   max {max(values):6.2f} s   (n={len(values)})"
    )


def _paint(browser, guard: Guard, url: str, shapes: int) -> float | None:
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    context.route("**/*", guard)
    page = context.new_page()
    t0 = time.perf_counter()
    frame = open_map(page, url)
    drawn = wait_for_count(frame, "path.bm-f", shapes, timeout=60)
    seconds = time.perf_counter() - t0
    context.close()
    if drawn != shapes:
        print(f"only {drawn} of {shapes} shapes drawn", file=sys.stderr)
        return None
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    geodata = load_geodata()
    shapes = sum(1 for f in geodata.features if geodata.layers[f.layer].visible)
    starts: list[float] = []
    paints: dict[str, list[float]] = {"cold": [], "warm": []}
    guard = Guard()
    with sync_playwright() as p:
        browser = launch(p)
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                t0 = time.perf_counter()
                with run_server(Path(tmp)) as server:
                    starts.append(time.perf_counter() - t0)
                    for kind in ("cold", "warm"):
                        seconds = _paint(browser, guard, server.url, shapes)
                        if seconds is None:
                            return 1
                        paints[kind].append(seconds)
        browser.close()
    print(_summary("server start", starts))
    print(_summary("first paint (cold)", paints["cold"]))
    print(_summary("first paint (warm)", paints["warm"]))
    print(f"{'report shapes drawn':<24} {shapes}; requests off the machine: {len(guard.offenders)}")
    return 1 if guard.offenders else 0


if __name__ == "__main__":
    sys.exit(main())
