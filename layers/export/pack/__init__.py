"""Briefing packs: a walkthrough as a PPTX deck, a multi-page PDF and an offline HTML file.

Every pack has a title slide (classification, date-time group), one slide or page per scene
(its snapshot and key points; speaker notes in the PPTX notes), a legend, and a sources slide
listing every report paragraph and outside reference cited. English or Arabic (right to left).

`build.build_pack` draws each scene once and asks the format registry
(`layers.export.formats`) for the writer of each file; `writers` holds the shipped writers and
what they are given (`PackParts`); `content` is what a pack says whatever its format; `pptx`,
`pdf` and `html` lay it out. Nothing is imported here, so python-pptx loads only when a PPTX
is asked for.

May import: python-pptx, matplotlib (through `layers.snapshot`), `layers.render.standalone`,
`layers.export.formats` (build only) and the core `layers` modules. Never Streamlit or
anything that opens a connection.
"""
