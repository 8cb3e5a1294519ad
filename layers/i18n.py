"""UI words in English and Arabic. Data carries its own names in both languages; this module
holds only the interface's fixed words, so that every label switches with the language.

A word with a count in it is a `Counted`: its forms by CLDR plural category (babel's rules).
Arabic has six: "zero", "one", "two", "few" (3–10 and n % 100 in 3–10: a plural noun in the
genitive, «5 معالم»), "many" (11–99: a singular noun in the accusative, «11 معلماً») and
"other" (100, 1000, …: a singular noun in the genitive, «100 معلم»); English has "one" and
"other". `t()` picks the form from the count, so a caller passes the number as for any word.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from babel import Locale

LANGS = ("en", "ar")
CATEGORIES = {"en": ("one", "other"), "ar": ("zero", "one", "two", "few", "many", "other")}


@lru_cache(maxsize=4)
def _plural_rule(lang: str):
    return Locale.parse(lang).plural_form


def plural_category(count: int, lang: str) -> str:
    """The CLDR plural category of `count` in `lang`: 'zero', 'one', 'two', 'few', 'many' or
    'other' (babel's copy of the CLDR rules)."""
    return _plural_rule(lang)(abs(count))


@dataclass(frozen=True)
class Counted:
    """A phrase with a counted noun: its forms in each language by plural category.
    `by` names the value whose number picks the form (it may be given as text: "1,234")."""

    en: dict[str, str]
    ar: dict[str, str]
    by: str = "n"

    def format(self, lang: str, **values: object) -> str:
        forms = self.ar if lang == "ar" else self.en
        count = _as_count(values[self.by])
        return forms[plural_category(count, lang)].format(**values)


def _as_count(value: object) -> int:
    if isinstance(value, int):
        return value
    return int(str(value).replace(",", "").replace("٬", "").strip())


_WORDS: dict[str, tuple[str, str] | Counted] = {
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
    "report_not_loaded": (
        "Report not loaded, so the paragraph cannot be shown here: start with",
        "التقرير غير محمّل، فلا يمكن عرض الفقرة هنا: شغّل البرنامج بالأمر",
    ),
    "reports_problem": (
        "The reports folder could not be verified; citations show no paragraphs.",
        "تعذّر التحقق من مجلد التقريرين؛ لا تُعرض الفقرات المستشهد بها.",
    ),
    "sources_label": ("Sources", "المصادر"),
    "via_two_reports": ("via 2 reports", "عبر تقريرين"),
    "via_reports": Counted(
        {"one": "via {n} report", "other": "via {n} reports"},
        {
            "zero": "دون تقارير",
            "one": "عبر تقرير واحد",
            "two": "عبر تقريرين",
            "few": "عبر {n} تقارير",
            "many": "عبر {n} تقريراً",
            "other": "عبر {n} تقرير",
        },
    ),
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
    # map controls
    "measure": ("Measure a distance: click two points", "قياس مسافة: انقر نقطتين"),
    "km": ("km", "كم"),
    "m": ("m", "م"),
    "metres": ("m", "م"),
    "zoom_in": ("Zoom in", "تكبير"),
    "zoom_out": ("Zoom out", "تصغير"),
    # dashboard
    "choose": ("Any — choose to narrow", "الكل — اختر للتضييق"),
    "attribution": (
        "Natural Earth (public domain) · GeoNames (CC BY 4.0)",
        "Natural Earth (ملكية عامة) · GeoNames (CC BY 4.0)",
    ),
    "app_title": (
        "Iraq–Syria security after the fall of Assad",
        "الأمن العراقي السوري بعد سقوط الأسد",
    ),
    "language": ("Language", "اللغة"),
    "search": ("Find a place or actor", "ابحث عن مكان أو طرف"),
    "search_help": ("English or Arabic name or alias", "اسم أو اسم بديل بالعربية أو الإنكليزية"),
    "no_hits": ("No place or actor by that name", "لا مكان ولا طرف بهذا الاسم"),
    "filters": ("Filters", "عوامل التصفية"),
    "actors_label": ("Actors", "الأطراف"),
    "types_label": ("Incident and feature types", "أنواع الأحداث والمعالم"),
    "dates_label": ("Date range", "المدة الزمنية"),
    "undated_label": ("Show undated places and areas", "إظهار الأماكن والمناطق غير المؤرخة"),
    "in_view_label": ("Only what is in the map view", "ما يظهر في إطار الخريطة فقط"),
    "layers": ("Layers", "الطبقات"),
    "theme_security": ("Security", "الأمن"),
    "theme_economy": ("Economy", "الاقتصاد"),
    "theme_politics": ("Politics", "السياسة"),
    "theme_context": ("Context", "السياق"),
    "theme_scenarios": ("Scenarios (hypothetical)", "السيناريوهات (افتراضية)"),
    "download": ("Download this view", "تنزيل هذا العرض"),
    # exports (dashboard/exports.py)
    "export_format": ("Format", "الصيغة"),
    "export_size": ("Page", "الصفحة"),
    "size_slide": ("16:9 slide", "شريحة 16:9"),
    "size_a4": ("A4 landscape", "A4 أفقي"),
    "size_letter": ("Letter landscape", "Letter أفقي"),
    "export_marking": ("Marking (banner)", "التصنيف (الشريط)"),
    "export_marking_help": (
        "Empty: the highest marking of the data shown. A lower one is refused.",
        "فارغ: أعلى تصنيف للبيانات المعروضة. يُرفض التصنيف الأدنى منه.",
    ),
    "export_build": ("Build the file", "أنشئ الملف"),
    "pack_build": (
        "Build the briefing pack (PPTX, PDF, HTML)",
        "أنشئ حزمة الإحاطة (PPTX وPDF وHTML)",
    ),
    "pack_building": ("Building the pack…", "جارٍ إنشاء الحزمة…"),
    "link": ("Link to this view", "رابط هذا العرض"),
    "link_help": (
        "Copy it with the button at the top right of the box. The link keeps the filters, the "
        "map's frame and what is highlighted.",
        "انسخه بالزر أعلى يمين المربع. يحفظ الرابط المرشحات وإطار الخريطة وما هو مميَّز.",
    ),
    "timeline": ("Timeline from the reports", "الخط الزمني من التقريرين"),
    "loading_controls": (
        "Filters and layers appear once the map is drawn…",
        "تظهر المرشّحات والطبقات بعد رسم الخريطة…",
    ),
    "show_on_map": ("Show on map", "اعرض على الخريطة"),
    "legend": ("On the map", "على الخريطة"),
    "nothing_matches": (
        "Nothing matches these filters: widen the dates, or clear actors or types.",
        "لا شيء يطابق هذه التصفية: وسّع المدة أو ألغِ اختيار الأطراف أو الأنواع.",
    ),
    "no_annotations": (
        "No timeline entry matches these filters.",
        "لا مدخل في الخط الزمني يطابق التصفية.",
    ),
    "ignored_link": (
        "Parts of the link were ignored: {notes}",
        "تم تجاهل أجزاء من الرابط: {notes}",
    ),
    "clear_highlight": ("Clear highlight", "إزالة التمييز"),
    "highlighted": ("Highlighted: {label}", "مميَّز: {label}"),
    "n_features": Counted(
        {"one": "{n} feature shown", "other": "{n} features shown"},
        {
            "zero": "لا معالم معروضة",
            "one": "معلم واحد معروض",
            "two": "معلمان معروضان",
            "few": "{n} معالم معروضة",
            "many": "{n} معلماً معروضاً",
            "other": "{n} معلم معروض",
        },
    ),
    "scenario_badge": ("hypothetical", "افتراضي"),
    "conflict_badge": ("sources disagree", "تعارض المصادر"),
    "background_badge": ("background", "خلفية"),
    # briefing
    "btn_first": ("⏮ First (Home)", "⏮ الأول (Home)"),
    "btn_prev": ("◀ Previous (←)", "◀ السابق (←)"),
    "btn_next": ("Next (→) ▶", "التالي (→) ▶"),
    "btn_last": ("Last (End) ⏭", "الأخير (End) ⏭"),
    "btn_blank": ("Blank screen (B)", "شاشة سوداء (B)"),
    "btn_exit": ("Stop presenting (Esc)", "إنهاء العرض (Esc)"),
    "scene_counter": ("Scene {n} / {total}", "المشهد {n} من {total}"),
    "speaker_notes": (
        "Speaker notes (not shown to the audience)",
        "ملاحظات المتحدث (لا تظهر للجمهور)",
    ),
    "next_scene": ("Next scene", "المشهد التالي"),
    "last_scene": ("This is the last scene.", "هذا المشهد الأخير."),
    "audience_link": ("Audience view: open on the projector", "عرض الجمهور: افتحه على جهاز العرض"),
    "keys_help": (
        "Keys: → / PageDown next, ← / PageUp previous, Home / End, B or . blank, Esc stop",
        "المفاتيح: → أو PageDown التالي، ← أو PageUp السابق، Home / End، "
        "B أو . شاشة سوداء، Esc إنهاء",
    ),
    "audience_blanked": (
        "The audience screen is blank (press B to show it again).",
        "شاشة الجمهور سوداء (اضغط B لإظهارها).",
    ),
    "elapsed": ("elapsed", "المنقضي"),
    "audience_paused": (
        "The presenter has stopped presenting. This screen follows again when the briefing "
        "resumes.",
        "أوقف مقدّم الإحاطة العرض. تعود هذه الشاشة إلى المتابعة عند استئناف الإحاطة.",
    ),
    "no_walkthrough": (
        "No such walkthrough: check the link.",
        "لا توجد جولة بهذا الاسم: تحقق من الرابط.",
    ),
    "sign_in_needed": (
        "Sign in to use this briefmap server: what you may do follows from your roles.",
        "سجّل الدخول لاستخدام خادم briefmap هذا: ما يمكنك فعله تحدده أدوارك.",
    ),
    "sign_in": ("Sign in", "تسجيل الدخول"),
    "sign_out": ("Sign out", "تسجيل الخروج"),
    "signed_in_as": ("Signed in as {login} · {roles}", "مسجّل الدخول باسم {login} · {roles}"),
    "no_role": (
        "{login} is signed in but holds no briefmap role (viewer, analyst, presenter or admin): "
        "ask your administrator.",
        "{login} مسجّل الدخول لكن ليس له أي دور في briefmap (مشاهد أو محلل أو مقدّم أو مدير): "
        "راجع مسؤول النظام.",
    ),
    "open_without_sign_in": (
        "This server runs without sign-in beyond this machine: everyone who reaches it can "
        "import, present and read every note.",
        "يعمل هذا الخادم دون تسجيل دخول خارج هذا الجهاز: كل من يصل إليه يستطيع الاستيراد "
        "والعرض وقراءة كل الملاحظات.",
    ),
    "needs_presenter": (
        "Presenting a walkthrough needs the presenter role.",
        "يتطلب عرض الجولة دور مقدّم الإحاطة.",
    ),
    "start_presenting": ("Start presenting", "ابدأ العرض"),
    "running_briefings": ("Briefings in progress ({n})", "الإحاطات الجارية ({n})"),
    "no_running_briefings": ("None at the moment.", "لا شيء حالياً."),
    "running_line": (
        "Scene {n} of {total} · started by {owner} at {started} UTC · last activity {moved} UTC",
        "المشهد {n} من {total} · بدأها {owner} الساعة {started} (UTC) · آخر نشاط {moved} (UTC)",
    ),
    "nobody_signed_in": ("the local user", "المستخدم المحلي"),
    "end_briefing": ("End this briefing", "إنهاء هذه الإحاطة"),
    "briefings_away": (
        "The briefing cannot be reached ({why}). The screens keep their scene; this window "
        "follows again as soon as it can.",
        "تعذّر الوصول إلى الإحاطة ({why}). تبقى الشاشات على مشهدها؛ وتعود هذه النافذة إلى "
        "المتابعة حالما يمكن ذلك.",
    ),
    "open_the_map": ("Open the map", "افتح الخريطة"),
    "start_at": (
        "A new briefing starts at scene {n} of {total}; the audience link appears once it has.",
        "تبدأ إحاطة جديدة من المشهد {n} من {total}؛ يظهر رابط الجمهور بعد بدئها.",
    ),
    "sources_need_role": (
        "The cited paragraph is for analysts and presenters.",
        "الفقرة المستشهد بها متاحة للمحللين ومقدّمي الإحاطات.",
    ),
    "audience_needs_key": (
        "This audience link lacks its briefing key: ask the presenter for the audience link "
        "shown beside the slides.",
        "رابط الجمهور هذا ينقصه مفتاح الإحاطة: اطلب من مقدّم الإحاطة رابط الجمهور "
        "المعروض بجانب الشرائح.",
    ),
    "briefing_unknown": (
        "This briefing has ended or the link is not valid. Ask the presenter for a new link.",
        "انتهت هذه الإحاطة أو الرابط غير صالح. اطلب من مقدّم الإحاطة رابطاً جديداً.",
    ),
    "audience_key_cannot_present": (
        "This is an audience link: it follows the briefing but cannot present it. "
        "Open it with mode=audience, or start your own briefing from the sidebar.",
        "هذا رابط للجمهور: يتابع الإحاطة ولا يمكنه تقديمها. "
        "افتحه بوضع الجمهور، أو ابدأ إحاطتك من الشريط الجانبي.",
    ),
    "briefing": ("Briefing", "الإحاطة"),
    "walkthrough_label": ("Walkthrough", "الجولة"),
    "present": ("Present", "ابدأ العرض"),
    "resume": ("Resume presenting at scene {n}", "استئناف العرض من المشهد {n}"),
    "author": ("Author a walkthrough", "إعداد جولة"),
    "add_scene": ("Add the current view as a scene", "أضف العرض الحالي مشهداً"),
    "delete_scene": ("Delete this scene", "احذف هذا المشهد"),
    "download_walkthrough": ("Download the walkthrough (YAML)", "تنزيل الجولة (YAML)"),
    "upload_walkthrough": ("Upload a walkthrough file", "رفع ملف جولة"),
    # the view in words
    "and": (" and ", " و"),
    "list_sep": (", ", "، "),
    "from_date": ("from {d}", "من {d}"),
    "until_date": ("until {d}", "حتى {d}"),
    "dated_only": ("dated items only", "المؤرخ فقط"),
    "in_view": ("within the map view", "ضمن إطار الخريطة"),
    "layers_some": Counted(
        {"one": "{n} of {total} layer", "other": "{n} of {total} layers"},
        {
            "zero": "{n} من {total} طبقة",
            "one": "{n} من طبقة واحدة",
            "two": "{n} من طبقتين",
            "few": "{n} من {total} طبقات",
            "many": "{n} من {total} طبقة",
            "other": "{n} من {total} طبقة",
        },
        by="total",
    ),
    "no_layers": ("no layers", "لا طبقات"),
    "everything": (
        "All default layers, all actors, all dates",
        "كل الطبقات الافتراضية، كل الأطراف، كل التواريخ",
    ),
}


# Feature types as a filter sees them: the incident type, else the feature kind.
TYPES: dict[str, tuple[str, str]] = {
    "insurgent-activity": ("insurgent activity", "نشاط مسلح"),
    "smuggling": ("smuggling", "تهريب"),
    "border-tension": ("border tension", "توتر حدودي"),
    "militia-presence": ("militia presence", "وجود الفصائل"),
    "troop-withdrawal": ("troop withdrawal", "انسحاب قوات"),
    "diplomatic-meeting": ("diplomatic meeting", "لقاء دبلوماسي"),
    "diplomatic-initiative": ("diplomatic initiative", "مبادرة دبلوماسية"),
    "summit": ("summit", "قمة"),
    "political-dispute": ("political dispute", "خلاف سياسي"),
    "place": ("place", "مكان"),
    "capital": ("capital", "عاصمة"),
    "camp": ("camp", "مخيم"),
    "crossing": ("border crossing", "معبر حدودي"),
    "governorate": ("governorate", "محافظة"),
    "region": ("region", "منطقة"),
    "country": ("country", "بلد"),
    "border": ("border", "حدود"),
    "route": ("route", "طريق"),
    "pipeline": ("pipeline", "خط أنابيب"),
    "corridor": ("corridor", "ممر"),
    "area": ("area", "نطاق"),
    "event": ("event", "حدث"),
    "presence": ("presence", "وجود"),
    "link": ("link", "صلة"),
    "facility": ("facility", "منشأة"),
    "withdrawal": ("withdrawal", "انسحاب"),
}


def type_label(type_id: str, lang: str) -> str:
    en, ar = TYPES.get(type_id, (type_id.replace("-", " "), type_id.replace("-", " ")))
    return ar if lang == "ar" else en


def t(key: str, lang: str, **values: object) -> str:
    word = _WORDS[key]
    if isinstance(word, Counted):
        return word.format(lang, **values)
    en, ar = word
    text = ar if lang == "ar" else en
    return text.format(**values) if values else text


def pick(en: str, ar: str, lang: str) -> str:
    """The value in the wanted language (data always has both)."""
    return ar if lang == "ar" else en
