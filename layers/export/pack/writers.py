"""What a briefing pack's files are made from (`PackParts`: the content, each scene's drawn
figure, and its slide picture when a format asks for one), and the writers of the shipped pack
formats (PPTX, PDF, HTML). The format registry (`layers.export.formats`) names a writer for
every format a pack can hold; `layers.export.pack.build` calls them.

May import: `layers.export.pack.content`, `.pdf`, `.html`, `layers.snapshot`; `.pptx`
(python-pptx) only inside its writer, when a PPTX is asked for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path

from matplotlib.figure import Figure

from layers.export.pack.content import PackContent
from layers.export.pack.html import pack_html
from layers.export.pack.pdf import write_pdf
from layers.model import Geodata
from layers.snapshot import save

SLIDE_DPI = 150  # snapshots on slides: 2000 × 1125 px, sharp on a 1080p projector


@dataclass
class PackParts:
    content: PackContent
    geodata: Geodata
    when: datetime
    size: str
    figures: list[Figure]  # one per scene, drawn once for every format
    descriptions: list[str]  # what each legend symbol means, in the pack's language
    basemap: Path | None = None

    @cached_property
    def pngs(self) -> list[bytes]:
        """Each scene's picture for a slide (made only when a format asks for it)."""
        return [save(fig, "png", dpi=SLIDE_DPI) for fig in self.figures]


def pptx_pack(parts: PackParts) -> bytes:
    from layers.export.pack.pptx import write_pptx  # python-pptx only when a PPTX is asked for

    return write_pptx(parts.content, parts.pngs, parts.descriptions, parts.when)


def pdf_pack(parts: PackParts) -> bytes:
    return write_pdf(parts.content, parts.figures, parts.descriptions, parts.when, parts.size)


def html_pack(parts: PackParts) -> bytes:
    return pack_html(parts.content, parts.geodata, parts.basemap).encode("utf-8")
