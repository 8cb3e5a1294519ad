"""UI words in English and Arabic. Data carries its own names in both languages; this module
holds only the interface's fixed words, so that every label switches with the language."""

from __future__ import annotations

LANGS = ("en", "ar")

_WORDS: dict[str, tuple[str, str]] = {
    # popup field labels
    "actors": ("Actors", "الأطراف"),
    "date": ("Date", "التاريخ"),
    "location": ("Location", "الموقع"),
    "source": ("Source", "المصدر"),
    "coordinates": ("Coordinates", "الإحداثيات"),
    "centre": ("centre", "المركز"),
    "citations": ("Citations", "الاستشهادات"),
    "references": ("Outside reference", "مرجع خارجي"),
    "status": ("Status", "الحالة"),
    "conflict": ("Sources disagree", "تعارض بين المصادر"),
    "undated": ("undated", "غير مؤرخ"),
    "paragraph": ("paragraph", "الفقرة"),
    "via_two_reports": ("via 2 reports", "عبر تقريرين"),
    "via_reports": ("via {n} reports", "عبر {n} تقارير"),
    "via_report": ("via 1 report", "عبر تقرير واحد"),
    "no_report": ("not from the reports", "ليس من التقريرين"),
    "as_of": ("as of", "حتى"),
    # claim types
    "claim_fact": ("fact", "واقعة"),
    "claim_judgement": ("judgement", "تقدير"),
    "claim_scenario": ("scenario (hypothetical)", "سيناريو (افتراضي)"),
    "claim_background": ("background (outside reference)", "خلفية (مرجع خارجي)"),
    # precision
    "precision_exact": ("exact", "دقيق"),
    "precision_approximate": ("approximate", "تقريبي"),
    "precision_region": ("region", "منطقة"),
    "precision_notional": ("notional", "رمزي"),
    # date basis
    "basis_reference": ("date from outside reference", "التاريخ من مرجع خارجي"),
    "basis_inferred": ("date inferred", "التاريخ مستنتج"),
    # pipeline status
    "status_operating": ("operating", "عامل"),
    "status_idle": ("idle", "متوقف"),
    "status_damaged": ("damaged", "متضرر"),
    "status_proposed-rehabilitation": ("proposed for rehabilitation", "مقترح لإعادة التأهيل"),
    "status_planned": ("planned", "مخطط"),
    "status_hypothetical": ("hypothetical", "افتراضي"),
}


def t(key: str, lang: str, **values: object) -> str:
    en, ar = _WORDS[key]
    text = ar if lang == "ar" else en
    return text.format(**values) if values else text


def pick(en: str, ar: str, lang: str) -> str:
    """The value in the wanted language (data always has both)."""
    return ar if lang == "ar" else en
