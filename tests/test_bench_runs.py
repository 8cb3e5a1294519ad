"""The benchmark scripts still run against the code as it is (a bench that calls an old API
rots unnoticed: bench/events.py did). Each runs at its smallest size; the figures they print
are not checked here — timing belongs to the benches, not to tests — only that they are
printed, that no side of a comparison failed, and that the script ends cleanly."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import PROJECT_ROOT

BROWSER_CASES = {  # each starts its own server and Debian's chromium
    "first_paint": (["--runs", "1"], "first paint (warm)"),
    "briefing": (["--presses", "2"], "audience, another browser"),
    "team_sessions": (  # the whole team stack: PostgreSQL, the sign-in portal, 2 servers, nginx
        ["--audience", "2", "--presses", "1", "--viewers", "1", "--seconds", "4"],
        "viewer rerun, both",
    ),
}
CASES = {
    "events": (
        ["--sizes", "2k", "--changes", "2", "--baseline-sizes", "2k", "--baseline-changes", "1"],
        "targets:",
    ),
    "events_query": (["--sizes", "2k", "--changes", "2"], "rerun  query"),
    "rerun": (["--runs", "2"], "rerun after a filter change"),
    "team": (["--rows", "2k"], "targets (1,000,000 rows, PostGIS)"),
    "boundary": (["--runs", "1"], "worst:"),
    "basemap_convert": (
        ["--tiles", "300", "--baseline-tiles", "200", "--timeout", "20"],
        "pmtiles",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_bench_runs_and_prints_its_figures(name):
    _run(name, *CASES[name])


@pytest.mark.browser
@pytest.mark.parametrize("name", sorted(BROWSER_CASES))
def test_the_browser_bench_runs_and_prints_its_figures(name):
    _run(name, *BROWSER_CASES[name])


def _run(name: str, args: list[str], expected: str) -> None:
    done = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "bench" / f"{name}.py"), *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert expected in done.stdout, done.stdout[-3000:]
    assert "error" not in done.stdout.lower(), done.stdout[-3000:]  # a baseline that failed
