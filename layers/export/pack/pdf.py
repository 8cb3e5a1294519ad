"""The pack as a multi-page PDF: title page, one page per scene (its snapshot with the key
points in the side panel), the legend and the sources. Text stays text (TrueType embedded)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from layers.export.pack.content import PackContent
from layers.snapshot import furniture
from layers.snapshot.pdf_text import BACKEND as PDF_BACKEND
from layers.snapshot.render import BANNER_IN, PAGE_SIZES, RC
from layers.snapshot.text import register_fonts
from layers.snapshot.words import w


def _page(content: PackContent, size: str) -> Figure:
    fig = Figure(figsize=PAGE_SIZES[size], facecolor="white")
    furniture.banners(fig, content.marking, BANNER_IN)
    return fig


def _title_page(content: PackContent, size: str) -> Figure:
    fig = _page(content, size)
    lang = content.lang
    x = 0.94 if lang == "ar" else 0.06
    furniture.write(fig, x, 0.74, content.title, lang, 28, fontweight="bold", va="top")
    y = 0.62
    for line in furniture.fit_lines(content.description, PAGE_SIZES[size][0] * 0.85, 15, 3):
        furniture.write(fig, x, y, line, lang, 15, color=furniture.MUTED, va="top")
        y -= 0.045
    y -= 0.05
    furniture.write(fig, x, y, f"{w('dtg', lang)} {content.dtg}", lang, 18, fontweight="bold")
    furniture.write(fig, x, y - 0.07, content.marking.label, lang, 18, fontweight="bold")
    note = w("pack_title_note", lang, n=len(content.scenes))
    furniture.write(fig, x, y - 0.13, note, lang, 12, color=furniture.MUTED)
    return fig


def _legend_page(content: PackContent, size: str, descriptions: Sequence[str]) -> Figure:
    fig = _page(content, size)
    fw, fh = PAGE_SIZES[size]
    lang = content.lang
    x = 0.94 if lang == "ar" else 0.06
    furniture.write(fig, x, 0.9, w("legend_slide", lang), lang, 22, fontweight="bold", va="top")
    ax = fig.add_axes([0.06, 0.1, 0.88, 0.72])
    ax.set_xlim(0, 0.88 * fw)
    ax.set_ylim(0, 0.72 * fh)
    items = [
        type(item)(item.layer, f"{item.label} — {text}", item.colour, item.symbols, item.dash, 0)
        for item, text in zip(content.legend, descriptions, strict=True)
    ]
    furniture.legend(ax, items, content.keys, lang, counts=False)
    return fig


def _sources_page(content: PackContent, size: str) -> Figure:
    fig = _page(content, size)
    fw, _fh = PAGE_SIZES[size]
    lang = content.lang
    x = 0.94 if lang == "ar" else 0.06
    furniture.write(fig, x, 0.9, w("sources_slide", lang), lang, 22, fontweight="bold", va="top")
    y = 0.82
    for source in content.sources:
        for line in furniture.fit_lines(source, fw * 0.86, 10, 4):
            furniture.write(fig, x, y, line, lang, 10, va="top")
            y -= 0.032
        y -= 0.012
    return fig


def write_pdf(
    content: PackContent,
    scene_figures: Sequence[Figure],
    descriptions: Sequence[str],
    when: datetime,
    size: str = "slide",
) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    metadata = {
        "Title": content.title,
        "Creator": "briefmap",
        "Producer": "briefmap",
        "CreationDate": when,
    }
    with matplotlib.rc_context(RC), PdfPages(buffer, metadata=metadata) as pdf:
        pages = [_title_page(content, size), *scene_figures]
        pages += [_legend_page(content, size, descriptions), _sources_page(content, size)]
        for fig in pages:  # glyphs placed where the PNG has them (layers.snapshot.pdf_text)
            fig.savefig(pdf, format="pdf", backend=PDF_BACKEND)
    return buffer.getvalue()
