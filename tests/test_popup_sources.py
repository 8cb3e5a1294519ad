"""Popups and citations as HTML: coordinates at the grain of the location, left-to-right
islands in Arabic, a citation that opens its (escaped) paragraph or says it is not loaded."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from layers.model import Citation, Precision
from layers.publisher import Publisher
from layers.render.escape import script_json
from layers.render.popup import coordinates_text, popup_html
from layers.render.sources import grade_html, source_html
from layers.reports.library import Library

REPORT = "000_0f03b8209ef71bac.txt"
HOSTILE = "فقرة <script>alert(1)</script> ${alert(2)} ` <img src=x onerror=alert(3)>"


def _library(text: str) -> Library:
    paragraphs = tuple(f"فقرة رقم {n}" for n in range(1, 27))
    return Library(Path("/reports"), {REPORT: paragraphs[:6] + (text,) + paragraphs[7:]})


@pytest.mark.parametrize(
    ("precision", "decimal", "grid_digits"),
    [
        (Precision.EXACT, "36.3904° N, 41.1498° E", 4),
        (Precision.APPROXIMATE, "36.39° N, 41.15° E", 2),
        (Precision.REGION, "36.4° N, 41.1° E", 1),
        (Precision.NOTIONAL, "36.4° N, 41.1° E", 1),
    ],
)
def test_coordinates_are_given_at_the_grain_of_the_location(
    geodata, precision, decimal, grid_digits
):
    feature = replace(geodata.feature("al-hol-camp"), precision=precision)
    text, grid = coordinates_text(feature)
    assert text == decimal
    zone, square, east, north = grid.split()
    assert zone == "37S" and len(square) == 2 and len(east) == len(north) == grid_digits


def test_arabic_popup_isolates_coordinates_and_mgrs(geodata):
    html = popup_html(geodata.feature("al-hol-camp"), geodata, "ar")
    assert '<bdi dir="ltr">≈ 36.39° N, 41.15° E</bdi>' in html
    assert re.search(r'<bdi dir="ltr">MGRS 37S [A-Z]{2} \d\d \d\d</bdi>', html)


def test_a_citation_opens_its_paragraph_escaped_and_right_to_left(geodata):
    html = source_html(Citation(REPORT, 7), geodata, _library(HOSTILE), "en")
    assert html.startswith('<details class="bm-source"')
    assert "<summary>report 000 (outlet not named, November 2025), ¶7</summary>" in html
    assert '<blockquote class="bm-para" dir="rtl" lang="ar"' in html
    assert "<script>" not in html and "<img" not in html and "${" not in html
    assert "&lt;script&gt;" in html and "&#96;" in html
    assert f'<bdi dir="ltr">{REPORT}</bdi>' in html
    assert "paragraph 7 · report 000 · outlet not named · November 2025" in html


@pytest.mark.parametrize("reports", [None, Library(None)])
def test_without_the_report_the_citation_says_so(geodata, reports):
    html = source_html(Citation(REPORT, 7), geodata, reports, "ar")
    assert "<blockquote" not in html
    assert "التقرير غير محمّل" in html
    assert '<bdi dir="ltr">briefmap serve --reports DIR</bdi>' in html
    assert "التقرير 000 (وسيلة غير مسماة، تشرين الثاني 2025)، الفقرة 7" in html


def test_every_popup_citation_opens_its_paragraph(geodata):
    library = _library("نص الفقرة السابعة")
    for feature in geodata.features:
        html = popup_html(feature, geodata, "en", library)
        assert html.count('<details class="bm-source"') == len(feature.sources), feature.id
        assert html.count("<li") == len(feature.sources), feature.id


@pytest.mark.parametrize(
    ("grade", "lang", "title"),
    [
        ("B2", "en", "Usually reliable; probably true"),
        ("C3", "en", "Fairly reliable; possibly true"),
        ("B6", "ar", "موثوق عادةً؛ لا يمكن الحكم على صحتها"),
    ],
)
def test_a_grade_says_its_meaning_on_hover(grade, lang, title):
    assert grade_html(grade, lang) == (
        f'<abbr class="bm-grade" title="{title}"><bdi dir="ltr">{grade}</bdi></abbr>'
    )


def _publisher(tmp_path) -> Publisher:
    return Publisher(None, None, cache=tmp_path / "cache")


def test_a_published_library_gives_the_map_a_local_url_not_the_text(geodata, tmp_path):
    publisher = _publisher(tmp_path)
    library = publisher.publish_reports(_library(HOSTILE))
    html = source_html(Citation(REPORT, 7), geodata, library, "en")
    quote = re.search(r"<blockquote [^>]*>(.*?)</blockquote>", html)
    assert quote and quote.group(1) == ""  # the popup carries no paragraph text
    url = re.search(r'data-src="([^"]+)"', html).group(1)
    assert url.startswith("/briefmap/reports/") and url.endswith(".json")
    name = url.rsplit("/", 1)[1]
    assert publisher.paragraphs(None, name) is None  # only for a granted key
    served = json.loads(publisher.paragraphs(publisher.grant("session"), name))
    assert served["7"] == HOSTILE and len(served) == 26  # fetched and shown as text by the page
    assert not list(tmp_path.iterdir())  # held in memory, written nowhere
    assert 'data-missing="Report not loaded, so the paragraph cannot be shown here' in html
    # a paragraph the report does not have keeps the not-loaded message, no URL
    beyond = source_html(Citation(REPORT, 99), geodata, library, "en")
    assert "data-src" not in beyond


def test_publishing_twice_holds_one_copy_named_by_its_content(tmp_path):
    publisher = _publisher(tmp_path)
    first = publisher.publish_reports(_library("نص"))
    again = publisher.publish_reports(_library("نص"))
    changed = publisher.publish_reports(_library("نص آخر"))
    assert first.urls == again.urls != changed.urls
    key = publisher.grant("session")
    names = {u.rsplit("/", 1)[1] for lib in (first, changed) for u in lib.urls.values()}
    assert len(names) == 2 and all(publisher.paragraphs(key, n) for n in names)


@pytest.mark.parametrize(
    "value",
    [HOSTILE, "</script><script>alert(1)</script>", "<!--", "a\u2028b\u2029c", "'&'", "قوس ]]>"],
)
def test_script_json_cannot_end_the_script_and_reads_back_the_same(value):
    data = {"popup": value, "list": [value, 1, None]}
    text = script_json(data)
    assert not re.search(r"[<>&'\u2028\u2029]", text)
    assert json.loads(text) == data


def test_script_json_keeps_arabic_as_utf8_not_escapes():
    assert script_json("الهول") == '"الهول"'
