"""Build a walkthrough's briefing pack: snapshots once per scene, then PPTX, PDF and HTML."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from layers.i18n import pick
from layers.model import Geodata
from layers.pack.content import PackContent, pack_content
from layers.pack.pdf import write_pdf
from layers.pack.pptx import write_pptx
from layers.render.standalone import Page, offline_html
from layers.snapshot import Snapshot, render, save
from layers.walkthrough import Walkthrough, scene_frame

Progress = Callable[[float, str], None]
PACK_FORMATS = ("pptx", "pdf", "html")
SLIDE_DPI = 150  # snapshots on slides: 2000 × 1125 px, sharp on a 1080p projector


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
    formats: tuple[str, ...] = PACK_FORMATS,
    size: str = "slide",
    progress: Progress | None = None,
    basemap: Path | None = None,
) -> Pack:
    """MarkingError if `classification` is below what the walkthrough shows; every page then
    carries the pack's marking (the highest of all its scenes, or the one asked for)."""
    report = progress or (lambda _f, _m: None)
    content = pack_content(walkthrough, geodata, lang, when, classification)
    n = len(walkthrough.scenes)
    figures, pngs = [], []
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
        if "pptx" in formats:
            pngs.append(save(fig, "png", dpi=SLIDE_DPI))
        figures.append(fig)
    descriptions = _descriptions(content, geodata)
    files: dict[str, bytes] = {}
    report(n / (n + 2), "PPTX / PDF")
    if "pptx" in formats:
        files["pptx"] = write_pptx(content, pngs, descriptions, when)
    if "pdf" in formats:
        files["pdf"] = write_pdf(content, figures, descriptions, when, size)
    report((n + 1) / (n + 2), "HTML")
    if "html" in formats:
        files["html"] = pack_html(content, geodata, basemap).encode("utf-8")
    report(1.0, "")
    return Pack(files)


def pack_html(content: PackContent, geodata: Geodata, basemap: Path | None = None) -> str:
    pages = [
        Page(
            content.scene_title(i),
            content.scene_points(i),
            content.features[i],
            scene_frame(scene, geodata),
            tuple(geodata.feature(fid) for fid in scene.highlight),
            scene.sources,
        )
        for i, scene in enumerate(content.scenes)
    ]
    meta = f"DTG {content.dtg} · {content.description}"
    return offline_html(
        pages,
        geodata,
        content.lang,
        title=content.title,
        marking=content.marking,
        meta=meta,
        basemap=basemap,
    )


def pack_pptx(walkthrough: Walkthrough, geodata: Geodata, lang: str, when: datetime, **kw) -> bytes:
    return build_pack(walkthrough, geodata, lang, when, formats=("pptx",), **kw).files["pptx"]


def pack_pdf(walkthrough: Walkthrough, geodata: Geodata, lang: str, when: datetime, **kw) -> bytes:
    return build_pack(walkthrough, geodata, lang, when, formats=("pdf",), **kw).files["pdf"]
