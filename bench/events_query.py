"""What the query API costs the page, beside the calls it replaced, in the same run on one
store: CPU time per filter change, the changes alternating, each measured both ways.

- map: a filter → the map's layer (mask, payload, folium layer serialised), by the numpy
  functions directly, and by `snapshot.query(view, Frame(box, zoom, counts=False))`;
- rerun: what one page rerun computed before (the map's mask and layer, the sidebar's type
  counts without the type filter, the summary: three masks, two summaries) and the page's one
  query now (`Frame(box, zoom)`: map, counts with and without types, histogram). Store reads
  are not counted here (before: about eight manifest reads a rerun; now one,
  tests/events/test_one_read_per_rerun.py).

    python bench/events_query.py [--sizes 100k,300k] [--changes 60]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from bench.events import _changes, _serialise, _size  # noqa: E402
from layers.boundary import load_geodata  # noqa: E402
from layers.events import synth  # noqa: E402
from layers.events.backend import Frame  # noqa: E402
from layers.events.index import event_mask, summarise  # noqa: E402
from layers.events.layer import events_group  # noqa: E402
from layers.events.payload import payload  # noqa: E402
from layers.events.store import Source, open_store  # noqa: E402


def _ways(snap, geodata):
    index = snap.index

    def old_map(view, box, zoom):
        mask = event_mask(index, view, geodata)
        if mask.any():
            _serialise(events_group(payload(index, mask, box, zoom)).group)

    def new_map(view, box, zoom):
        result = snap.query(view, Frame(box, zoom, counts=False), geodata)
        if result.map:
            _serialise(events_group(result.map).group)

    def old_rerun(view, box, zoom):
        old_map(view, box, zoom)
        summarise(index, event_mask(index, view.with_changes(types=frozenset()), geodata))
        summarise(index, event_mask(index, view, geodata))

    def new_rerun(view, box, zoom):
        result = snap.query(view, Frame(box, zoom), geodata)
        if result.map:
            _serialise(events_group(result.map).group)

    return {"map": (old_map, new_map), "rerun": (old_rerun, new_rerun)}


def run(n: int, changes: int, geodata) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="briefmap-bench-") as tmp:
        store = open_store(Path(tmp) / "store")
        store.apply(synth.table(n, seed=7), None, Source("synthetic.csv", "0" * 64, n, "acled"))
        snap = store.snapshot()
        ways = _ways(snap, geodata)
        cpu = {(k, side): [] for k in ways for side in ("before", "query")}
        plan = _changes(changes)
        for rep in range(2):  # the first pass warms the caches, the second is measured
            for view, box, zoom in plan:
                for kind, pair in ways.items():
                    for side, way in zip(("before", "query"), pair, strict=True):
                        c0 = time.process_time()
                        way(view, box, zoom)
                        if rep:
                            cpu[(kind, side)].append((time.process_time() - c0) * 1000)
    lines = [f"== {n:,} events, {changes} filter changes (CPU time) =="]
    for (kind, side), values in cpu.items():
        p50, p95 = np.percentile(values, 50), np.percentile(values, 95)
        lines.append(f"{kind:<6} {side:<7} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100k,300k")
    parser.add_argument("--changes", type=int, default=60)
    args = parser.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    geodata = load_geodata()
    for n in (_size(s) for s in args.sizes.split(",")):
        print("\n".join(run(n, args.changes, geodata)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
