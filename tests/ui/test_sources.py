"""The source one click away, in a real browser: a citation in a popup opens the cited Arabic
paragraph (as the report file has it) right to left, in the English and the Arabic UI; the
timeline and the presenter view do the same; without a reports folder the app still works and
says the report is not loaded."""

from __future__ import annotations

import pytest

from tests.conftest import report_paragraphs
from tests.ui.harness import open_map, present, run_server, wait_for_count

pytestmark = pytest.mark.browser

REPORT = "000_0f03b8209ef71bac.txt"
LABEL = {
    "en": "report 000 (outlet not named, November 2025), ¶7",
    "ar": "التقرير 000 (وسيلة غير مسماة، تشرين الثاني 2025)، الفقرة 7",
}


def _open_al_hol(page, url: str):
    frame = open_map(page, url)
    frame.locator("path.bm-id-al-hol-camp").click()
    popup = frame.locator(".leaflet-popup-content .bm-popup")
    popup.wait_for(timeout=10_000)
    return frame, popup


def _direction(locator) -> str:
    return locator.evaluate("el => getComputedStyle(el).direction")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_popup_citation_opens_the_arabic_paragraph_right_to_left(
    server, browsing, reports_dir, lang
):
    expected = report_paragraphs(reports_dir / REPORT)[6]
    frame, popup = _open_al_hol(browsing.page, f"{server.url}/?lang={lang}")
    source = popup.locator(f'details.bm-source[data-report="{REPORT}"][data-paragraph="7"]')
    summary = source.locator("summary")
    assert summary.inner_text().strip().lstrip("▶▼ ") == LABEL[lang]
    paragraph = source.locator("blockquote.bm-para")
    assert not paragraph.is_visible()  # closed until clicked
    summary.click()
    paragraph.wait_for(state="visible", timeout=5_000)
    assert paragraph.inner_text().strip() == expected.strip()  # exactly the file's paragraph
    assert paragraph.get_attribute("lang") == "ar"
    assert _direction(paragraph) == "rtl"
    meta = source.locator(".bm-para-meta")
    assert meta.locator('bdi[dir="ltr"]').inner_text() == REPORT
    assert ("paragraph 7" if lang == "en" else "الفقرة 7") in meta.inner_text()
    # the popup was laid out again: taller than its box, it scrolls rather than overflows
    fits = "el => el.scrollHeight <= 441 || el.classList.contains('leaflet-popup-scrolled')"
    assert frame.locator(".leaflet-popup-content").evaluate(fits)


def test_arabic_popup_keeps_coordinates_left_to_right_and_grades_explain_themselves(
    server, browsing
):
    _frame, popup = _open_al_hol(browsing.page, f"{server.url}/?lang=ar")
    assert _direction(popup) == "rtl"
    isolated = popup.locator('dd bdi[dir="ltr"]').all_inner_texts()
    assert "≈ 36.39° N, 41.15° E" in isolated  # approximate: to 0.01°, latitude first
    assert any(t.startswith("MGRS 37S") and len(t.split()) == 5 for t in isolated)
    grade = popup.locator("abbr.bm-grade")
    # al-Hol: Baghdad's fear is the Institute's assessment, judgement B3 (issue 18)
    assert grade.inner_text() == "B3"
    assert grade.get_attribute("title") == "موثوق عادةً؛ ربما صحيحة"


def test_timeline_and_presenter_citations_open_their_paragraphs(server, browsing, reports_dir):
    page = browsing.page
    paragraphs = report_paragraphs(reports_dir / REPORT)
    open_map(page, f"{server.url}/?lang=ar")
    entry = page.locator(".st-key-ann-al-hol-fear")
    entry.scroll_into_view_if_needed()
    entry.locator('[data-testid="stExpander"] summary').first.click()
    shown = entry.locator("blockquote.bm-para")
    shown.wait_for(state="visible", timeout=10_000)
    assert shown.inner_text().strip() == paragraphs[6].strip()
    assert _direction(shown) == "rtl"
    grade = entry.locator("abbr.bm-grade")
    assert grade.get_attribute("title") == "موثوق عادةً؛ ربما صحيحة"

    present(page, f"{server.url}/?walkthrough=iraq-syria-2025&scene=3")
    cite = page.locator('[data-testid="stExpander"]').filter(has_text="report 000").first
    cite.locator("summary").click()
    shown = cite.locator("blockquote.bm-para")
    shown.wait_for(state="visible", timeout=10_000)
    assert shown.inner_text().strip() == paragraphs[7].strip()
    assert _direction(shown) == "rtl"


@pytest.fixture(scope="module")
def server_without_reports(tmp_path_factory):
    root = tmp_path_factory.mktemp("no-reports")
    empty = root / "reports"
    empty.mkdir()
    with run_server(root, "--reports", str(empty)) as s:
        yield s


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_without_reports_the_app_works_and_says_the_report_is_not_loaded(
    server_without_reports, browsing, geodata, lang
):
    page = browsing.page
    frame, popup = _open_al_hol(page, f"{server_without_reports.url}/?lang={lang}")
    visible = sum(1 for f in geodata.features if geodata.layers[f.layer].visible)
    assert wait_for_count(frame, "path.bm-f", visible) == visible
    source = popup.locator("details.bm-source").first
    source.locator("summary").click()
    missing = source.locator(".bm-para-missing")
    missing.wait_for(state="visible", timeout=5_000)
    words = "Report not loaded" if lang == "en" else "التقرير غير محمّل"
    assert words in missing.inner_text() and "--reports" in missing.inner_text()
    assert source.locator("blockquote").count() == 0
    entry = page.locator(".st-key-ann-al-hol-fear")
    entry.scroll_into_view_if_needed()
    entry.locator('[data-testid="stExpander"] summary').first.click()
    note = entry.locator(".bm-para-missing")
    note.wait_for(state="visible", timeout=10_000)
    assert words in note.inner_text()
    assert page.locator('[data-testid="stException"]').count() == 0
