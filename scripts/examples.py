"""Write the example exports shown in the README (docs/examples/): scenes 2 and 4 of the
default walkthrough as slide-size PNGs in English and Arabic, and one A4 PDF page of each.

    .venv/bin/python scripts/examples.py
"""

from __future__ import annotations

from datetime import UTC, datetime

from layers.atomic import write_bytes_atomic
from layers.boundary import load_geodata
from layers.paths import PROJECT_ROOT
from layers.snapshot import Snapshot, render, save

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


if __name__ == "__main__":
    main()
