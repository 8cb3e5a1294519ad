"""Build a walkthrough's briefing pack: snapshots once per scene, then each file asked for
(PPTX, PDF, HTML: every format the registry gives a pack writer, `layers.export.formats`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from layers.export import formats
from layers.export.pack.content import PackContent, pack_content
from layers.export.pack.writers import SLIDE_DPI, PackParts
from layers.i18n import pick
from layers.model import Geodata
from layers.snapshot import Snapshot, render
from layers.walkthrough import Walkthrough

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Pack:
    files: dict[str, bytes]  # format -> bytes, for the formats asked for


def _descriptions(content: PackContent, geodata: Geodata) -> list[str]:
    return [
        pick(
            geodata.layers[i.layer].description_en,
            geodata.layers[i.layer].description_ar,
            content.lang,
        )
        for i in content.legend
    ]


def build_pack(
    walkthrough: Walkthrough,
    geodata: Geodata,
    lang: str,
    when: datetime,
    *,
    classification: str | None = None,
    formats: tuple[str, ...] | None = None,
    size: str = "slide",
    progress: Progress | None = None,
    basemap: Path | None = None,
) -> Pack:
    """`formats`: the files to make (default: every pack format of the registry). MarkingError
    if `classification` is below what the walkthrough shows; every page then carries the
    pack's marking (the highest of all its scenes, or the one asked for)."""
    chosen = formats_of_pack(formats)
    report = progress or (lambda _f, _m: None)
    content = pack_content(walkthrough, geodata, lang, when, classification)
    n = len(walkthrough.scenes)
    figures = []
    for i, scene in enumerate(walkthrough.scenes):
        report(i / (n + 2), content.scene_title(i))
        snap = Snapshot.of_scene(
            scene,
            geodata,
            lang,
            size=size,
            dpi=SLIDE_DPI,
            when=when,
            classification=content.marking.label,
            points=content.scene_points(i),
            basemap=basemap,
        )
        fig, _ = render(snap, geodata)
        figures.append(fig)
    descriptions = _descriptions(content, geodata)
    parts = PackParts(content, geodata, when, size, figures, descriptions, basemap)
    files: dict[str, bytes] = {}
    for k, fmt in enumerate(chosen):
        report((n + 2 * k / len(chosen)) / (n + 2), fmt.name.upper())
        assert fmt.pack is not None  # formats_of_pack keeps only those
        files[fmt.name] = fmt.pack(parts)
    report(1.0, "")
    return Pack(files)


def formats_of_pack(names: tuple[str, ...] | None) -> list[formats.Format]:
    """The pack formats asked for, in the registry's order (default: all of them);
    ProductError for a format that makes no pack file."""
    if names is None:
        return list(formats.pack_formats())
    for name in names:
        if formats.get(name).pack is None:
            raise formats.ProductError(
                f"a pack is made of {formats.words(formats.pack_names())}, not {name}"
            )
    return [f for f in formats.pack_formats() if f.name in names]
