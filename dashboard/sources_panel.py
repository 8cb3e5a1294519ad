"""Citations that open their paragraph, in the timeline and the presenter's view.

Each citation is a Streamlit expander labelled the way people read it ("report 000 (outlet not
named, November 2025), ¶7"); opening it shows the Arabic paragraph right to left with its
number, outlet, date and file (`layers.render.sources`, escaped HTML), or says that the report
is not loaded. Labels go through `md`, HTML through `esc`.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from dashboard import access, data
from dashboard.markup import html_block
from layers.access import Capability
from layers.i18n import t
from layers.model import Citation, Geodata
from layers.render.escape import esc, md
from layers.render.sources import paragraph_html
from layers.reports import citation_label


def citation_expanders(citations: Sequence[Citation], geodata: Geodata, lang: str) -> None:
    """One expander per citation, closed; opening it shows the cited paragraph (to analysts
    and presenters: a viewer sees which paragraph, not its text)."""
    library, _problem = data.reports()
    reports = dict(geodata.reports)
    reading = access.may(Capability.READ_SOURCES)
    for c in citations:
        with st.expander(md(citation_label(c, reports, lang))):
            if not reading:
                st.caption(t("sources_need_role", lang))
                continue
            html = paragraph_html(c, geodata, library, lang)
            html_block(f'<div class="bm-cited">{html}</div>')


def citation_line(citations: Sequence[Citation], geodata: Geodata, lang: str) -> str:
    """The citations as one line of escaped HTML, for a reader who may not open them (a
    viewer): which paragraphs, without an expander each that could only say so."""
    reports = dict(geodata.reports)
    labels = " · ".join(esc(citation_label(c, reports, lang)) for c in citations)
    why = esc(t("sources_need_role", lang))
    return f'<div class="bm-tl-cites" title="{why}">{labels}</div>'


def reports_notice(lang: str) -> None:
    """Say once, at the top, if the reports folder failed verification."""
    _library, problem = data.reports()
    if problem:
        st.error(md(t("reports_problem", lang)))
        st.code(problem, language=None)


SOURCES_CSS = """
<style>
.bm-cited .bm-para { margin: 0 0 4px; padding: 6px 10px; background: #f6f3ea;
  border-inline-start: 3px solid #8c6d1f; font-size: 1rem; line-height: 1.7; }
.bm-cited .bm-para[dir="rtl"] { text-align: right; }
.bm-cited .bm-para-meta { font-size: 0.8rem; color: #555; }
.bm-cited .bm-para-missing { font-size: 0.9rem; color: #7a4a00; background: #fff4d6;
  padding: 4px 8px; }
.bm-tl-source { font-size: 0.85rem; color: #555; }
.bm-tl-cites { font-size: 0.8rem; color: #555; margin: 2px 0 4px; }
.bm-tl-text { font-size: 0.9rem; color: #555; margin: 2px 0; }
abbr.bm-grade { text-decoration: underline dotted; cursor: help; }
</style>
"""
