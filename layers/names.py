"""Name matching in English and Arabic: one normal form for search, aliases and checks.

Arabic is written with optional diacritics, several alef forms, the tatweel stretch and
two forms of final yā'; English names from gazetteers carry diacritics ("Al Ḩawl"). The
normal form drops all of that so "البوكمال", "البُوكمال" and "Al Bukamal"/"al-bukamal"
each compare equal to their own spellings.
"""

from __future__ import annotations

import re
import unicodedata

_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_ALEF_FORMS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ؤ": "و", "ئ": "ي"})
_PUNCT = re.compile(r"[\s\-_'’‘`ʿʾ\"“”«»()\[\].,:;!?/]+")
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_LATIN_LETTER = re.compile("[A-Za-z]")


def normalize(text: str) -> str:
    """Fold case, strip diacritics (Latin and Arabic) and punctuation to single spaces."""
    text = text.replace("\u0640", "")  # tatweel
    text = _ARABIC_DIACRITICS.sub("", text)
    text = text.translate(_ALEF_FORMS)
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _PUNCT.sub(" ", text.casefold()).strip()


def words(text: str) -> list[str]:
    return normalize(text).split()


def contains_name(haystack: str, name: str) -> bool:
    """True if `name` occurs in `haystack` once both are normalized (substring match)."""
    needle = normalize(name)
    return bool(needle) and needle in normalize(haystack)


def has_arabic(text: str) -> bool:
    return _ARABIC_LETTER.search(text) is not None


def has_latin(text: str) -> bool:
    return _LATIN_LETTER.search(text) is not None
