"""Every `briefmap` error a person can cause is one line on stderr and a non-zero exit, never a
traceback, and never a hang: FIFOs, devices and symbolic-link loops where a file is read,
refused write targets, names too long, ports and addresses no server could use. Reads of a
user's file stop at their size limit (`/dev/zero` is refused, not read)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from layers.boundary.regular import FileRefused, open_regular, read_bounded

CSV_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,actor2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,"
    "timestamp"
)
BAD_CSV = CSV_HEADER + "\nSYR1,not a date\n"


def _setup(tmp: Path, what: str, geodata_copy: Path) -> None:
    """Make the file system objects a case needs inside `tmp`."""
    if what == "fifo":
        for name in ("f.geojson", "f.yaml", "f.csv", "d.csv"):
            os.mkfifo(tmp / name)
    elif what == "loop":
        (tmp / "loop.geojson").symlink_to("loop.geojson")
    elif what == "walk-fifo":
        os.mkfifo(geodata_copy / "walkthroughs" / "x.yaml")
    elif what == "rejects":
        (tmp / "bad.csv").write_text(BAD_CSV, encoding="utf-8")
        (tmp / "link.csv").symlink_to("/etc/hostname")
    elif what == "file":
        (tmp / "plain").write_text("not a folder", encoding="utf-8")


LONG = "x" * 300
REJECTS = ["import", "bad.csv", "--store", "s", "--skip-invalid", "--quiet", "--rejects"]
CASES = {
    # name: (setup, argv, a word the one line must hold)
    "validate a FIFO": ("fifo", ["validate", "f.geojson"], "FIFO"),
    "validate a FIFO walkthrough": ("fifo", ["validate", "f.yaml"], "FIFO"),
    "validate /dev/zero": (None, ["validate", "/dev/zero"], "character device"),
    "validate a link loop": ("loop", ["validate", "loop.geojson"], "symbolic links"),
    "import a FIFO": ("fifo", ["import", "f.csv", "--store", "s", "--quiet"], "FIFO"),
    "import /dev/zero": (None, ["import", "/dev/zero", "--store", "s"], "character device"),
    "import /dev/zero as GeoJSON": (
        None,
        ["import", "/dev/zero", "--format", "geojson", "--store", "s"],
        "character device",
    ),
    "deletions from a FIFO": ("fifo", ["import", "--deletions", "d.csv", "--store", "s"], "FIFO"),
    "import a link loop": ("loop", ["import", "loop.geojson", "--store", "s"], "symbolic links"),
    "rejects into a link": (
        "rejects",
        [*REJECTS, "link.csv"],
        "symbolic link",
    ),
    "rejects into /dev/null": (
        "rejects",
        [*REJECTS, "/dev/null"],
        "not a regular file",
    ),
    "rejects into a folder": (
        "rejects",
        [*REJECTS, "."],
        "folder",
    ),
    "rejects into a missing folder": (
        "rejects",
        [*REJECTS, "no/r.csv"],
        "does not exist",
    ),
    "export to a name too long": (
        None,
        ["export", "--format", "png", "--out", f"{LONG}.png"],
        "too long",
    ),
    "export geojson to a name too long": (
        None,
        ["export", "--format", "geojson", "--out", f"{LONG}.geojson"],
        "too long",
    ),
    "dpi 0": (None, ["export", "--format", "png", "--out", "o.png", "--dpi", "0"], "dpi"),
    "a 5,000-character marking": (
        None,
        ["export", "--format", "png", "--out", "o.png", "--classification", "Z" * 5000],
        "unknown marking",
    ),
    "serve on port 99999": (None, ["serve", "--port", "99999"], "1 to 65535"),
    "serve on port -1": (None, ["serve", "--port", "-1"], "1 to 65535"),
    "serve on port 0": (None, ["serve", "--port", "0"], "1 to 65535"),
    "serve on 256.1.1.1": (None, ["serve", "--address", "256.1.1.1"], "IP address"),
    "serve on a name": (None, ["serve", "--address", "example.org"], "IP address"),
    "serve on another machine's address": (
        None,
        ["serve", "--address", "192.0.2.1", "--port", "8597"],
        "cannot listen",
    ),
    "serve a file as the store": (None, ["serve", "--store", "plain"], "not a folder"),
}


@pytest.mark.parametrize("name", CASES)
def test_an_error_is_one_line_and_a_nonzero_exit(tmp_path, geodata_copy, name):
    setup, argv, word = CASES[name]
    if setup:
        _setup(tmp_path, setup, geodata_copy)
    if name == "serve a file as the store":
        _setup(tmp_path, "file", geodata_copy)
    done = subprocess.run(
        [sys.executable, "-m", "layers.cli", *argv],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,  # a FIFO that blocks fails the test instead of hanging it
    )
    err = done.stderr.strip()
    assert done.returncode not in (0, None), err
    assert "Traceback" not in done.stderr
    lines = [line for line in err.splitlines() if line.strip()]
    problems_listed = argv[0] == "validate" and lines[0].endswith("problem(s):")
    assert len(lines) == (2 if problems_listed else 1), err  # validate lists its one problem
    assert word.lower() in err.lower(), err
    assert len(lines[-1]) < 400
    assert not (tmp_path / "s").exists() or not any((tmp_path / "s").glob("*.parquet"))


def test_a_fifo_in_the_walkthroughs_folder_is_a_problem_not_a_hang(geodata_copy):
    os.mkfifo(geodata_copy / "walkthroughs" / "x.yaml")
    done = subprocess.run(
        [sys.executable, "-m", "layers.cli", "validate", "--geodata", str(geodata_copy)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "x.yaml: is a named pipe (FIFO), not a regular file" in done.stderr


def test_a_bounded_read_stops_at_its_limit(tmp_path):
    small = tmp_path / "small.json"
    small.write_bytes(b"x" * 100)
    assert read_bounded(small, 100) == b"x" * 100
    with pytest.raises(FileRefused, match="100 bytes"):
        read_bounded(small, 99)
    with pytest.raises(FileRefused, match="character device"):
        read_bounded(Path("/dev/zero"), 10)
    with pytest.raises(FileRefused, match="a folder"):
        open_regular(tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(FileRefused, match="FIFO"):
        open_regular(fifo)  # returns at once: nothing waits for a writer
    with pytest.raises(FileNotFoundError):
        open_regular(tmp_path / "missing")
