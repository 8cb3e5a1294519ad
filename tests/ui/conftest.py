"""Browser-test fixtures: a real `briefmap serve` on a free port and Debian's chromium driven by
Playwright. Any request to a host that is not loopback is aborted and fails the test.

The browser tests are required: without chromium they fail with the reason, never skip.
"""

from __future__ import annotations

import os
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

import pytest

pytestmark = pytest.mark.browser

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path


def _wait_healthy(url: str, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
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
def run_server(tmp: Path, *extra: str, wrapper: tuple[str, ...] = ()) -> Iterator[Server]:
    """Start `briefmap serve` from an unrelated working directory (tmp)."""
    port = free_port()
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


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    with run_server(tmp_path_factory.mktemp("cwd")) as s:
        yield s


@pytest.fixture(scope="session")
def browser():
    path = shutil.which("chromium")
    if path is None:
        pytest.fail(
            "Debian's chromium is required for the browser tests "
            "(apt-get install chromium; `make test` does this as root)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield b
        b.close()


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


@dataclass
class Browsing:
    page: object
    guard: Guard
    dialogs: list[str]


@pytest.fixture
def browsing(browser) -> Iterator[Browsing]:
    """A fresh context (fresh profile state) with the network guard and a dialog trap."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    guard = Guard()
    context.route("**/*", guard)
    page = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield Browsing(page, guard, dialogs)
    context.close()
    assert guard.offenders == [], f"requests left the machine: {guard.offenders}"


def open_map(page, url: str):
    """Load the app and wait for the basemap and the report layers to be drawn."""
    page.goto(url)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator('.leaflet-container[data-basemap="ready"]').wait_for(timeout=60_000)
    return frame


def count_shapes(frame, selector: str = "path.bm-f") -> int:
    return frame.locator(selector).count()


def wait_for_count(frame, selector: str, expected: int, timeout: float = 30) -> int:
    """Poll until the number of matching SVG shapes equals `expected` (or time runs out)."""
    deadline = time.monotonic() + timeout
    n = -1
    while time.monotonic() < deadline:
        n = frame.locator(selector).count()
        if n == expected:
            return n
        time.sleep(0.2)
    return n
