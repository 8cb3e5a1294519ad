"""The pack as a PowerPoint deck (python-pptx): title, one slide per scene, legend, sources.

python-pptx has no right-to-left API: Arabic paragraphs get `rtl="1"` and `algn="r"` on their
`a:pPr`, and runs name Noto Sans Arabic as their complex-script font (`a:cs`). Their text is
the one the snapshots draw (`layers.snapshot.text.bidi`): a right-to-left mark first and each
Latin run — file names, dates, ranges such as 1–5, names — isolated (LRI … PDI), so the
viewer's bidi algorithm keeps a range in order and a file name whole instead of turning the
digits next to Arabic into Arabic numbers (5–1, 000 _0f03…).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from layers.export.pack.content import PackContent
from layers.snapshot.text import bidi
from layers.snapshot.words import w

SLIDE_W, SLIDE_H = Inches(40 / 3), Inches(7.5)
BANNER = Inches(0.3)
INK, MUTED = RGBColor(0x1F, 0x1F, 0x1F), RGBColor(0x55, 0x55, 0x55)
ARABIC_FONT = "Noto Sans Arabic"


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _banners(slide, content: PackContent) -> None:
    m = content.marking
    for top in (0, SLIDE_H - BANNER):
        box = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, top, SLIDE_W, BANNER)
        box.fill.solid()
        box.fill.fore_color.rgb = _rgb(m.background)
        box.line.fill.background()
        tf = box.text_frame
        tf.margin_top = tf.margin_bottom = 0
        tf.vertical_anchor = MSO_ANCHOR.MIDDLE
        p = tf.paragraphs[0]
        p.alignment = PP_ALIGN.CENTER
        run = p.add_run()
        run.text = m.label
        run.font.size, run.font.bold = Pt(14), True
        run.font.color.rgb = _rgb(m.foreground)


def _text_box(slide, x, y, width, height):
    tf = slide.shapes.add_textbox(x, y, width, height).text_frame
    tf.word_wrap = True
    return tf


def paragraph(tf, text: str, lang: str, size: float, *, bold=False, colour=INK, first=False):
    """One paragraph; in Arabic marked right to left and right-aligned in the XML."""
    p = tf.paragraphs[0] if first else tf.add_paragraph()
    run = p.add_run()
    run.text = bidi(text, lang)
    run.font.size, run.font.bold = Pt(size), bold
    run.font.color.rgb = colour
    if lang == "ar":
        ppr = p._p.get_or_add_pPr()
        ppr.set("rtl", "1")
        ppr.set("algn", "r")
        rpr = run._r.get_or_add_rPr()
        for tag in ("a:latin", "a:cs"):
            etree.SubElement(rpr, qn(tag)).set("typeface", ARABIC_FONT)
    return p


def _title_slide(prs, content: PackContent, when: datetime) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _banners(slide, content)
    lang = content.lang
    tf = _text_box(slide, Inches(0.8), Inches(1.6), SLIDE_W - Inches(1.6), Inches(4.5))
    paragraph(tf, content.title, lang, 36, bold=True, first=True)
    paragraph(tf, content.description, lang, 18, colour=MUTED)
    paragraph(tf, "", lang, 12)
    paragraph(tf, f"{w('dtg', lang)} {content.dtg}", lang, 20, bold=True)
    paragraph(tf, content.marking.label, lang, 20, bold=True)
    paragraph(tf, w("pack_title_note", lang, n=len(content.scenes)), lang, 14, colour=MUTED)


def _scene_slide(prs, content: PackContent, i: int, png: bytes) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _banners(slide, content)
    lang, rtl = content.lang, content.lang == "ar"
    margin, top = Inches(0.3), BANNER + Inches(0.15)
    pic_w = Inches(8.9)
    pic_h = Emu(int(pic_w * 7.5 / (40 / 3)))
    text_w = SLIDE_W - pic_w - 3 * margin
    pic_x = SLIDE_W - margin - pic_w if rtl else margin
    text_x = margin if rtl else pic_x + pic_w + margin
    slide.shapes.add_picture(io.BytesIO(png), pic_x, top + Inches(0.5), pic_w, pic_h)
    head = _text_box(slide, margin, top, SLIDE_W - 2 * margin, Inches(0.5))
    paragraph(head, content.scene_title(i), lang, 22, bold=True, first=True)
    tf = _text_box(slide, text_x, top + Inches(0.6), text_w, pic_h)
    counter = w("scene_n", lang, n=i + 1, total=len(content.scenes))
    paragraph(tf, counter, lang, 12, colour=MUTED, first=True)
    for point in content.scene_points(i):
        paragraph(tf, "• " + point, lang, 16)
    notes = slide.notes_slide.notes_text_frame
    notes.text = bidi(content.scene_notes(i), lang)
    if lang == "ar":
        ppr = notes.paragraphs[0]._p.get_or_add_pPr()
        ppr.set("rtl", "1")
        ppr.set("algn", "r")


def _legend_slide(prs, content: PackContent, descriptions: Sequence[str]) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _banners(slide, content)
    lang, rtl = content.lang, content.lang == "ar"
    x, y = Inches(0.6), BANNER + Inches(0.2)
    head = _text_box(slide, x, y, SLIDE_W - 2 * x, Inches(0.6))
    paragraph(head, w("legend_slide", lang), lang, 26, bold=True, first=True)
    y += Inches(0.8)
    row = Inches(0.42)
    for item, text in zip(content.legend, descriptions, strict=True):
        sx = SLIDE_W - x - Inches(0.3) if rtl else x
        swatch = slide.shapes.add_shape(
            MSO_SHAPE.OVAL if item.symbols == ("point",) else MSO_SHAPE.RECTANGLE,
            sx,
            y + Inches(0.08),
            Inches(0.25),
            Inches(0.2),
        )
        swatch.fill.solid()
        swatch.fill.fore_color.rgb = _rgb(item.colour)
        swatch.line.color.rgb = _rgb(item.colour)
        tx = x if rtl else x + Inches(0.45)
        tf = _text_box(slide, tx, y, SLIDE_W - 2 * x - Inches(0.45), row)
        paragraph(tf, f"{item.label} — {text}", lang, 13, first=True)
        y += row
    keys = _text_box(slide, x, y + Inches(0.1), SLIDE_W - 2 * x, SLIDE_H - y - Inches(0.6))
    paragraph(keys, w("symbology", lang), lang, 15, bold=True, first=True)
    for key in content.keys:
        paragraph(keys, "• " + key, lang, 13, colour=MUTED)


def _sources_slide(prs, content: PackContent) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _banners(slide, content)
    lang = content.lang
    x = Inches(0.6)
    tf = _text_box(slide, x, BANNER + Inches(0.2), SLIDE_W - 2 * x, SLIDE_H - Inches(1.2))
    paragraph(tf, w("sources_slide", lang), lang, 26, bold=True, first=True)
    size = 14 if len(content.sources) <= 10 else 11
    for line in content.sources:
        paragraph(tf, line, lang, size)


def write_pptx(
    content: PackContent, scene_pngs: Sequence[bytes], descriptions: Sequence[str], when: datetime
) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    props = prs.core_properties
    props.title, props.author = content.title, "briefmap"
    props.created = props.modified = when.replace(tzinfo=None)
    props.last_modified_by = "briefmap"
    props.revision = 1
    _title_slide(prs, content, when)
    for i, png in enumerate(scene_pngs):
        _scene_slide(prs, content, i, png)
    _legend_slide(prs, content, descriptions)
    _sources_slide(prs, content)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
