"""Screenshots for the README, taken from a real server in Debian's chromium, offline.

    python scripts/screenshot.py [--out docs]

Fails (exit 1) if any request leaves the machine while the pages load.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.ui.harness import (  # noqa: E402
    Guard,
    audience_link,
    launch,
    open_map,
    present,
    run_server,
    wait_map_settled,
)

ALBU_KAMAL = "c=34.42,40.95&z=10"
SHOTS = {
    # file name: (query string, viewport)
    # audience views open through the link the presenter's page shows
    "screenshot-audience.png": ("audience:/?walkthrough=iraq-syria-2025&scene=4", (1920, 1080)),
    "screenshot-audience-7.png": (
        "audience:/?walkthrough=iraq-syria-2025&scene=7",
        (1920, 1080),
    ),
    "screenshot-audience-ar.png": (
        "audience:/?walkthrough=iraq-syria-2025&scene=5&lang=ar",
        (1920, 1080),
    ),
    "screenshot-map.png": ("", (1600, 1000)),
    "screenshot-map-ar.png": ("/?lang=ar", (1600, 1000)),
    "screenshot-z10.png": (f"/?{ALBU_KAMAL}", (1600, 1000)),
    "screenshot-z10-ar.png": (f"/?{ALBU_KAMAL}&lang=ar", (1600, 1000)),
    "screenshot-filtered.png": ("/?actors=iran&from=2013&to=2024-12-31", (1600, 1000)),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    guard = Guard()
    with (
        tempfile.TemporaryDirectory() as tmp,
        run_server(Path(tmp)) as server,
        sync_playwright() as p,
    ):
        browser = launch(p)
        for name, (query, (width, height)) in SHOTS.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            context.route("**/*", guard)
            page = context.new_page()
            if query.startswith("audience:"):  # a presenter starts the briefing (a press)
                present(page, server.url + query.removeprefix("audience:"))
                query, page = audience_link(page).removeprefix(server.url), context.new_page()
            frame = open_map(page, server.url + query)
            frame.locator("path.bm-f").first.wait_for(state="attached", timeout=30_000)
            page.wait_for_timeout(300)  # a scene's fly starts just after the map mounts
            settled = wait_map_settled(frame)
            page.wait_for_timeout(1500)  # the labeller lays out once the tiles are in
            # the page's panels drawn too: no run in progress, no element greyed as stale
            page.wait_for_function(
                "() => !document.querySelector('[data-testid=\"stStatusWidget\"]') &&"
                " !document.querySelector('[data-stale=\"true\"]')",
                timeout=120_000,
            )
            print(f"{name}: map at {settled}")
            page.screenshot(path=str(args.out / name))
            print(f"wrote {args.out / name}")
            context.close()
        browser.close()
    if guard.offenders:
        print(f"requests left the machine: {guard.offenders}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
