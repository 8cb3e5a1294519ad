"""The source reports at run time: the cited paragraph one click away.

`load_reports` reads a reports folder, checks each file's SHA-256 against the record in
`geodata/sources.json` and splits it into paragraphs (paragraph N is the N-th non-empty line);
a file that does not match is an error that names it, never a silent wrong paragraph. A
missing folder or file only means "report not loaded". `citation_label` names a citation the
way people read it ("report 000 (outlet not named, November 2025), ¶7"); `review` lays out an
item's claims next to the paragraphs they cite for `briefmap cite`.

Report text is never stored in the repository; it is read here, when the app or the command
runs. May import: the standard library and the core records and rules (`layers.model`,
`layers.dates`, `layers.grades`, `layers.errors`, `layers.atomic`); no Streamlit.
"""

from __future__ import annotations

from layers.reports.labels import (
    citation_label,
    cited_reports,
    paragraph_ranges,
    paragraphs_label,
    reference_label,
    report_label,
    source_details,
    sources_line,
)
from layers.reports.library import Library, ReportsError, load_reports

__all__ = [
    "Library",
    "ReportsError",
    "citation_label",
    "cited_reports",
    "paragraph_ranges",
    "paragraphs_label",
    "reference_label",
    "load_reports",
    "report_label",
    "source_details",
    "sources_line",
]
