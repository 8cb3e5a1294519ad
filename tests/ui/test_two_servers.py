"""Two `briefmap serve` processes from this one install, on two ports, with different basemaps
(ours, and a small archive built by tests/schema_archives.py), serving at once: each page reads
its own archive (the bytes its server sends for the URL the page asked for are that archive's)
and draws it (the fixture town is named on one map only), stopping one leaves the other
serving, and nothing is written into the checkout (no static folder, no copied archive)."""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from contextlib import ExitStack
from pathlib import Path

import pytest

from layers.paths import PROJECT_ROOT
from layers.render.basemap import shipped_archive
from tests.schema_archives import CREDIT, NAMES, vector_archive
from tests.ui.harness import open_map, run_server
from tests.ui.test_cartography import settled_labels

pytestmark = pytest.mark.browser
VIEW = "/?c=34.5,41.5&z=8"
TOWN = NAMES["protomaps-v4"][0]
# folders that are not the code: tools' caches, the environment, git's own
NOT_CODE = {".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache"}


def checkout_files() -> dict[str, tuple[int, int]]:
    """Every file of the checkout (outside tool caches): size and modification time."""
    found = {}
    for folder, subfolders, files in os.walk(PROJECT_ROOT):
        subfolders[:] = [d for d in subfolders if d not in NOT_CODE and not d.endswith(".egg-info")]
        for name in files:
            path = Path(folder) / name
            stat = path.lstat()
            found[str(path.relative_to(PROJECT_ROOT))] = (stat.st_size, stat.st_mtime_ns)
    return found


def _head(url: str, size: int = 127) -> bytes:
    ask = urllib.request.Request(url, headers={"Range": f"bytes=0-{size - 1}"})
    with urllib.request.urlopen(ask, timeout=60) as answer:  # noqa: S310 - loopback only
        assert answer.status == 206
        return answer.read()


def _page(browser, server):
    """A page on `server` with the network guard; the basemap URLs it asked for."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    asked: list[str] = []
    offenders: list[str] = []

    def guard(route) -> None:
        url = route.request.url
        if url.startswith((server.url, "data:", "blob:", "about:")):
            if "/briefmap/basemap/" in url:
                asked.append(url.split("?", 1)[0])
            route.continue_()
        else:
            offenders.append(url)
            route.abort()

    context.route("**/*", guard)
    return context, context.new_page(), asked, offenders


# the first report URL in the properties of the map's features (their popups' HTML)
REPORT_URL = r"""() => { let hit = null;
  window.map.eachLayer(l => { if (!hit && l.feature) {
    const m = JSON.stringify(l.feature.properties).match(/\/briefmap\/reports\/[0-9a-f]+\.json/);
    if (m) { hit = m[0]; } } });
  return hit; }"""


def _report_url(frame) -> str:
    """A report's paragraphs URL as the map's popups carry it."""
    url = frame.locator(":root").evaluate(REPORT_URL)
    assert url, "no popup of the map cites a loaded report"
    return url


def _key(frame) -> str:
    return frame.locator(":root").evaluate("() => briefmap.reportsKey")


def _status(url: str, key: str | None = None) -> int:
    ask = urllib.request.Request(url, headers={"X-Briefmap-Key": key} if key else {})
    try:
        with urllib.request.urlopen(ask, timeout=60) as answer:  # noqa: S310 - loopback only
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _labels(page, frame) -> set[str]:
    return {label["text"] for label in settled_labels(page, frame, minimum=1)}


def test_two_servers_from_one_install_serve_their_own_basemaps(browser, tmp_path):
    before = checkout_files()
    archive = vector_archive(tmp_path / "fixture", "protomaps-v4")
    ours = shipped_archive()
    with ExitStack() as first, ExitStack() as second:
        a = first.enter_context(run_server(_folder(tmp_path / "a")))
        b = second.enter_context(run_server(_folder(tmp_path / "b"), "--basemap", str(archive)))
        pages = {}
        for name, server in (("a", a), ("b", b)):
            context, page, asked, offenders = _page(browser, server)
            frame = open_map(page, server.url + VIEW)
            pages[name] = (context, page, frame, asked, offenders)
        _ctx, page_a, frame_a, asked_a, off_a = pages["a"]
        _ctx, page_b, frame_b, asked_b, off_b = pages["b"]
        # each page asked its own server for one archive, and that archive is the right file
        assert len(set(asked_a)) == 1 and len(set(asked_b)) == 1, (asked_a, asked_b)
        assert asked_a[0].startswith(a.url) and asked_b[0].startswith(b.url)
        assert _head(asked_a[0]) == ours.read_bytes()[:127]
        assert _head(asked_b[0]) == archive.read_bytes()[:127]
        assert ours.read_bytes()[:127] != archive.read_bytes()[:127]
        # ... and draws it: the fixture's town is named on B's map only
        assert TOWN in _labels(page_b, frame_b)
        assert TOWN not in _labels(page_a, frame_a)
        assert CREDIT in frame_b.locator(".leaflet-control-attribution").inner_text()
        assert "Natural Earth" in frame_a.locator(".leaflet-control-attribution").inner_text()
        # report paragraphs: only with the key this server granted the page
        url, key_a, key_b = _report_url(frame_a), _key(frame_a), _key(frame_b)
        assert _status(a.url + url) == 403 and _status(a.url + url, key_b) == 403
        assert _status(a.url + url, key_a) == 200 and _status(b.url + url, key_a) == 403
        # stopping A leaves B serving: a new page on B draws its basemap
        first.close()
        assert a.process.poll() is not None
        context, page, asked, offenders = _page(browser, b)
        frame = open_map(page, b.url + VIEW)
        assert TOWN in _labels(page, frame)
        assert _head(asked[0]) == archive.read_bytes()[:127]
        assert off_a == off_b == offenders == []
        for ctx, *_rest in pages.values():
            ctx.close()
        context.close()
    after = checkout_files()
    assert not (PROJECT_ROOT / "dashboard" / "static").exists()
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert changed == [], f"written into the checkout: {changed[:20]}"


def _folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
