"""Imported incidents at scale: import, store, cold load, filter, filter → new map, bytes sent
to the browser and memory per event, for seeded ACLED-shaped data at several sizes; beside
plain per-point folium (a GeoJson layer, and FastMarkerCluster) on the same filtered rows.

    python bench/events.py [--sizes 10k,100k,300k,1m] [--changes 30] [--baseline-changes 5]
    python bench/events.py --browser [--sizes 100k]   (browser figures beside st.pydeck_chart:
                                                       bench/events_browser.py)

Targets (300,000 events): filter → new map p50 <= 150 ms, p95 <= 300 ms; filter <= 20 ms;
payload <= 1 MB at any size; cold load <= 1.5 s; <= 200 bytes per event; import <= 30 s;
>= 10x faster than the per-point baseline; at 1,000,000 events filter → new map p95 <= 500 ms.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import folium  # noqa: E402
import folium.plugins  # noqa: E402
import numpy as np  # noqa: E402
from streamlit_folium import _get_feature_group_string  # noqa: E402

from layers.boundary import load_geodata  # noqa: E402
from layers.events import synth  # noqa: E402
from layers.events.backend import EventSnapshot, Frame  # noqa: E402
from layers.events.importer import import_file  # noqa: E402
from layers.events.index import EventIndex, event_mask  # noqa: E402
from layers.events.layer import events_group  # noqa: E402
from layers.events.store import Source, open_store  # noqa: E402
from layers.render.leaflet import base_map  # noqa: E402
from layers.view import View  # noqa: E402

REGION = (35.0, 29.5, 48.5, 37.6)  # the default view: Iraq and Syria (zoom 6)
CITY = (40.0, 35.1, 40.3, 35.45)  # around Deir ez-Zor (zoom 10)
VIEWS = [
    View(actors=frozenset({"isis"})),
    View(types=frozenset({"Battles", "Explosions/Remote violence"})),
    View(date_from=date(2024, 12, 8)),
    View(actors=frozenset({"syria-assad-regime"}), date_from=date(2019, 1, 1)),
    View(date_from=date(2021, 1, 1), date_to=date(2021, 12, 31)),
    View(actors=frozenset({"kataib-hezbollah"})),
    View(),
    View(types=frozenset({"Protests"}), date_from=date(2020, 1, 1)),
    View(actors=frozenset({"syria-transitional", "isis"})),
    View(types=frozenset({"Violence against civilians"}), date_to=date(2019, 6, 30)),
]


def _size(text: str) -> int:
    text = text.lower().replace("_", "")
    return int(float(text[:-1]) * {"k": 1e3, "m": 1e6}[text[-1]]) if text[-1] in "km" else int(text)


def _p(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


# The map the events layer is sent into: only its name matters to the measured payload.
_STAND_IN = {"url": "/x.pmtiles", "max_zoom": 9, "attribution": ""}


def _serialise(group: folium.FeatureGroup) -> str:
    """What st_folium sends to the browser for a feature group (its own code path)."""
    return _get_feature_group_string(group, base_map(basemap_source=_STAND_IN))


def _changes(n: int) -> list[tuple[View, tuple, float]]:
    """Alternating filter changes, on the region view and on a zoomed-in city view."""
    out = []
    for i in range(n):
        box, zoom = (REGION, 6.0) if i % 3 else (CITY, 10.0)
        out.append((VIEWS[i % len(VIEWS)], box, zoom))
    return out


def ours(snap: EventSnapshot, geodata, changes) -> dict:
    """Each change as the page asks it of the store: the filter alone, the filter and the map
    (`Frame(counts=False)`, what was measured before the query API), and the page's whole
    query of a rerun (the map, counts by type with and without the types, the histogram)."""
    filter_ms, filter_cpu, map_ms, cpu_ms, sizes, modes, page_ms = [], [], [], [], [], [], []
    for view, box, zoom in changes:
        c0, t0 = time.process_time(), time.perf_counter()
        snap.query(view, Frame(counts=False), geodata)
        filter_ms.append((time.perf_counter() - t0) * 1000)
        filter_cpu.append((time.process_time() - c0) * 1000)
        c0, t0 = time.process_time(), time.perf_counter()
        result = snap.query(view, Frame(box, zoom, counts=False), geodata)
        payload = _serialise(events_group(result.map).group) if result.map else ""
        map_ms.append((time.perf_counter() - t0) * 1000)
        cpu_ms.append((time.process_time() - c0) * 1000)
        sizes.append(len(payload.encode()))
        modes.append(result.map["mode"] if result.map else "none")
        t0 = time.perf_counter()
        result = snap.query(view, Frame(box, zoom), geodata)
        if result.map:
            _serialise(events_group(result.map).group)
        page_ms.append((time.perf_counter() - t0) * 1000)
    return {
        "filter": filter_ms,
        "filter_cpu": filter_cpu,
        "map": map_ms,
        "cpu": cpu_ms,
        "bytes": sizes,
        "modes": modes,
        "page": page_ms,
    }


def baseline(index: EventIndex, table, geodata, changes, kind: str) -> dict:
    """Per-point folium: every shown event in the view as a GeoJSON feature with a few
    properties (or as FastMarkerCluster data), built and serialised on each change."""
    map_ms, cpu_ms, sizes = [], [], []
    lat, lon = table["latitude"], table["longitude"]
    for view, box, _zoom in changes:
        c0, t0 = time.process_time(), time.perf_counter()
        mask = event_mask(index, view, geodata)
        w, s, e, n = box
        rows = np.flatnonzero(mask & (lon >= w) & (lon <= e) & (lat >= s) & (lat <= n))
        group = folium.FeatureGroup(name="events")
        if kind == "geojson":
            features = [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [float(lon[r]), float(lat[r])]},
                    "properties": {
                        "event_type": table["event_type"][r],
                        "event_date": table["event_date"][r],
                        "fatalities": int(table["fatalities"][r]),
                    },
                }
                for r in rows.tolist()
            ]
            folium.GeoJson({"type": "FeatureCollection", "features": features}).add_to(group)
        else:
            points = np.stack([lat[rows], lon[rows]], axis=1).tolist()
            folium.plugins.FastMarkerCluster(points).add_to(group)
        payload = _serialise(group)
        map_ms.append((time.perf_counter() - t0) * 1000)
        cpu_ms.append((time.process_time() - c0) * 1000)
        sizes.append(len(payload.encode()))
    return {"map": map_ms, "cpu": cpu_ms, "bytes": sizes}


def cold_load(store_dir: Path, warm_dir: Path) -> tuple[float, float, int]:
    """Seconds to load the map's columns in a fresh process; its resident memory growth and
    the arrays' own bytes. A tiny store is loaded first, so module imports and thread pools
    (paid once, whatever the size) are not counted per event."""
    code = (
        "import gc, os, time, json, sys\n"
        "from layers.events.store import open_store\n"
        "from layers.events.index import load_index\n"
        "import pyarrow.parquet, numpy\n"
        "def rss():\n"
        "    with open('/proc/self/statm') as f:\n"
        "        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')\n"
        "load_index(open_store(sys.argv[2]))\n"
        "gc.collect(); before = rss()\n"
        "t = time.perf_counter(); index = load_index(open_store(sys.argv[1]))\n"
        "s = time.perf_counter() - t\n"
        "gc.collect(); after = rss()\n"
        "print(json.dumps([s, after - before, index.nbytes]))\n"
    )
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code, str(store_dir), str(warm_dir)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    seconds, rss, nbytes = json.loads(out.stdout)
    return seconds, rss, nbytes


def _table(store_dir: Path) -> dict:
    _gen, table = open_store(store_dir).load(
        ["latitude", "longitude", "event_type", "event_date", "fatalities"]
    )
    return {
        "latitude": table.column("latitude").to_numpy(),
        "longitude": table.column("longitude").to_numpy(),
        "event_type": table.column("event_type").cast("string").to_pylist(),
        "event_date": [d.isoformat() for d in table.column("event_date").to_pylist()],
        "fatalities": table.column("fatalities").to_numpy(),
    }


def run_size(n: int, tmp: Path, args, geodata) -> dict:
    csv_path = synth.write_csv(tmp / f"acled-{n}.csv", n, seed=7)
    store_dir = tmp / f"store-{n}"
    cpu = time.process_time()
    result = import_file(open_store(store_dir), csv_path)
    cpu = time.process_time() - cpu
    data_file = store_dir / open_store(store_dir).describe().data_file
    warm = tmp / "store-warm"
    if not warm.exists():
        small = synth.table(500, seed=1)
        open_store(warm).upsert(small, Source("warm.csv", "0" * 64, 500, "acled"))
    seconds, rss, nbytes = cold_load(store_dir, warm)
    snap = open_store(store_dir).snapshot()
    index = snap.index
    changes = _changes(args.changes)
    ours(snap, geodata, changes[: len(VIEWS) * 2])  # each filter once, as a running app has
    row = {
        "n": n,
        "csv_mb": csv_path.stat().st_size / 1e6,
        "import_s": result.seconds,
        "import_cpu_s": cpu,
        "store_mb": data_file.stat().st_size / 1e6,
        "load_s": seconds,
        "rss_per_event": rss / n,
        "bytes_per_event": nbytes / n,
        "ours": ours(snap, geodata, changes),
    }
    if n in args.baseline_sizes:
        table = _table(store_dir)
        few = changes[: args.baseline_changes]
        row["geojson"] = baseline(index, table, geodata, few, "geojson")
        row["cluster"] = baseline(index, table, geodata, few, "cluster")
    csv_path.unlink()
    return row


def report(row: dict) -> list[str]:
    o = row["ours"]
    load = os.getloadavg()[0]
    lines = [
        f"== {row['n']:,} events (load average now {load:.1f} on {os.cpu_count()} cores) ==",
        f"import        {row['import_s']:7.1f} s  ({row['n'] / row['import_s']:,.0f} rows/s, "
        f"{row['import_cpu_s']:.1f} s CPU, CSV {row['csv_mb']:.0f} MB)",
        f"store size    {row['store_mb']:7.1f} MB (GeoParquet, zstd)",
        f"cold load     {row['load_s']:7.2f} s",
        f"memory/event  {row['bytes_per_event']:7.0f} B in the arrays, "
        f"{row['rss_per_event']:.0f} B resident growth on load",
        f"filter        p50 {_p(o['filter'], 50):6.1f} ms  p95 {_p(o['filter'], 95):6.1f} ms  "
        f"max {max(o['filter']):6.1f} ms  (CPU p95 {_p(o['filter_cpu'], 95):.1f} ms)",
        f"filter→map    p50 {_p(o['map'], 50):6.1f} ms  p95 {_p(o['map'], 95):6.1f} ms  "
        f"(n={len(o['map'])}; modes: {o['modes'].count('hex')} hex, "
        f"{o['modes'].count('points')} points)",
        f"  CPU time    p50 {_p(o['cpu'], 50):6.1f} ms  p95 {_p(o['cpu'], 95):6.1f} ms",
        f"page query    p50 {_p(o['page'], 50):6.1f} ms  p95 {_p(o['page'], 95):6.1f} ms  "
        "(a rerun's one query: map, counts with and without types, histogram)",
        f"map payload   median {statistics.median(o['bytes']) / 1e3:7.1f} KB  "
        f"max {max(o['bytes']) / 1e3:7.1f} KB",
    ]
    for kind, label in (("geojson", "folium GeoJson"), ("cluster", "FastMarkerCluster")):
        if kind not in row:
            continue
        b = row[kind]
        ratio = _p(b["map"], 50) / _p(o["map"], 50)
        cpu_ratio = _p(b["cpu"], 50) / _p(o["cpu"], 50)
        lines.append(
            f"{label:<17} p50 {_p(b['map'], 50):8.0f} ms  p95 {_p(b['map'], 95):8.0f} ms  "
            f"payload max {max(b['bytes']) / 1e6:7.1f} MB  (n={len(b['map'])}; "
            f"ours {ratio:,.0f}x faster at p50, {cpu_ratio:,.0f}x in CPU time)"
        )
    return lines


def verdicts(rows: list[dict]) -> list[str]:
    out = []
    by_n = {r["n"]: r for r in rows}

    def line(ok: bool, text: str) -> None:
        out.append(f"  [{'met' if ok else 'MISSED'}] {text}")

    worst = max(max(r["ours"]["bytes"]) for r in rows)
    line(worst <= 1e6, f"payload <= 1 MB at every size (max {worst / 1e3:.0f} KB)")
    r = by_n.get(300_000)
    if r:
        o = r["ours"]
        line(_p(o["map"], 50) <= 150, f"300k filter→map p50 <= 150 ms ({_p(o['map'], 50):.0f})")
        line(_p(o["map"], 95) <= 300, f"300k filter→map p95 <= 300 ms ({_p(o['map'], 95):.0f})")
        line(
            _p(o["filter"], 95) <= 20,
            f"300k filter <= 20 ms (p95 {_p(o['filter'], 95):.1f}, max {max(o['filter']):.1f}, "
            f"CPU max {max(o['filter_cpu']):.1f})",
        )
        line(r["load_s"] <= 1.5, f"300k cold load <= 1.5 s ({r['load_s']:.2f})")
        worst_mem = max(r["bytes_per_event"], r["rss_per_event"])
        line(worst_mem <= 200, f"<= 200 B/event ({worst_mem:.0f}, arrays or resident growth)")
        line(
            r["import_s"] <= 30,
            f"300k import <= 30 s ({r['import_s']:.1f} s wall, {r['import_cpu_s']:.1f} s CPU)",
        )
        for kind in ("geojson", "cluster"):
            if kind in r:
                ratio = _p(r[kind]["map"], 50) / _p(o["map"], 50)
                line(ratio >= 10, f"300k >= 10x faster than per-point {kind} ({ratio:.0f}x)")
    r = by_n.get(1_000_000)
    if r:
        p95 = _p(r["ours"]["map"], 95)
        line(p95 <= 500, f"1M filter→map p95 <= 500 ms ({p95:.0f})")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10k,100k,300k,1m")
    parser.add_argument("--changes", type=int, default=30)
    parser.add_argument("--baseline-changes", type=int, default=5)
    parser.add_argument("--baseline-sizes", default="10k,100k,300k,1m")
    parser.add_argument("--browser", action="store_true", help="the browser section only")
    parser.add_argument("--gestures", type=int, default=10)
    parser.add_argument("--filter-changes", type=int, default=20)
    args = parser.parse_args()
    if args.browser:
        return browser_section(args)
    args.baseline_sizes = {_size(s) for s in args.baseline_sizes.split(",") if s}
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    geodata = load_geodata()
    rows = []
    with tempfile.TemporaryDirectory(prefix="briefmap-bench-") as tmp:
        for n in (_size(s) for s in args.sizes.split(",")):
            row = run_size(n, Path(tmp), args, geodata)
            rows.append(row)
            print("\n".join(report(row)), flush=True)
    print("targets:")
    print("\n".join(verdicts(rows)))
    return 0


def browser_section(args) -> int:
    from bench.events_browser import run

    sizes = (
        [_size(s) for s in args.sizes.split(",")] if args.sizes != "10k,100k,300k,1m" else [100_000]
    )
    with tempfile.TemporaryDirectory(prefix="briefmap-bench-") as tmp:
        for n in sizes:
            lines = run(Path(tmp), n, args.gestures, args.filter_changes)
            print("\n".join(lines), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
