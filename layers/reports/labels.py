"""How a citation reads: the report's number, outlet and date, and the paragraph sign.

One formatter for every place a citation is written: popups, the timeline and the presenter's
view (`citation_label`), and the exports' footers, sources slides and offline pages
(`cited_reports`: each report once, with every paragraph cited, "report 000 (outlet not
named, November 2025), ¶¶4, 8–10, 16"; `reference_label` for outside references).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from layers.dates import DateError, describe, parse_date
from layers.i18n import pick
from layers.model import Citation, Reference, Report


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


def citation_label(citation: Citation, reports: Mapping[str, Report], lang: str) -> str:
    """'report 000 (outlet not named, November 2025), ¶7' (in Arabic '…، الفقرة 7': a
    pilcrow before a number turns round in right-to-left text); a report without a record is
    named by its file."""
    return paragraphs_label(citation.report, [citation.paragraph], reports, lang)


def paragraph_ranges(paragraphs: Iterable[int], lang: str = "en") -> str:
    """'3, 4, 5, 7, 9, 10' -> '3–5, 7, 9, 10' (Arabic commas in Arabic)."""
    nums = sorted(set(paragraphs))
    runs: list[list[int]] = []
    for n in nums:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    sep = "، " if lang == "ar" else ", "
    return sep.join(f"{r[0]}–{r[-1]}" if len(r) > 2 else sep.join(map(str, r)) for r in runs)


def paragraphs_label(
    file: str, paragraphs: Iterable[int], reports: Mapping[str, Report], lang: str
) -> str:
    """Several paragraphs of one report: 'report 000 (…), ¶¶4, 8–10' ('…، الفقرات 4، 8–10');
    one paragraph reads as `citation_label` has it."""
    report = reports.get(file)
    name = report_label(report, lang) if report else file
    numbers = sorted(set(paragraphs))
    ranges = paragraph_ranges(numbers, lang)
    if lang == "ar":
        return f"{name}، {'الفقرة' if len(numbers) == 1 else 'الفقرات'} {ranges}"
    return f"{name}, {'¶' if len(numbers) == 1 else '¶¶'}{ranges}"


def cited_reports(
    citations: Iterable[Citation], reports: Mapping[str, Report], lang: str
) -> list[str]:
    """Each report cited, once, with all its paragraphs cited (`paragraphs_label`), in the
    order the reports are first cited."""
    by_report: dict[str, list[int]] = {}
    for c in citations:
        by_report.setdefault(c.report, []).append(c.paragraph)
    return [paragraphs_label(file, paras, reports, lang) for file, paras in by_report.items()]


def reference_label(reference: Reference, lang: str) -> str:
    """An outside reference: 'Title (Publisher, 2019-09-30)'."""
    comma = "، " if lang == "ar" else ", "
    return f"{reference.title} ({reference.publisher}{comma}{reference.date})"


def sources_line(
    citations: Iterable[Citation],
    references: Iterable[Reference],
    reports: Mapping[str, Report],
    lang: str,
) -> str:
    """What a map cites, on one line: 'Sources: report 000 (…), ¶¶4, 8–10; report 001 (…),
    ¶1 · Outside references: Title (Publisher, date)' ('' if nothing is cited)."""
    semi = "؛ " if lang == "ar" else "; "
    words = ("المصادر", "مراجع خارجية") if lang == "ar" else ("Sources", "Outside references")
    parts = []
    cited = cited_reports(citations, reports, lang)
    if cited:
        parts.append(f"{words[0]}: " + semi.join(cited))
    refs = [reference_label(r, lang) for r in references]
    if refs:
        parts.append(f"{words[1]}: " + semi.join(refs))
    return " · ".join(parts)


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
