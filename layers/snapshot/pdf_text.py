"""PDF output whose text sits where the PNG's does.

matplotlib 3.11's PDF backend shapes a line with libraqm, as Agg does, but then writes the
glyphs of each font run as one `TJ` string and lets the PDF viewer advance the pen by each
glyph's own width: libraqm's positions are used only where the font changes. Where they
differ — the zero-width bidi marks and isolates of an Arabic line (`layers.snapshot.text`),
mirrored brackets, a fallback font between runs — spaces vanish, brackets land on digits and
Latin runs drift («(2», «منذ 2013قاتلت»). This backend writes each glyph at the position
libraqm gave it (a `Td` per glyph), so the PDF draws exactly the PNG's line and its text
stays text (selectable, searchable: each glyph still maps back to its characters).

Use it as `fig.savefig(f, format="pdf", backend=BACKEND)`, a `PdfPages` object too.
"""

from __future__ import annotations

import math

import matplotlib as mpl
from matplotlib import _text_helpers
from matplotlib.backends import backend_pdf
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.font_manager import FontPath

BACKEND = "module://layers.snapshot.pdf_text"
Op = backend_pdf.Op


class RendererPdf(backend_pdf.RendererPdf):
    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or mpl.rcParams["pdf.use14corefonts"]:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        self.check_gc(gc, gc._rgb)
        fontsize = prop.get_size_in_points()
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        font = self._get_font_ttf(prop)
        fonttype = mpl.rcParams["pdf.fonttype"]
        out = self.file.output
        a = math.radians(angle)
        out(Op.gsave)
        out(math.cos(a), math.sin(a), -math.sin(a), math.cos(a), x, y, Op.concat_matrix)
        out(Op.begin_text)
        current, px, py = None, 0.0, 0.0
        for item in _text_helpers.layout(s, font, features=features, language=language):
            subset, code = self.file._character_tracker.track_glyph(
                item.ft_object, item.char, item.glyph_index
            )
            if (item.ft_object, subset) != current:
                path = FontPath(item.ft_object.fname, item.ft_object.face_index)
                out(self.file.fontName(path, subset), fontsize, Op.selectfont)
                current = (item.ft_object, subset)
            out(item.x - px, item.y - py, Op.textpos)  # Td: relative to the last glyph
            px, py = item.x, item.y
            out([self._encode_glyphs([code], fonttype)], Op.showkern)
        out(Op.end_text)
        out(Op.grestore)
        if gc.get_url() is not None:
            font.set_text(s, features=features, language=language)
            width, height = font.get_width_height()
            self.file._annotations[-1][1].append(
                backend_pdf._get_link_annotation(gc, x, y, width / 64, height / 64, angle)
            )
        return None


class FigureCanvasPdf(backend_pdf.FigureCanvasPdf):
    """matplotlib's PDF canvas drawing with the renderer above."""

    def print_pdf(self, filename, *, bbox_inches_restore=None, metadata=None, **_ignored):
        # print_figure hands a third party's print method every savefig option (dpi,
        # facecolor …); it has already applied them to the figure, as for matplotlib's own.
        dpi = self.figure.dpi
        self.figure.dpi = 72  # 72 PDF points to an inch
        width, height = self.figure.get_size_inches()
        pages = isinstance(filename, backend_pdf.PdfPages)
        file = filename._ensure_file() if pages else backend_pdf.PdfFile(filename, metadata)
        try:
            file.newPage(width, height)
            renderer = MixedModeRenderer(
                self.figure,
                width,
                height,
                dpi,
                RendererPdf(file, dpi, height, width),
                bbox_inches_restore=bbox_inches_restore,
            )
            self.figure.draw(renderer)
            renderer.finalize()
            if not pages:
                file.finalize()
        finally:
            if pages:
                file.endStream()
            else:
                file.close()


FigureCanvas = FigureCanvasPdf
