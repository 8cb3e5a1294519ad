"""Arabic PDFs read as the PNGs of the same pages: the page is rendered to PNG (Agg) and to
PDF, the PDF rasterised with poppler's `pdftoppm` at the same resolution, and the text rows of
each region compared as ink (`tests.inkrows`). matplotlib's own PDF writer drew these lines
with lost spaces, brackets over digits and Latin runs moved; every region below failed then."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from layers.export.pack import pdf as pack_pdf
from layers.export.pack.build import _descriptions
from layers.export.pack.content import pack_content
from layers.snapshot import Snapshot, render, save
from layers.snapshot.render import INSET_IN, PAGE_SIZES, RC, layout
from tests.inkrows import row_differences

WHEN = datetime(2025, 11, 23, 14, 30, tzinfo=UTC)
DPI = 180  # a whole number of pixels across a 13⅓-inch slide: the two rasters align
SCENES = (2, 3, 8)  # a camp and its actors; the crossing (file names, dates); the sources


def _raster(pdf: bytes, tmp: Path, page: int = 1) -> np.ndarray:
    """Page `page` of a PDF as poppler draws it at DPI."""
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm is missing: install Debian's poppler-utils (make system-deps)")
    src = tmp / "page.pdf"
    src.write_bytes(pdf)
    out = tmp / f"page-{page}"
    cmd = ["pdftoppm", "-r", str(DPI), "-f", str(page), "-l", str(page), "-png", "-singlefile"]
    subprocess.run([*cmd, str(src), str(out)], check=True, capture_output=True)
    return np.asarray(Image.open(f"{out}.png").convert("RGB"))


def _png(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def _pixels(rect, shape) -> tuple[int, int, int, int]:
    """A box in figure fractions as pixel bounds (y from the top)."""
    h, w = shape[:2]
    return (int(rect[0] * w), int(h - rect[3] * h), int(rect[2] * w) + 1, int(h - rect[1] * h) + 1)


def _regions(lang: str) -> dict[str, tuple[float, float, float, float]]:
    lay = layout("slide", lang)
    x0, y0, x1, y1 = lay.panel
    above_inset = y0 + (INSET_IN + 0.1) / PAGE_SIZES["slide"][1]
    return {"title block": lay.header, "legend": (x0, above_inset, x1, y1), "footer": lay.footer}


@pytest.mark.parametrize(("n", "lang"), [*((n, "ar") for n in SCENES), (3, "en")])
def test_scene_pdf_reads_as_its_png(geodata, tmp_path, n, lang):
    """Title block, legend and footer of a scene: Arabic, and English (same writer)."""
    scene = geodata.walkthroughs["iraq-syria-2025"].scenes[n - 1]
    snap = Snapshot.of_scene(scene, geodata, lang, when=WHEN, dpi=DPI)
    fig, _ = render(snap, geodata)
    png, pdf = _png(save(fig, "png")), _raster(save(fig, "pdf"), tmp_path)
    assert png.shape == pdf.shape
    found = {
        name: row_differences(png, pdf, _pixels(rect, png.shape), wide=4)
        for name, rect in _regions(lang).items()
    }
    assert found == {name: [] for name in found}


def test_the_comparison_sees_a_lost_space_and_a_moved_bracket(tmp_path):
    """The measure itself: one line drawn twice, the second with a space dropped, or with
    its bracket moved onto the digit, is told apart; the same line twice is not."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from layers.snapshot.furniture import write

    def draw(text):
        import matplotlib

        with matplotlib.rc_context(RC):
            fig = Figure(figsize=(4, 0.5), dpi=DPI, facecolor="white")
            FigureCanvasAgg(fig)
            write(fig, 0.95, 0.3, text, "ar", 10)
            return _png(save(fig, "png"))

    same = draw("منذ 2013 قاتلت (2)")
    box = (0, 0, same.shape[1], same.shape[0])
    assert row_differences(same, draw("منذ 2013 قاتلت (2)"), box, wide=4) == []
    assert row_differences(same, draw("منذ 2013قاتلت (2)"), box, wide=4)
    assert row_differences(same, draw("منذ 2013 قاتلت 2)"), box, wide=4)


@pytest.fixture(scope="module")
def arabic_pack(geodata):
    walkthrough = geodata.walkthroughs["iraq-syria-2025"]
    content = pack_content(walkthrough, geodata, "ar", WHEN, None)
    return content, _descriptions(content, geodata)


def test_arabic_pack_pdf_pages_read_as_their_pngs(arabic_pack, tmp_path):
    """The pack's own PDF (title, legend and sources pages; scenes are covered above) against
    the PNG of each page."""
    content, descriptions = arabic_pack
    pdf = pack_pdf.write_pdf(content, [], descriptions, WHEN)
    pages = {
        "title": pack_pdf._title_page(content, "slide"),
        "legend": pack_pdf._legend_page(content, "slide", descriptions),
        "sources": pack_pdf._sources_page(content, "slide"),
    }
    found = {}
    for number, (name, fig) in enumerate(pages.items(), start=1):
        png = _png(save(fig, "png", dpi=DPI))
        raster = _raster(pdf, tmp_path, number)
        assert png.shape == raster.shape, name
        found[name] = row_differences(png, raster, (0, 0, png.shape[1], png.shape[0]), wide=4)
    assert found == {name: [] for name in found}
