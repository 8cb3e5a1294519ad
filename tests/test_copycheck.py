"""The copy check sees through Arabic punctuation, letter forms, diacritics and the tatweel.

A planted run of six words of a paragraph must be caught however it is glued or spelt; five
words, or six words out of order, must not be. The paragraph below is our own sentence (no
report text in the repo); the last test plants runs of a real report read at test time.
"""

from __future__ import annotations

import pytest

from tests.conftest import report_paragraphs
from tests.copycheck import NGRAM, report_runs, shared_runs

PARAGRAPH = (
    "أعلنت الهيئة الإقليمية للمياه أن القناة الجديدة ستصل إلى مستشفى المدينة "
    "بعد مئة يوم من مؤتمر الشركاء في العاصمة."
)
WORDS = PARAGRAPH.rstrip(".").split()
MARKS = {
    "arabic comma": "،",
    "arabic semicolon": "؛",
    "arabic question mark": "؟",
    "en dash": "–",
    "em dash": "—",
    "tatweel": "ـ",
}


@pytest.fixture(scope="module")
def grams():
    return report_runs([PARAGRAPH])


@pytest.mark.parametrize("mark", MARKS.values(), ids=MARKS.keys())
@pytest.mark.parametrize("glue", ["{m}", "{m} ", " {m} "], ids=["bare", "after", "around"])
def test_a_run_joined_by_a_mark_is_caught(grams, mark, glue):
    for start in range(len(WORDS) - NGRAM + 1):
        planted = glue.format(m=mark).join(WORDS[start : start + NGRAM])
        text = f"نص من عندنا {planted} ثم كلام آخر"
        assert shared_runs(text, grams), planted


SPELLINGS = {
    # how the planted run is respelt -> (first word of the run, respelling)
    "ta marbuta as ha": (0, lambda s: s.replace("ة", "ه")),
    "hamza on alef dropped": (0, lambda s: s.replace("أ", "ا").replace("إ", "ا")),
    "bare alef given a hamza": (0, lambda s: s.replace("ال", "أل")),
    "alef maqsura as ya": (7, lambda s: s.replace("ى", "ي")),
    "ya as alef maqsura": (13, lambda s: s.replace("في ", "فى ")),
    "hamza seats dropped": (10, lambda s: s.replace("ئ", "ي").replace("ؤ", "و")),
    "diacritics added": (0, lambda s: "".join(c + "\u064e" if c.isalpha() else c for c in s)),
    "shadda and sukun": (7, lambda s: s.replace("ل", "لّ").replace("س", "سْ")),
    "stretched by tatweel": (4, lambda s: s.replace("ا", "ـا").replace("ي", "يـ")),
}


@pytest.mark.parametrize(("start", "respell"), SPELLINGS.values(), ids=SPELLINGS.keys())
def test_a_respelt_run_is_caught(grams, start, respell):
    planted = respell(" ".join(WORDS[start : start + NGRAM]))
    assert planted != " ".join(WORDS[start : start + NGRAM]), "the respelling changes the text"
    assert shared_runs(f"مقدمة {planted} خاتمة", grams), planted


def test_five_words_or_a_shuffled_six_are_not_caught(grams):
    assert not shared_runs("، ".join(WORDS[:5]), grams)
    shuffled = WORDS[:6]
    shuffled[2], shuffled[3] = shuffled[3], shuffled[2]
    assert not shared_runs(" ".join(shuffled), grams)
    assert not shared_runs("نص مختلف تماماً لا يشترك مع الفقرة في ست كلمات متتالية", grams)


@pytest.mark.parametrize("mark", MARKS.values(), ids=MARKS.keys())
def test_runs_of_a_real_report_glued_by_a_mark_are_caught(reports_dir, mark):
    path = reports_dir / "000_0f03b8209ef71bac.txt"
    grams = report_runs(report_paragraphs(path))
    raw = report_paragraphs(path)[7].split()
    planted = mark.join(raw[3 : 3 + NGRAM])
    assert shared_runs(planted, grams), planted
