"""Serving a team: what PostGIS costs beside GeoParquet, on this machine, loopback.

    python bench/team.py [--rows 1m] [--revised 0.1]

Starts its own PostgreSQL (Debian's, as an unprivileged user when root) in a temporary folder,
writes a seeded ACLED-shaped CSV of `--rows` events, and prints, for the PostGIS store beside
the GeoParquet one on the same file: the import (parse, validate, write), then a re-import with
`--revised` of the events revised. Targets (issue 20): 1,000,000 rows into PostGIS <= 90 s;
re-import of 10 % revised <= 30 s.

Not yet here: analysts' filter -> new map over PostGIS. The session targets (audience sessions
across two servers behind nginx, viewers' reruns) are printed by bench/team_sessions.py.
"""

from __future__ import annotations

import argparse
import csv
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from layers.events import synth  # noqa: E402
from layers.events.importer import import_file  # noqa: E402
from layers.events.store import ParquetStore  # noqa: E402
from layers.team.cluster import Cluster, free_port  # noqa: E402
from layers.team.eventstore import PostgisStore  # noqa: E402


def _size(text: str) -> int:
    text = text.lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * scale)


def revised_csv(source: Path, target: Path, share: float) -> int:
    """The same export with every n-th event revised (a newer timestamp, one more death)."""
    every = max(1, round(1 / share))
    count = 0
    with (
        source.open(newline="", encoding="utf-8") as src,
        target.open("w", newline="", encoding="utf-8") as out,
    ):
        reader, writer = csv.reader(src), csv.writer(out)
        header = next(reader)
        writer.writerow(header)
        ts, deaths = header.index("timestamp"), header.index("fatalities")
        for k, row in enumerate(reader):
            if k % every == 0:
                row[ts] = str(int(row[ts]) + 86_400)
                row[deaths] = str(int(row[deaths]) + 1)
                count += 1
            writer.writerow(row)
    return count


def timed(store, path: Path) -> tuple[float, float, object]:
    cpu0 = resource.getrusage(resource.RUSAGE_SELF).ru_utime
    t0 = time.perf_counter()
    result = import_file(store, path, fmt="acled")
    wall = time.perf_counter() - t0
    cpu = resource.getrusage(resource.RUSAGE_SELF).ru_utime - cpu0
    return wall, cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="1m")
    parser.add_argument("--revised", type=float, default=0.1)
    args = parser.parse_args()
    rows = _size(args.rows)
    work = Path(tempfile.mkdtemp(dir="/tmp", prefix="briefmap-bench-team-"))
    work.chmod(0o711)
    cluster = Cluster(work / "pg", free_port())
    try:
        t0 = time.perf_counter()
        cluster.init().start()
        print(f"PostgreSQL started in {time.perf_counter() - t0:.1f} s (loopback, own folder)")
        first = synth.write_csv(work / "events.csv", rows, seed=20)
        again = work / "revised.csv"
        changed = revised_csv(first, again, args.revised)
        size = first.stat().st_size / 1e6
        print(f"{rows:,} events, {size:.0f} MB CSV; {changed:,} revised in the second file")
        print(f"{'store':<10} {'step':<22} {'wall s':>8} {'our CPU s':>10}  counts")
        stores = {
            "geoparquet": ParquetStore(work / "parquet"),
            "postgis": PostgisStore(cluster.dsn()),
        }
        for name, store in stores.items():
            for step, path in (("import", first), ("re-import, revised", again)):
                wall, cpu, result = timed(store, path)
                print(f"{name:<10} {step:<22} {wall:>8.1f} {cpu:>10.1f}  {result.counts.words()}")
        print(
            "targets (1,000,000 rows, PostGIS): import <= 90 s, re-import of 10 % revised <= 30 s"
        )
    finally:
        cluster.remove()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
