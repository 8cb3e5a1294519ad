"""Counted nouns take the form CLDR's plural rules give their number: six forms in Arabic
(«معلم واحد», «معلمان», «3 معالم», «11 معلماً», «100 معلم»), two in English."""

from __future__ import annotations

import pytest

from layers import i18n
from layers.events import words as event_words
from layers.i18n import CATEGORIES, Counted, plural_category, t
from layers.snapshot import words as snapshot_words

MODULES = {"i18n": i18n, "events": event_words, "snapshot": snapshot_words}
ALL_COUNTED = [
    (name, key, word)
    for name, module in MODULES.items()
    for key, word in module._WORDS.items()
    if isinstance(word, Counted)
]


@pytest.mark.parametrize(
    "n, category",
    [
        (0, "zero"),
        (1, "one"),
        (2, "two"),
        (3, "few"),
        (10, "few"),
        (11, "many"),
        (99, "many"),
        (100, "other"),
        (102, "other"),
        (103, "few"),
        (111, "many"),
        (1000, "other"),
    ],
)
def test_arabic_plural_categories_follow_cldr(n, category):
    assert plural_category(n, "ar") == category


def test_english_has_one_and_other():
    assert [plural_category(n, "en") for n in (0, 1, 2, 21)] == ["other", "one", "other", "other"]


@pytest.mark.parametrize(
    "n, text",
    [
        (0, "لا معالم معروضة"),
        (1, "معلم واحد معروض"),
        (2, "معلمان معروضان"),
        (3, "3 معالم معروضة"),
        (6, "6 معالم معروضة"),
        (10, "10 معالم معروضة"),
        (11, "11 معلماً معروضاً"),
        (44, "44 معلماً معروضاً"),
        (100, "100 معلم معروض"),
        (103, "103 معالم معروضة"),
    ],
)
def test_features_shown_in_arabic(n, text):
    assert t("n_features", "ar", n=n) == text


def test_features_shown_in_english():
    assert t("n_features", "en", n=1) == "1 feature shown"
    assert t("n_features", "en", n=44) == "44 features shown"


def test_a_count_given_as_grouped_text_picks_its_form():
    assert snapshot_words.w("incidents_shown", "ar", n="1,005") == "1,005 أحداث مستوردة"
    assert snapshot_words.w("incidents_shown", "ar", n="1,000") == "1,000 حدث مستورد"
    assert snapshot_words.w("incidents_shown", "en", n="1") == "1 imported incident"


def test_the_layer_count_agrees_with_the_total():
    assert t("layers_some", "ar", n=3, total=12) == "3 من 12 طبقة"
    assert t("layers_some", "ar", n=3, total=8) == "3 من 8 طبقات"


@pytest.mark.parametrize(
    "name, key, word", ALL_COUNTED, ids=[f"{m}.{k}" for m, k, _ in ALL_COUNTED]
)
def test_every_counted_word_has_every_form(name, key, word):
    assert set(word.en) == set(CATEGORIES["en"]), (name, key)
    assert set(word.ar) == set(CATEGORIES["ar"]), (name, key)
    for n in (0, 1, 2, 3, 11, 100):
        for lang in ("en", "ar"):
            assert word.format(lang, n=n, total=n, km=5)  # every form formats


@pytest.mark.parametrize("name, module", MODULES.items())
def test_no_arabic_word_puts_a_number_before_a_fixed_counted_form(name, module):
    # «{n} معلماً» is right for 11–99 only: a number before an accusative (tanwīn alif)
    # singular or before a plural must be a Counted word's form, never a fixed string
    for key, word in module._WORDS.items():
        if isinstance(word, Counted):
            continue
        ar = word[1]
        assert "{n} " not in ar or not any(
            noun in ar for noun in ("معلماً", "معالم", "حدثاً", "أحداث", "مشاهد", "تقارير")
        ), (name, key, ar)
