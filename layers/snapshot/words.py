"""The fixed words of exported products (snapshots, briefing packs) in English and Arabic.

Kept beside the exporters rather than in `layers.i18n` (the app's words): a product says more
than a screen does (disclaimer, credits, cut-off), and none of it appears in the app.
"""

from __future__ import annotations

from layers.i18n import Counted

_WORDS: dict[str, tuple[str, str] | Counted] = {
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
    "credit_ucdp": (
        "UCDP GED (Uppsala Conflict Data Program, Georeferenced Event Dataset)",
        "UCDP GED (برنامج أوبسالا لبيانات النزاعات، مجموعة الأحداث المحددة جغرافياً)",
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
    "features_shown": Counted(
        {"one": "{n} feature", "other": "{n} features"},
        {
            "zero": "لا معالم",
            "one": "معلم واحد",
            "two": "معلمان",
            "few": "{n} معالم",
            "many": "{n} معلماً",
            "other": "{n} معلم",
        },
    ),
    "incidents_shown": Counted(
        {"one": "{n} imported incident", "other": "{n} imported incidents"},
        {
            "zero": "لا أحداث مستوردة",
            "one": "حدث مستورد واحد",
            "two": "حدثان مستوردان",
            "few": "{n} أحداث مستوردة",
            "many": "{n} حدثاً مستورداً",
            "other": "{n} حدث مستورد",
        },
    ),
    "nothing_drawn": (
        "Nothing of this view lies in the frame.",
        "لا شيء من هذا العرض داخل الإطار.",
    ),
    # briefing pack
    "pack_title_note": Counted(
        {
            "one": "Briefing pack · {n} scene · built offline by briefmap",
            "other": "Briefing pack · {n} scenes · built offline by briefmap",
        },
        {
            "zero": "حزمة إحاطة · دون مشاهد · أُعدّت دون اتصال بواسطة briefmap",
            "one": "حزمة إحاطة · مشهد واحد · أُعدّت دون اتصال بواسطة briefmap",
            "two": "حزمة إحاطة · مشهدان · أُعدّت دون اتصال بواسطة briefmap",
            "few": "حزمة إحاطة · {n} مشاهد · أُعدّت دون اتصال بواسطة briefmap",
            "many": "حزمة إحاطة · {n} مشهداً · أُعدّت دون اتصال بواسطة briefmap",
            "other": "حزمة إحاطة · {n} مشهد · أُعدّت دون اتصال بواسطة briefmap",
        },
    ),
    "legend_slide": ("Legend: what the maps show", "مفتاح الخريطة: ما تعرضه الخرائط"),
    "sources_slide": ("Sources", "المصادر"),
    "scene_n": ("Scene {n} of {total}", "المشهد {n} من {total}"),
    "notes": ("Speaker notes", "ملاحظات المتحدث"),
    "symbology": ("How to read the symbols", "كيف تُقرأ الرموز"),
    "layers_in_pack": ("Layers shown in this briefing", "الطبقات المعروضة في هذه الإحاطة"),
}


def w(key: str, lang: str, **values: object) -> str:
    word = _WORDS[key]
    if isinstance(word, Counted):  # a count in it: the form its number takes (layers.i18n)
        return word.format(lang, **values)
    en, ar = word
    text = ar if lang == "ar" else en
    return text.format(**values) if values else text
