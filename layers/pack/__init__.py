"""Briefing packs: a walkthrough as a PPTX deck, a multi-page PDF and an offline HTML file.

Every pack has a title slide (classification, date-time group), one slide or page per scene
(its snapshot and key points; speaker notes in the PPTX notes), a legend, and a sources slide
listing every report paragraph and outside reference cited. English or Arabic (right to left).

May import: python-pptx, matplotlib (through `layers.snapshot`), `layers.render.standalone`
and the core `layers` modules. Never Streamlit or anything that opens a connection.
"""

from layers.pack.build import Pack, build_pack, pack_html, pack_pdf, pack_pptx

__all__ = ["Pack", "build_pack", "pack_html", "pack_pdf", "pack_pptx"]
