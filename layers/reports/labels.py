"""How a citation reads: the report's number, outlet and date, and the paragraph sign."""

from __future__ import annotations

from layers.dates import DateError, describe, parse_date
from layers.i18n import pick
from layers.model import Citation, Report


def report_date(report: Report, lang: str) -> str:
    try:
        return describe(parse_date(report.date), lang)
    except DateError:
        return report.date


def report_label(report: Report, lang: str) -> str:
    """'report 000 (outlet not named, November 2025)'."""
    outlet = pick(report.outlet_en, report.outlet_ar, lang)
    if lang == "ar":
        return f"التقرير {report.number} ({outlet}، {report_date(report, lang)})"
    return f"report {report.number} ({outlet}, {report_date(report, lang)})"


def citation_label(citation: Citation, reports: dict[str, Report], lang: str) -> str:
    """'report 000 (outlet not named, November 2025), ¶7' (in Arabic '…، الفقرة 7': a
    pilcrow before a number turns round in right-to-left text); a report without a record is
    named by its file."""
    report = reports.get(citation.report)
    name = report_label(report, lang) if report else citation.report
    if lang == "ar":
        return f"{name}، الفقرة {citation.paragraph}"
    return f"{name}, ¶{citation.paragraph}"


def source_details(citation: Citation, report: Report, lang: str) -> list[str]:
    """The facts shown with a paragraph: its number, the outlet, the date, the file."""
    outlet = pick(report.outlet_en, report.outlet_ar, lang)
    para = "الفقرة" if lang == "ar" else "paragraph"
    number = "التقرير" if lang == "ar" else "report"
    return [
        f"{para} {citation.paragraph}",
        f"{number} {report.number}",
        outlet,
        report_date(report, lang),
        report.file,
    ]
