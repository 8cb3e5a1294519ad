"""Drive a real `briefmap serve` and Debian's chromium: shared by the browser tests, the
screenshot script and the benchmarks. Any request to a host that is not loopback is aborted
and recorded by the Guard."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from layers.routes import BRIEFING_URL

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Chromium 15x prepares its WebUI address-bar popup in every new window, headless too: a
    # hundred chrome:// modules evaluated during the page's first second, competing for the CPU.
    "--disable-features=WebUIOmniboxPopup",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
# How long a wait for a condition may take before the test gives up (ms, as Playwright takes
# it). It bounds a hang and says nothing about speed: large enough for a load average of 20+.
WAIT_MS = 120_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path


def _wait_healthy(url: str, process: subprocess.Popen, log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:  # noqa: S310
                if r.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server not healthy after {timeout}s:\n{log.read_text()}")


@contextmanager
def run_server(
    tmp: Path, *extra: str, wrapper: tuple[str, ...] = (), port: int | None = None
) -> Iterator[Server]:
    """Start `briefmap serve` from an unrelated working directory (tmp), on `port` (default:
    a free one)."""
    port = port or free_port()
    log = tmp / f"server-{port}.log"
    briefmap = str(Path(sys.executable).parent / "briefmap")
    command = [*wrapper, briefmap, "serve", "--port", str(port), *extra]
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=tmp, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, log)
        yield Server(url, process, log)
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """Stop the server and anything it started (its own process group)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@dataclass
class Guard:
    """Records (and aborts) every request leaving loopback."""

    offenders: list[str] = field(default_factory=list)

    def __call__(self, route) -> None:
        url = route.request.url
        host = urlparse(url).hostname
        if url.startswith(("data:", "blob:", "about:")) or host in LOOPBACK:
            route.continue_()
        else:
            self.offenders.append(url)
            route.abort()


def describe_pages(pages) -> str:
    """What each page showed (its link and the start of its text): printed when a browser
    test fails, so a failure in CI says what the person would have seen."""
    lines = []
    for page in pages:
        try:
            text = page.locator(".stApp").inner_text(timeout=2_000)
        except Exception as exc:  # noqa: BLE001 - evidence only; the failure is reported anyway
            text = f"(no text: {type(exc).__name__})"
        lines.append(f"page {page.url}\n  " + " | ".join(text.split("\n"))[:1200])
    return "\n".join(lines)


@dataclass
class Browsing:
    page: object
    guard: Guard
    dialogs: list[str]


def open_map(page, url: str):
    """Load the app and wait for the basemap and the report layers to be drawn."""
    page.goto(url)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator('.leaflet-container[data-basemap="ready"]').wait_for(timeout=WAIT_MS)
    # the analyst's sidebar widgets come with the run the map's first report starts
    page.locator(".st-key-bm-controls-pending").wait_for(state="detached", timeout=WAIT_MS)
    return frame


def present(page, url: str):
    """Open a presenter's link without a briefing key (`?walkthrough=ID&scene=N`), press
    "Start presenting" (a link alone makes no briefing) and wait for the scene's map."""
    page.goto(url)
    page.locator(".st-key-bm-start-presenting button").click(timeout=WAIT_MS)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator('.leaflet-container[data-basemap="ready"]').wait_for(timeout=WAIT_MS)
    page.wait_for_url("**briefing=**", timeout=WAIT_MS)
    return frame


def layer_checkbox(page, label: str):
    """A layer's checkbox in the sidebar, by its label (the legend names layers too)."""
    boxes = page.locator('[data-testid="stSidebar"] [data-testid="stCheckbox"]')
    return boxes.filter(has_text=label).first


def sure_button(page, key: str):
    """A button of dashboard.press (in its own frame), by the key the app gave it."""
    return page.frame_locator(f".st-key-{key} iframe").get_by_role("button")


def count_shapes(frame, selector: str = "path.bm-f") -> int:
    return frame.locator(selector).count()


def wait_for_count(frame, selector: str, expected: int, timeout: float = 120) -> int:
    """Poll until the number of matching SVG shapes equals `expected` (or time runs out)."""
    deadline = time.monotonic() + timeout
    n = -1
    while time.monotonic() < deadline:
        n = frame.locator(selector).count()
        if n == expected:
            return n
        time.sleep(0.2)
    return n


def server_cpu(server: Server) -> float:
    """CPU seconds (user + system) used so far by the server and everything it started (its
    process group): a bound on work that a loaded machine does not stretch."""
    total, tick = 0, os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        if int(fields[2]) == server.process.pid:  # field 5 of stat: the process group
            total += int(fields[11]) + int(fields[12])
    return total / tick


def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        raise RuntimeError(
            "Debian's chromium is required (apt-get install chromium; "
            "`make test` does this as root)"
        )
    return path


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)


def wait_map_settled(frame, timeout: float = 10.0) -> tuple[float, float, float]:
    """Wait until the map's centre and zoom stop changing (a fly has landed)."""
    read = "el => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]"
    deadline = time.monotonic() + timeout
    last = tuple(frame.locator(".leaflet-container").evaluate(read))
    while time.monotonic() < deadline:
        time.sleep(0.4)
        now = tuple(frame.locator(".leaflet-container").evaluate(read))
        if now == last:
            return now
        last = now
    return last


def map_view(frame) -> tuple[float, float, float]:
    """The map's centre (lat, lon) and zoom as Leaflet has them now."""
    return tuple(
        frame.locator(".leaflet-container").evaluate(
            "el => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]"
        )
    )


def wait_until(predicate, timeout: float = 120.0, step: float = 0.05):
    """Poll `predicate` until it is truthy or time runs out; return its last value."""
    deadline = time.monotonic() + timeout
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(step)
        value = predicate()
    return value


def audience_link(presenter_page) -> str:
    """The projector link as the presenter's page shows it (a person copies it from there)."""
    code = presenter_page.locator('[data-testid="stCode"]').filter(has_text="mode=audience")
    if not code.first.is_visible():
        opener = presenter_page.locator('[data-testid="stPopover"] button').filter(
            has_text=re.compile("Audience view|عرض الجمهور")
        )
        opener.first.wait_for(timeout=WAIT_MS)
        opener.first.click()
    code.first.wait_for(timeout=WAIT_MS)
    return code.first.inner_text().strip()


def upload(page, path) -> None:
    """Choose a file in the (one) file uploader, as a person would. After each file it reads the
    app replaces its uploader; until that run ends the old one may still be on the page."""
    inputs = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    wait_until(lambda: inputs.count() == 1, timeout=WAIT_MS / 1000)
    inputs.first.set_input_files(str(path))


# Streamlit marks its root element with the state of the script run (`data-test-script-state`:
# "running" while a run or a fragment run is in flight). A MutationObserver counts the runs
# that have finished, so a test can wait for the page to acknowledge that the run caused by an
# action has ended, instead of sleeping for a time it hopes is long enough.
_WATCH_RUNS = """() => {
  if (window.__bmRuns === undefined) {
    window.__bmRuns = 0;
    new MutationObserver(changes => {
      for (const c of changes) {
        const now = c.target.getAttribute('data-test-script-state');
        if (c.oldValue === 'running' && now !== 'running') window.__bmRuns += 1;
      }
    }).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                          attributeFilter: ['data-test-script-state']});
  }
  return window.__bmRuns;
}"""
_AT_REST = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.getAttribute('data-test-script-state') === 'notRunning';
}"""
SETTLE_S = 180.0  # bounds a hang; generous so that a loaded machine (load average 20+) passes


def watch_runs(page) -> None:
    """Count this page's finished script runs from the moment it next loads a document."""
    page.add_init_script(f"({_WATCH_RUNS})()")


def runs_done(page) -> int:
    """How many script runs of this page have finished since it was first watched (the first
    call starts watching and returns 0)."""
    return page.evaluate(_WATCH_RUNS)


def wait_runs(page, after: int, more: int = 1, timeout: float = SETTLE_S) -> int:
    """Wait until `more` script runs have finished since `runs_done` returned `after`, and no
    run is in flight; return the count of finished runs."""
    ok = wait_until(
        lambda: page.evaluate(_WATCH_RUNS) >= after + more and page.evaluate(_AT_REST),
        timeout=timeout,
    )
    done = page.evaluate(_WATCH_RUNS)
    assert ok, f"the page finished {done - after} of {more} script runs (still running?)"
    return done


def event_loop_turned(frame_or_page) -> None:
    """Wait until the page (or map frame) has run its queued tasks and drawn two frames: what
    was due to happen on the page (an injected handler, a timer set to 0) has happened."""
    frame_or_page.locator(":root").evaluate(
        """() => new Promise(done => setTimeout(() =>
             requestAnimationFrame(() => requestAnimationFrame(() => done(true))), 0))"""
    )


def count_version_asks(page) -> list[int]:
    """A list that grows by one for each answer the page (any of its frames) gets from the
    briefing-version route: how a projector window asks whether the briefing moved."""
    answers: list[int] = []

    def seen(response) -> None:
        if urlparse(response.url).path == BRIEFING_URL:
            answers.append(response.status)

    page.on("response", seen)
    return answers


def wait_version_asks(page, answers: list[int], more: int, timeout: float = SETTLE_S) -> None:
    """Wait until `more` further answers have come to `page` (the window asked, and heard
    nothing new). Waits on the page's events: Playwright delivers them only while it waits."""
    start = len(answers)
    deadline = time.monotonic() + timeout
    while len(answers) < start + more and time.monotonic() < deadline:
        try:
            page.wait_for_event(
                "response",
                predicate=lambda r: urlparse(r.url).path == BRIEFING_URL,
                timeout=max(1.0, deadline - time.monotonic()) * 1000,
            )
        except Exception:  # noqa: BLE001 - the count below says what was missing
            break
    got = len(answers) - start
    assert got >= more, f"the window asked {got} of {more} times whether it moved"
