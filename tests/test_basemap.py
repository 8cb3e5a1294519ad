"""The shipped basemap: byte copies of the shared Natural Earth set, read only from the repo."""

from __future__ import annotations

import hashlib
import re
import subprocess

from layers.paths import PROJECT_ROOT

BASEMAP = PROJECT_ROOT / "geodata" / "basemap"


def test_basemap_copies_match_recorded_checksums():
    text = (BASEMAP / "ATTRIBUTION.md").read_text(encoding="utf-8")
    recorded = dict((name, sha) for sha, name in re.findall(r"^([0-9a-f]{64})  (\S+)$", text, re.M))
    assert set(recorded) == {
        "countries.geojson",
        "admin1.geojson",
        "rivers.geojson",
        "lakes.geojson",
        "places.geojson",
        "world110m.geojson",
        "basemap.pmtiles",
    }
    for name, sha in recorded.items():
        assert hashlib.sha256((BASEMAP / name).read_bytes()).hexdigest() == sha, name


def test_code_never_reads_the_shared_folder():
    found = subprocess.run(
        [
            "git",
            "grep",
            "-n",
            "-I",
            "shared/",
            "--",
            "layers",
            "dashboard",
            "geodata/*.json",
            ".streamlit",
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
    )
    # The one exception is by design: the source reports are read at run time from
    # ../shared/reports (layers.paths.reports_dir), verified against sources.json.
    lines = [line for line in found.stdout.splitlines() if "shared/reports" not in line]
    assert lines == [], lines
