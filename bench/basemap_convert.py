"""Time and memory of converting a user's MBTiles to PMTiles (`briefmap serve --basemap`).

    python bench/basemap_convert.py [--tiles 300000] [--baseline-tiles 20000] [--timeout 60]

Builds an MBTiles file of distinct small tiles at one zoom and converts it in a forked child
(memory is the child's own peak): briefmap's converter (one ordered pass, each row checked)
on `--tiles`, and, as the baseline in the same run, the `pmtiles` package's own
`mbtiles_to_pmtiles` (one SELECT per tile, quadratic on a table without an index) on
`--baseline-tiles` and on the same file, stopped after `--timeout` s. Measured here (2 cores,
quiet, 2026-11-24): 20,000 tiles 0.2 s at 72 MB (pmtiles: 27.8 s); 300,000 tiles 3.2 s at
139 MB peak (pmtiles: still running after 60 s). Until that day the bench's file lacked the
minzoom/maxzoom keys and pmtiles failed at once on it: its earlier "still running" baseline
was not measured. Earlier figures for ours, under load: 300,000 tiles 12.5 s; 1,000,000 (the
cap) 26 s at 350 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.archive_builders import mbtiles  # noqa: E402


def build(path: Path, count: int) -> Path:
    mbtiles(path, "no-minzoom")
    side = int(count**0.5) + 1
    rows = (
        (12, x, y, b"\x1f\x8b" + x.to_bytes(2) + y.to_bytes(2) + b"x" * 200)
        for x in range(side)
        for y in range(side)
        if x * side + y < count
    )
    with sqlite3.connect(path) as db:
        db.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)", rows)
        # the zooms the tiles are at: the pmtiles converter needs both keys to start at all
        db.execute("DELETE FROM metadata WHERE name IN ('minzoom', 'maxzoom')")
        db.executemany("INSERT INTO metadata VALUES (?, '12')", [("minzoom",), ("maxzoom",)])
    return path


def in_child(fn, timeout: float) -> dict:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        start = time.perf_counter()
        try:
            fn()
            report = {"seconds": round(time.perf_counter() - start, 2)}
        except Exception as exc:  # noqa: BLE001 - reported to the parent
            report = {"error": f"{type(exc).__name__}: {exc}"[:200]}
        report["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        os.write(write_end, json.dumps(report).encode())
        os._exit(0)
    os.close(write_end)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.waitpid(pid, os.WNOHANG)[0]:
            with os.fdopen(read_end, "rb") as pipe:
                return json.loads(pipe.read())
        time.sleep(0.05)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    return {"error": f"still running after {timeout:g} s"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tiles", type=int, default=300_000)
    parser.add_argument("--baseline-tiles", type=int, default=20_000)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    from pmtiles.convert import mbtiles_to_pmtiles

    from layers.tiles.archive import inspect_archive, served_archive

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for count in (args.baseline_tiles, args.tiles):
            source = build(root / f"{count}.mbtiles", count)
            ours = in_child(lambda s=source: served_archive(inspect_archive(s), root / "out"), 600)
            print(f"briefmap   {count:>9,} tiles: {ours}")
            theirs = in_child(
                lambda s=source: mbtiles_to_pmtiles(str(s), str(root / "base.pmtiles"), None),
                args.timeout,
            )
            print(f"pmtiles    {count:>9,} tiles: {theirs}")


if __name__ == "__main__":
    main()
