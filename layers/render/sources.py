"""A citation as HTML that opens the cited paragraph: the Arabic original, right to left, with
its number, the report's outlet, date and file, beside our summary.

Used by the map's popups (a `<details>` toggle) and by the dashboard's timeline and presenter
view (the body inside a Streamlit expander). Paragraph text comes from a verified
`layers.reports.Library` at run time and is escaped like any other data; without the report the
citation says so. A library published for the browser (`Publisher.publish_reports`) gives the map
a local URL instead of the text: the popup fetches the paragraph when its citation is opened, so
the map does not carry every paragraph of every popup. File names and grades are isolated left
to right (`<bdi>`) so that Arabic text around them does not reorder them.
"""

from __future__ import annotations

from layers.grades import describe_grade, is_grade
from layers.i18n import t
from layers.model import Citation, Geodata
from layers.render.escape import esc
from layers.reports import Library, citation_label, source_details


def ltr(text: str) -> str:
    """Text that must read left to right inside right-to-left text (files, MGRS, numbers)."""
    return f'<bdi dir="ltr">{esc(text)}</bdi>'


def grade_html(grade: str, lang: str) -> str:
    """'B2' that says its meaning on hover ('Usually reliable; probably true')."""
    title = describe_grade(grade, lang) if is_grade(grade) else grade
    return f'<abbr class="bm-grade" title="{esc(title)}">{ltr(grade)}</abbr>'


def paragraph_html(citation: Citation, geodata: Geodata, reports: Library | None, lang: str) -> str:
    """The cited paragraph (or why it is not shown), then its number, report, outlet, date and
    file."""
    report = geodata.reports.get(citation.report)
    text = reports.paragraph(citation) if reports is not None else None
    if text is None:
        body = (
            f'<div class="bm-para-missing">{esc(t("report_not_loaded", lang))} '
            f"{ltr('briefmap serve --reports DIR')}</div>"
        )
    else:
        language = report.language if report else "ar"
        direction = "rtl" if language == "ar" else "ltr"
        url = reports.url(citation)  # type: ignore[union-attr]
        lazy = f' data-src="{esc(url)}" data-missing="{esc(t("report_not_loaded", lang))}"'
        body = (
            f'<blockquote class="bm-para" dir="{direction}" lang="{esc(language)}" '
            f'data-report="{esc(citation.report)}" data-paragraph="{citation.paragraph}"'
            f"{lazy if url else ''}>{'' if url else esc(text)}</blockquote>"
        )
    if report is None:
        return body
    *words, file = source_details(citation, report, lang)
    meta = " · ".join([*(esc(w) for w in words), ltr(file)])
    return f'{body}<div class="bm-para-meta">{meta}</div>'


def source_html(citation: Citation, geodata: Geodata, reports: Library | None, lang: str) -> str:
    """One citation that opens its paragraph on click."""
    label = citation_label(citation, dict(geodata.reports), lang)
    return (
        f'<details class="bm-source" data-report="{esc(citation.report)}" '
        f'data-paragraph="{citation.paragraph}"><summary>{esc(label)}</summary>'
        f"{paragraph_html(citation, geodata, reports, lang)}</details>"
    )
