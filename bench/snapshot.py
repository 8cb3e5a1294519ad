"""Export timings: one PNG snapshot at slide size and 300 dpi (target <= 2 s) and the full
briefing pack of the default walkthrough, PPTX + PDF + HTML (target <= 30 s), in English and
in Arabic; and a PNG of the default view with 40,000 synthetic imported incidents (density
hexagons). Prints median of a few runs beside the targets, wall and CPU time (the machine may
be shared: CPU time shows the work itself).

    .venv/bin/python bench/snapshot.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, datetime

from layers.boundary import load_geodata
from layers.events import synth
from layers.events.shown import shown_events
from layers.events.store import Source, open_store
from layers.export.pack.build import build_pack
from layers.snapshot import Snapshot, render, save
from layers.view import View

WHEN = datetime(2025, 11, 23, 14, 30, tzinfo=UTC)
PNG_TARGET, PACK_TARGET = 2.0, 30.0


def _png(geodata, scene, lang: str) -> tuple[float, float]:
    """Wall time and CPU time (the machine is shared: CPU time shows the work itself)."""
    start, cpu = time.perf_counter(), time.process_time()
    fig, _ = render(Snapshot.of_scene(scene, geodata, lang, when=WHEN, dpi=300), geodata)
    save(fig, "png")
    return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    geodata = load_geodata()
    walkthrough = geodata.walkthroughs["iraq-syria-2025"]
    _png(geodata, walkthrough.scenes[0], "en")  # warm: fonts, basemap, projections
    for lang in ("en", "ar"):
        runs = [_png(geodata, s, lang) for s in walkthrough.scenes[:5]]
        wall, cpu = [r[0] for r in runs], [r[1] for r in runs]
        print(
            f"PNG snapshot, slide 300 dpi ({lang}): median {statistics.median(wall):.2f} s "
            f"(CPU {statistics.median(cpu):.2f} s), max {max(wall):.2f} s over {len(runs)} "
            f"scenes (target <= {PNG_TARGET:.0f} s)"
        )
    _incidents(geodata)
    for lang in ("en", "ar"):
        start, cpu = time.perf_counter(), time.process_time()
        pack = build_pack(walkthrough, geodata, lang, WHEN)
        took, cpu = time.perf_counter() - start, time.process_time() - cpu
        sizes = ", ".join(f"{k} {len(v) / 1e6:.1f} MB" for k, v in pack.files.items())
        print(
            f"Briefing pack, {len(walkthrough.scenes)} scenes ({lang}): {took:.1f} s "
            f"(CPU {cpu:.1f} s) "
            f"(target <= {PACK_TARGET:.0f} s); {sizes}"
        )


def _incidents(geodata) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(tmp)
        table = synth.table(40_000, seed=7)
        store.upsert(table, Source("synthetic.csv", "0" * 64, table.num_rows, "acled"))
        view = View(center=(34.6, 41.5), zoom=6)
        runs = []
        for _ in range(3):
            start, cpu = time.perf_counter(), time.process_time()
            snap = Snapshot(view, events=shown_events(store, view, geodata), when=WHEN, dpi=300)
            fig, _ = render(snap, geodata)
            save(fig, "png")
            runs.append((time.perf_counter() - start, time.process_time() - cpu))
    print(
        f"PNG snapshot with 40,000 incidents (hexagons), slide 300 dpi: median "
        f"{statistics.median(r[0] for r in runs):.2f} s (CPU "
        f"{statistics.median(r[1] for r in runs):.2f} s), loading the store included "
        f"(target <= {PNG_TARGET:.0f} s)"
    )


if __name__ == "__main__":
    main()
