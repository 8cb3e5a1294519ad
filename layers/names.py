"""Name matching in English and Arabic: one normal form for search, aliases and checks.

Arabic is written with optional diacritics, several alef and hamza forms, tā' marbūṭa or hā',
the tatweel stretch and two forms of final yā'; English names from gazetteers carry diacritics
("Al Ḩawl"). The normal form drops all of that so "البوكمال", "البُوكمال" and
"Al Bukamal"/"al-bukamal" each compare equal to their own spellings.

Punctuation of both scripts separates words: the Arabic comma "،", semicolon "؛" and question
mark "؟", the en and em dashes, quotation marks and brackets. `words` also splits at the tatweel
(a copy check must see "الحدودـالعراقية" as two words); `normalize` deletes it inside a name.
"""

from __future__ import annotations

import re
import unicodedata

TATWEEL = "\u0640"
_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
# alef with hamza or madda, wasla -> bare alef; alef maqsura and hamza on yā' -> yā';
# hamza on wāw -> wāw; tā' marbūṭa -> hā'
_LETTER_FORMS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ئ": "ي", "ؤ": "و", "ة": "ه"}
)
# Separators: white space, ASCII and typographic punctuation, the dashes U+2010-2015, the
# ellipsis, and Arabic punctuation (comma, semicolon, question mark, percent, decimal and
# thousands marks, full stop).
_PUNCT = re.compile(
    r"[\s\-_'’‘`ʿʾ\"“”„«»‹›()\[\]{}<>.,:;!?/\\|*#%&+=@^~"
    "\u060c\u061b\u061f\u066a-\u066c\u06d4\u2010-\u2015\u2026\u00a0]+"
)
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_LATIN_LETTER = re.compile("[A-Za-z]")


def normalize(text: str) -> str:
    """Fold case, letter forms and diacritics (Latin and Arabic); punctuation to single spaces."""
    return _fold(text.replace(TATWEEL, ""))


def words(text: str) -> list[str]:
    """The words of a text in normal form, for comparing texts; the tatweel separates words."""
    return _fold(text.replace(TATWEEL, " ")).split()


def _fold(text: str) -> str:
    text = _ARABIC_DIACRITICS.sub("", text)
    text = text.translate(_LETTER_FORMS)
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _PUNCT.sub(" ", text.casefold()).strip()


def contains_name(haystack: str, name: str) -> bool:
    """True if `name` occurs in `haystack` once both are normalized (substring match)."""
    needle = normalize(name)
    return bool(needle) and needle in normalize(haystack)


def has_arabic(text: str) -> bool:
    return _ARABIC_LETTER.search(text) is not None


def has_latin(text: str) -> bool:
    return _LATIN_LETTER.search(text) is not None
