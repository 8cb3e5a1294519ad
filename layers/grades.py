"""Admiralty (NATO) grading: source reliability A–F × information credibility 1–6.

F and 6 mean "cannot be judged", not "low": a claim we have no basis to rate is marked so
rather than marked down.
"""

from __future__ import annotations

import re

RELIABILITY = {
    "A": ("Completely reliable", "موثوق تماماً"),
    "B": ("Usually reliable", "موثوق عادةً"),
    "C": ("Fairly reliable", "موثوق إلى حد ما"),
    "D": ("Not usually reliable", "غير موثوق عادةً"),
    "E": ("Unreliable", "غير موثوق"),
    "F": ("Reliability cannot be judged", "لا يمكن تقدير الموثوقية"),
}
CREDIBILITY = {
    "1": ("Confirmed by other sources", "مؤكدة من مصادر أخرى"),
    "2": ("Probably true", "صحيحة على الأرجح"),
    "3": ("Possibly true", "ربما صحيحة"),
    "4": ("Doubtful", "مشكوك فيها"),
    "5": ("Improbable", "غير محتملة"),
    "6": ("Truth cannot be judged", "لا يمكن الحكم على صحتها"),
}

_GRADE = re.compile(r"^[A-F][1-6]$")


def is_grade(text: object) -> bool:
    return isinstance(text, str) and _GRADE.match(text) is not None


def describe_grade(grade: str, lang: str = "en") -> str:
    """'B2' -> 'Usually reliable source; probably true'."""
    i = 0 if lang == "en" else 1
    source = RELIABILITY[grade[0]][i]
    info = CREDIBILITY[grade[1]][i]
    if lang == "ar":
        return f"{source}؛ {info}"
    return f"{source}; {info.lower()}"
