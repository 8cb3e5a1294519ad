"""The copy check sees through Arabic punctuation, letter forms, diacritics and the tatweel.

A planted run of six words of a paragraph must be caught however it is glued or spelt; five
words, or six words out of order, must not be. The paragraph below is our own sentence (no
report text in the repo); the last test plants runs of a real report read at test time.
"""

from __future__ import annotations

import pytest

from layers.names import normalize, words
from tests.conftest import report_paragraphs
from tests.copycheck import NGRAM, fold_affixes, report_runs, shared_runs

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


def _respell_affixes(run: list[str]) -> list[str]:
    """Drop the article and the conjunction from every word that has them, and join the third
    word with «و»: the near-copies of issue 18 did as much."""
    out = []
    for w in run:
        if w.startswith("ال") and len(w) > 4:
            w = w[2:]
        elif w.startswith("و") and len(w) >= 3:
            w = w[1:]
        out.append(w)
    if not out[2].startswith("و"):
        out[2] = "و" + out[2]
    return out


def test_an_article_added_is_caught(grams):
    planted = "المستشفى مدينة وبعد مئة يوم من"  # of: مستشفى المدينة بعد مئة يوم من
    assert shared_runs(planted, grams), planted


@pytest.mark.parametrize("start", range(len(WORDS) - NGRAM + 1))
def test_a_run_with_articles_and_conjunctions_added_or_dropped_is_caught(grams, start):
    run = WORDS[start : start + NGRAM]
    planted = " ".join(_respell_affixes(run))
    assert planted != " ".join(run)
    assert shared_runs(f"مقدمة {planted} خاتمة", grams), planted


def test_folding_the_affixes_keeps_short_words_and_five_words_free(grams):
    assert fold_affixes("الى") == "الى" and fold_affixes("ون") == "ون"
    assert fold_affixes("والمياه") == "مياه" and fold_affixes("الهيئة") == "هيئة"
    five = " ".join(_respell_affixes(WORDS[:5]))
    assert not shared_runs(five, grams)


@pytest.mark.parametrize(
    ("report", "index"), [("000_0f03b8209ef71bac.txt", 7), ("001_dfc6dfa4d6bd7bc6.txt", 7)]
)
def test_near_copies_of_a_real_report_are_caught_only_with_the_affixes_folded(
    reports_dir, report, index
):
    """000 p8 and 001 p8 are where the two near-copies came from: a run of them with articles
    added or dropped slips past the plain comparison and is caught by the folded one."""
    paragraphs = report_paragraphs(reports_dir / report)
    grams = report_runs(paragraphs)
    raw = words(paragraphs[index])
    plain = set()
    for p in paragraphs:
        for w in (words(p), normalize(p).split()):
            plain.update(tuple(w[i : i + NGRAM]) for i in range(len(w) - NGRAM + 1))
    hidden = 0
    for start in range(0, len(raw) - NGRAM, 3):
        planted = " ".join(_respell_affixes(raw[start : start + NGRAM]))
        assert shared_runs(planted, grams), planted
        w = words(planted)
        hidden += not {tuple(w[i : i + NGRAM]) for i in range(len(w) - NGRAM + 1)} & plain
    assert hidden >= 3  # most respelt runs are invisible without the folding
