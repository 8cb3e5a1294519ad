"""The events layer's interface words in English and Arabic (data keeps its own language)."""

from __future__ import annotations

from layers.i18n import CATEGORIES, Counted

_WORDS: dict[str, tuple[str, str] | Counted] = {
    "layer": ("Imported incidents", "الأحداث المستوردة"),
    "import_marking": ("Marking of this data", "تصنيف تداول هذه البيانات"),
    "import_caveats": ("Caveats", "قيود التداول"),
    "import_no_caveats": ("None", "لا قيود"),
    "import_release": (
        "Releasable to (country codes; empty: no REL TO list)",
        "يُتاح للدول (رموزها؛ فارغ: بلا قائمة إتاحة)",
    ),
    "hex_title": ("Incidents per hexagon", "الأحداث في كل خلية سداسية"),
    "hex_note": (
        "Places ACLED gives only to a district or province centre are spread over about "
        "{d2} / {d3} km around it, not piled on the centre.",
        "الأحداث التي يحدد ACLED موقعها بمركز قضاء أو محافظة فقط موزعة على نحو {d2} / {d3} كم "
        "حوله، لا مكدسة على المركز.",
    ),
    "points_title": ("Incidents by type", "الأحداث حسب النوع"),
    "area_key": (
        "Dashed circle: events placed on a district or province centre; each happened "
        "somewhere inside",
        "دائرة متقطعة: أحداث وُضعت في مركز قضاء أو محافظة؛ وقع كل منها في مكان ما داخلها",
    ),
    "area_key_web": (
        "Circle with a number: events placed on a district or province centre; each happened "
        "somewhere around it (point at it to see how far)",
        "دائرة برقم: أحداث وُضعت في مركز قضاء أو محافظة؛ وقع كل منها في مكان ما حوله (أشر إليها "
        "لترى المدى)",
    ),
    # filled in by the browser (any number): the Arabic names the count, not a counted noun
    "cluster": (
        "{n} incidents close together: click to zoom in",
        "أحداث متقاربة (عددها {n}): انقر للتكبير",
    ),
    # filled in by the browser (any number): the Arabic names the count, not a counted noun
    "about": ("≈ {n} incidents", "عدد الأحداث ≈ {n}"),
    "area_tip": Counted(
        {
            "one": "{n} incident placed on this centre; location known only within about {km} km",
            "other": "{n} incidents placed on this centre; location known only within about "
            "{km} km",
        },
        {
            "zero": "لا أحداث في هذا المركز؛ الموقع معروف ضمن نحو {km} كم فقط",
            "one": "حدث واحد في هذا المركز؛ الموقع معروف ضمن نحو {km} كم فقط",
            "two": "حدثان في هذا المركز؛ الموقع معروف ضمن نحو {km} كم فقط",
            "few": "{n} أحداث في هذا المركز؛ الموقع معروف ضمن نحو {km} كم فقط",
            "many": "{n} حدثاً في هذا المركز؛ الموقع معروف ضمن نحو {km} كم فقط",
            "other": "{n} حدث في هذا المركز؛ الموقع معروف ضمن نحو {km} كم فقط",
        },
    ),
    "more_here": Counted(
        {"one": "… and {n} more incident here", "other": "… and {n} more incidents here"},
        {
            "zero": "…",
            "one": "… وحدث آخر هنا",
            "two": "… وحدثان آخران هنا",
            "few": "… و{n} أحداث أخرى هنا",
            "many": "… و{n} حدثاً آخر هنا",
            "other": "… و{n} حدث آخر هنا",
        },
    ),
    "actors": ("Actors", "الأطراف"),
    "date": ("Date", "التاريخ"),
    "location": ("Location", "الموقع"),
    "fatalities": ("Fatalities", "القتلى"),
    "fatalities_caveat": (
        "ACLED's fatality figures are estimates from reports; they are often revised and can "
        "be too high or too low.",
        "أرقام القتلى في ACLED تقديرات من التقارير؛ كثيراً ما تُعدَّل وقد تكون أعلى أو أدنى من "
        "الحقيقة.",
    ),
    "estimate": ("{src} estimate", "تقدير {src}"),
    "source": ("Source", "المصدر"),
    "updated": ("{src} {id}, last changed {day}", "{src} {id}، آخر تعديل {day}"),
    "week_of": ("week of {lo} – {hi}", "أسبوع {lo} – {hi}"),
    "month_of": ("{month} (day not known)", "{month} (اليوم غير معروف)"),
    "day_known": ("", ""),
    "place_exact": ("the place itself", "المكان نفسه"),
    "place_2": (
        "near here: ACLED knows the district or town, within about {km} km",
        "قرب هنا: يعرف ACLED القضاء أو البلدة، ضمن نحو {km} كم",
    ),
    "place_3": (
        "somewhere in the province: placed on its centre, within about {km} km",
        "في مكان ما في المحافظة: وُضع في مركزها، ضمن نحو {km} كم",
    ),
    "import": ("Import incidents (ACLED CSV or GeoJSON)", "استيراد أحداث (ACLED CSV أو GeoJSON)"),
    "import_file": ("File to import", "الملف المراد استيراده"),
    "import_format": ("Format", "الصيغة"),
    "skip_invalid": (
        "Skip invalid rows (they are listed in a file to download)",
        "تخطي الصفوف غير الصالحة (تُدرج في ملف للتنزيل)",
    ),
    "import_go": ("Import", "استيراد"),
    "import_reading": ("Reading…", "جارٍ القراءة…"),
    "import_refused": Counted(
        {
            "one": "Nothing was imported: {n} problem in the file (below).",
            "other": "Nothing was imported: {n} problems in the file (below).",
        },
        {
            "zero": "لم يُستورد شيء (أدناه).",
            "one": "لم يُستورد شيء: مشكلة واحدة في الملف (أدناه).",
            "two": "لم يُستورد شيء: مشكلتان في الملف (أدناه).",
            "few": "لم يُستورد شيء: {n} مشكلات في الملف (أدناه).",
            "many": "لم يُستورد شيء: {n} مشكلة في الملف (أدناه).",
            "other": "لم يُستورد شيء: {n} مشكلة في الملف (أدناه).",
        },
    ),
    "download_csv": Counted(
        {"one": "Download this incident (CSV)", "other": "Download these {n} incidents (CSV)"},
        dict.fromkeys(CATEGORIES["ar"], "تنزيل هذه الأحداث ({n}) بصيغة CSV")
        | {"one": "تنزيل هذا الحدث بصيغة CSV", "two": "تنزيل هذين الحدثين بصيغة CSV"},
    ),
    "no_data": ("No incident data imported.", "لم تُستورد بيانات أحداث."),
    "imported_by": (
        "Last import by {by}, {when} UTC (every import and who made it: briefmap store)",
        "آخر استيراد بواسطة {by}، {when} (UTC) (كل عمليات الاستيراد ومن قام بها: briefmap store)",
    ),
    "as_of": (
        "Incident data as of {when} UTC: {rows} events from {first} to {last}; last import "
        "{file} (SHA-256 {sha}…, {n} rows)",
        # two counts in one sentence: each named as a number ("عددها"), so neither noun
        # takes a counted form
        "بيانات الأحداث حتى {when} (UTC): عدد الأحداث {rows}، من {first} إلى {last}؛ آخر "
        "استيراد {file} (SHA-256 {sha}…، عدد الصفوف {n})",
    ),
    "rejects": ("Download the rejected rows", "تنزيل الصفوف المرفوضة"),
    # an admin's list of imports (`dashboard/manage.py`)
    "imports_title": ("Imports in the event store ({n})", "عمليات الاستيراد في مخزن الأحداث ({n})"),
    "import_line": (
        "#{id} · {file} · {marking} · by {by}, {when} UTC",
        "#{id} · {file} · {marking} · بواسطة {by}، {when} (UTC)",
    ),
    "import_no_id": (
        "recorded by an earlier briefmap: cannot be removed",
        "سجّله إصدار أقدم من briefmap: لا يمكن إزالته",
    ),
    "remove_import": ("Remove import #{id}…", "إزالة الاستيراد #{id}…"),
    "remove_import_sure": (
        "Remove import #{id}? The events it wrote go, with those it revised (earlier versions "
        "are not kept), and the store's marking becomes the highest of the imports left. "
        "Deletions it applied are not undone.",
        "إزالة الاستيراد #{id}؟ تُحذف الأحداث التي كتبها ومعها ما عدّله منها (لا تُحفظ النسخ "
        "السابقة)، ويصبح تصنيف المخزن أعلى تصنيفات عمليات الاستيراد الباقية. لا يُتراجع عن "
        "عمليات الحذف التي طبّقها.",
    ),
    "remove_import_yes": ("Remove it", "أزله"),
    "remove_import_no": ("Keep it", "أبقه"),
    "import_removed": (
        "Import #{id} removed; events removed: {n}; the marking was {before} and is now {after}.",
        "أُزيل الاستيراد #{id}؛ عدد الأحداث المحذوفة {n}؛ كان التصنيف {before} وأصبح {after}.",
    ),
}


def w(key: str, lang: str, **values: object) -> str:
    word = _WORDS[key]
    if isinstance(word, Counted):  # a count in it: the form its number takes (layers.i18n)
        return word.format(lang, **values)
    en, ar = word
    text = ar if lang == "ar" else en
    return text.format(**values) if values else text
