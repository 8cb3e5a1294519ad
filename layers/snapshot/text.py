"""Fonts and writing direction for print: DejaVu Sans (matplotlib's own) for Latin, the shipped
Noto Sans Arabic for Arabic, shaped by matplotlib's libraqm. No reshaping is done here: raw
Arabic strings go to matplotlib as they are.

Bidirectional text: a line takes its direction from its first strong character, so an Arabic
line starts with a right-to-left mark, and Latin runs inside it (file names, military dates)
are isolated (LRI … PDI) so their digits and punctuation stay in order.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from matplotlib import font_manager

from layers.names import has_arabic

FONT_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"
ARABIC = "Noto Sans Arabic"
LATIN = "DejaVu Sans"
RLM, LRI, PDI = "\u200f", "\u2066", "\u2069"
# A Latin run: Latin letters (accented too) or digits, with what joins them in names, file
# names, dates and codes ("000_0f03b8209ef71bac.txt", "231430Z NOV 25", "Reuters, 2019-09-30").
# Brackets stay outside, so the bidi algorithm mirrors them in the Arabic line.
_L = "A-Za-z0-9\u00c0-\u024f\u1e00-\u1eff"
_LATIN_RUN = re.compile(f"[{_L}][{_L}_.,:;+/'’\\-– ]*[{_L}]|[{_L}]")


@cache
def register_fonts() -> None:
    """Make matplotlib use the shipped Noto Sans Arabic, not another copy on the system: the
    same file everywhere keeps renders identical from machine to machine."""
    shipped = sorted(FONT_DIR.glob("NotoSansArabic-*.ttf"))
    manager = font_manager.fontManager
    manager.ttflist = [f for f in manager.ttflist if f.name != ARABIC]
    for path in shipped:
        manager.addfont(str(path))


def families(lang: str) -> list[str]:
    """Font fallback list: the UI language's font first."""
    return [ARABIC, LATIN] if lang == "ar" else [LATIN, ARABIC]


def bidi(text: str, lang: str) -> str:
    """Text ready for a line in `lang`: in Arabic, a right-to-left line with Latin runs kept
    whole; in English, Arabic runs are left to the bidi algorithm (they are strong RTL)."""
    if lang != "ar" or not has_arabic(text):
        return text
    return RLM + _LATIN_RUN.sub(lambda m: f"{LRI}{m.group(0)}{PDI}", text)
