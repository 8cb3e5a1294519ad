"""Where a claim comes from, said honestly: one originator seen through N reports is one source.

Both reports retell the same Washington Institute report, so a claim cited from both is shown as
"Washington Institute for Near East Policy via 2 reports — B2", never as two sources.
"""

from __future__ import annotations

from layers.i18n import pick, t
from layers.model import Feature, Geodata


def provenance_source(feature: Feature, geodata: Geodata, lang: str = "en") -> str:
    """'Washington Institute for Near East Policy via 2 reports' (without the grade)."""
    origin = geodata.originators[feature.originator]
    name = pick(origin.name_en, origin.name_ar, lang)
    n = len(feature.reports)
    if n == 0:
        via = t("no_report", lang)
    elif n == 1:
        via = t("via_report", lang)
    elif n == 2:
        via = t("via_two_reports", lang)
    else:
        via = t("via_reports", lang, n=n)
    return f"{name} {via}"
