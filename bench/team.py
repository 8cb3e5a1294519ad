"""Serving a team: what PostGIS costs beside GeoParquet, on this machine, loopback.

    python bench/team.py [--rows 1m] [--revised 0.1] [--analysts 10] [--changes 30]
                         [--stores postgis,geoparquet]

Starts its own PostgreSQL (Debian's, as an unprivileged user when root) in a temporary folder,
writes a seeded ACLED-shaped CSV of `--rows` events, and prints, for the PostGIS store beside
the GeoParquet one on the same file:

- the import (read and validate the file, then write: for PostGIS binary COPY into a staging
  table, the merge, the commit with its rollup), then a re-import of the same file with
  `--revised` of the events revised (a newer timestamp), each with its phases;
- analysts changing filters: `--analysts` threads in this one process, each making
  `--changes` filter changes (the views of `bench/events.py`, on the region and on a city),
  each change one `store.query(view, Frame(box, zoom))` — the store's generation read from the
  database, then counts, histogram and the map's payload — timed from the call to its answer
  (what an app server does for "filter -> new map", without Streamlit and the browser). The
  first query after an import loads that generation's map columns, and is shown apart.

Targets (issue 20): 1,000,000 rows into PostGIS <= 90 s; re-import of 10 % revised <= 30 s;
10 analysts changing filters over 1,000,000 events: filter -> new map p95 <= 500 ms.

The session targets (audience sessions across two servers behind nginx, viewers' reruns) are
printed by bench/team_sessions.py.
"""

from __future__ import annotations

import argparse
import csv
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from bench.events import _changes  # noqa: E402
from layers.boundary import load_geodata  # noqa: E402
from layers.events import synth  # noqa: E402
from layers.events.backend import Frame  # noqa: E402
from layers.events.importer import import_file  # noqa: E402
from layers.events.store import ParquetStore  # noqa: E402
from layers.team.cluster import Cluster, free_port  # noqa: E402
from layers.team.eventstore import PostgisStore  # noqa: E402
from layers.view import View  # noqa: E402

REGION = (35.0, 29.5, 48.5, 37.6)


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


class Phases:
    """The store's steps as an import reaches them (its `stage` hook), in seconds."""

    def __init__(self) -> None:
        self.marks: list[tuple[str, float]] = []

    def __call__(self, name: str) -> None:
        self.marks.append((name, time.perf_counter()))

    def words(self, started: float) -> str:
        out, last = [], started
        for name, at in self.marks:
            out.append(f"{name} +{at - last:.1f}")
            last = at
        return ", ".join(out)


def timed(store, phases: Phases, path: Path) -> tuple[float, float, object, str]:
    phases.marks.clear()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF).ru_utime
    t0 = time.perf_counter()
    result = import_file(store, path, fmt="acled")
    wall = time.perf_counter() - t0
    cpu = resource.getrusage(resource.RUSAGE_SELF).ru_utime - cpu0
    return wall, cpu, result, phases.words(t0)


def analysts(store, geodata, users: int, changes: int) -> tuple[float, list[float]]:
    """The first map after the import (s), then every change's latency (ms) with `users`
    threads changing filters at once."""
    t0 = time.perf_counter()
    store.query(View(), Frame(REGION, 6.0), geodata)
    first = time.perf_counter() - t0
    plan = _changes(changes * users)
    start = threading.Barrier(users)
    latencies: list[list[float]] = [[] for _ in range(users)]
    failures: list[BaseException] = []

    def analyst(k: int) -> None:
        try:
            start.wait()
            for view, box, zoom in plan[k::users]:
                t = time.perf_counter()
                store.query(view, Frame(box, zoom), geodata)
                latencies[k].append((time.perf_counter() - t) * 1000)
        except BaseException as exc:  # noqa: BLE001 - said below, the bench fails
            failures.append(exc)

    threads = [threading.Thread(target=analyst, args=(k,)) for k in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return first, [ms for one in latencies for ms in one]


def _stores(names: list[str], work: Path, cluster: Cluster) -> dict:
    made = {}
    for name in names:
        phases = Phases()
        if name == "geoparquet":
            made[name] = (ParquetStore(work / "parquet", stage=phases), phases)
        elif name == "postgis":
            made[name] = (PostgisStore(cluster.dsn(), stage=phases), phases)
        else:
            raise SystemExit(f"unknown store {name!r} (postgis, geoparquet)")
    return made


def run(args, work: Path, cluster: Cluster) -> None:
    rows = _size(args.rows)
    first = synth.write_csv(work / "events.csv", rows, seed=20)
    again = work / "revised.csv"
    changed = revised_csv(first, again, args.revised)
    size = first.stat().st_size / 1e6
    print(f"{rows:,} events, {size:.0f} MB CSV; {changed:,} revised in the second file")
    print(f"{'store':<10} {'step':<20} {'wall s':>7} {'our CPU s':>9}  counts; phases (s)")
    stores = _stores(args.stores.split(","), work, cluster)
    for name, (store, phases) in stores.items():
        for step, path in (("import", first), ("re-import, revised", again)):
            wall, cpu, result, steps = timed(store, phases, path)
            print(
                f"{name:<10} {step:<20} {wall:>7.1f} {cpu:>9.1f}  {result.counts.words()}; {steps}",
                flush=True,
            )
    geodata = load_geodata()
    print(
        f"analysts: {args.analysts} threads x {args.changes} filter changes over {rows:,} "
        "events, each one store.query (counts, histogram, map payload), in one process"
    )
    print(f"{'store':<10} {'first map s':>11} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, (store, _phases) in stores.items():
        first_s, ms = analysts(store, geodata, args.analysts, args.changes)
        p50, p95 = np.percentile(ms, [50, 95])
        print(f"{name:<10} {first_s:>11.2f} {p50:>8.0f} {p95:>8.0f} {max(ms):>8.0f}", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:,.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="1m")
    parser.add_argument("--revised", type=float, default=0.1)
    parser.add_argument("--analysts", type=int, default=10)
    parser.add_argument("--changes", type=int, default=30)
    parser.add_argument("--stores", default="postgis,geoparquet")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(dir="/tmp", prefix="briefmap-bench-team-"))
    work.chmod(0o711)
    cluster = Cluster(work / "pg", free_port())
    try:
        t0 = time.perf_counter()
        cluster.init().start()
        print(f"PostgreSQL started in {time.perf_counter() - t0:.1f} s (loopback, own folder)")
        run(args, work, cluster)
        print(
            "targets (1,000,000 rows, PostGIS): import <= 90 s, re-import of 10 % revised "
            "<= 30 s; 10 analysts: filter -> new map p95 <= 500 ms"
        )
    finally:
        cluster.remove()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
