"""Write the example exports shown in the README (docs/examples/): scenes 2 and 4 of the
default walkthrough as slide-size PNGs in English and Arabic, and one A4 PDF page of each; and
the default view with imported incidents as density hexagons, from the seeded synthetic
generator (`layers.events.synth`: not real events, and titled so).

    .venv/bin/python scripts/examples.py
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime

from layers.atomic import write_bytes_atomic
from layers.boundary import load_geodata
from layers.events import synth
from layers.events.shown import shown_events
from layers.events.store import Source, open_store
from layers.paths import PROJECT_ROOT
from layers.snapshot import Snapshot, render, save
from layers.view import View

WHEN = datetime(2025, 11, 23, 14, 30, tzinfo=UTC)  # fixed, so a rerun changes nothing
OUT = PROJECT_ROOT / "docs" / "examples"


def main() -> None:
    geodata = load_geodata()
    scenes = geodata.walkthroughs["iraq-syria-2025"].scenes
    for n in (2, 4):
        for lang in ("en", "ar"):
            snap = Snapshot.of_scene(scenes[n - 1], geodata, lang, when=WHEN, dpi=150)
            fig, _ = render(snap, geodata)
            write_bytes_atomic(OUT / f"scene{n}-{lang}.png", save(fig, "png"))
            print(OUT / f"scene{n}-{lang}.png")
    for lang in ("en", "ar"):
        snap = Snapshot.of_scene(scenes[3], geodata, lang, when=WHEN, size="a4")
        fig, _ = render(snap, geodata)
        write_bytes_atomic(OUT / f"scene4-a4-{lang}.pdf", save(fig, "pdf", when=WHEN))
        print(OUT / f"scene4-a4-{lang}.pdf")
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(tmp)
        table = synth.table(40_000, seed=7)
        store.upsert(table, Source("synthetic.csv", "0" * 64, table.num_rows, "acled"))
        view = View(center=(34.6, 41.5), zoom=6)
        snap = Snapshot(
            view,
            title="Imported incidents: synthetic test data, not real events",
            events=shown_events(store, view, geodata),
            when=WHEN,
            dpi=150,
        )
        fig, _ = render(snap, geodata)
        write_bytes_atomic(OUT / "incidents-en.png", save(fig, "png"))
        print(OUT / "incidents-en.png")


if __name__ == "__main__":
    main()
