"""The fixed words of exported products (snapshots, briefing packs) in English and Arabic.

Kept beside the exporters rather than in `layers.i18n` (the app's words): a product says more
than a screen does (disclaimer, credits, cut-off), and none of it appears in the app.
"""

from __future__ import annotations

_WORDS: dict[str, tuple[str, str]] = {
    "dtg": ("DTG", "تاريخ ووقت الإصدار"),
    "cutoff": ("Information cut-off: {d}", "آخر معلومات حتى: {d}"),
    "legend": ("On the map", "على الخريطة"),
    "highlight": ("Halo: what this scene is about", "هالة: موضوع هذا المشهد"),
    "credits": ("Credits", "الاعتمادات"),
    "credit_ne": ("Natural Earth (public domain)", "Natural Earth (ملكية عامة)"),
    "credit_geonames": ("GeoNames (CC BY 4.0)", "GeoNames (CC BY 4.0)"),
    "credit_osm": ("© OpenStreetMap contributors (ODbL)", "© مساهمو OpenStreetMap (ODbL)"),
    "credit_acled": (
        "ACLED (Armed Conflict Location & Event Data)",
        "ACLED (بيانات مواقع وأحداث النزاعات المسلحة)",
    ),
    "disclaimer": (
        "Boundaries and names are shown as Natural Earth draws them (de facto control) and "
        "imply no endorsement or position on sovereignty.",
        "الحدود والأسماء كما ترسمها Natural Earth (السيطرة الفعلية) ولا تعني تأييداً أو موقفاً "
        "من السيادة.",
    ),
    "north": ("N", "ش"),
    "km": ("km", "كم"),
    "m": ("m", "م"),
    "features_shown": ("{n} features", "{n} معلماً"),
    "incidents_shown": ("{n} imported incidents", "{n} حدثاً مستورداً"),
    "nothing_drawn": (
        "Nothing of this view lies in the frame.",
        "لا شيء من هذا العرض داخل الإطار.",
    ),
    # briefing pack
    "pack_title_note": (
        "Briefing pack · {n} scenes · built offline by briefmap",
        "حزمة إحاطة · {n} مشاهد · أُعدّت دون اتصال بواسطة briefmap",
    ),
    "legend_slide": ("Legend: what the maps show", "مفتاح الخريطة: ما تعرضه الخرائط"),
    "sources_slide": ("Sources", "المصادر"),
    "scene_n": ("Scene {n} of {total}", "المشهد {n} من {total}"),
    "notes": ("Speaker notes", "ملاحظات المتحدث"),
    "symbology": ("How to read the symbols", "كيف تُقرأ الرموز"),
    "layers_in_pack": ("Layers shown in this briefing", "الطبقات المعروضة في هذه الإحاطة"),
}


def w(key: str, lang: str, **values: object) -> str:
    en, ar = _WORDS[key]
    text = ar if lang == "ar" else en
    return text.format(**values) if values else text
