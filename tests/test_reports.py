"""The reports read at run time: verified against sources.json, paragraph N as cited, a clear
error for a changed file, and `briefmap cite` printing claims next to their paragraphs."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from layers.cli import main
from layers.model import Citation, Reference, Report
from layers.paths import DEFAULT_REPORTS_DIR
from layers.reports import (
    ReportsError,
    citation_label,
    load_reports,
    paragraphs_label,
    source_details,
    sources_line,
)
from layers.settings import resolve
from tests.conftest import report_paragraphs

REPORT_000, REPORT_001 = "000_0f03b8209ef71bac.txt", "001_dfc6dfa4d6bd7bc6.txt"

TEXT = "سطر أول من عندنا\n\n  \nسطر ثانٍ\nسطر ثالث\n"


def _record(text: str, name: str = "007_abc.txt", paragraphs: int = 3) -> Report:
    return Report(
        file=name,
        language="ar",
        date="2025-11",
        paragraphs=paragraphs,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        title_en="A test report",
        title_ar="تقرير للاختبار",
        retells=(),
    )


def test_paragraph_n_is_the_nth_non_empty_line(tmp_path):
    (tmp_path / "007_abc.txt").write_text(TEXT, encoding="utf-8")
    library = load_reports(tmp_path, {"007_abc.txt": _record(TEXT)})
    assert library.loaded("007_abc.txt")
    assert library.paragraph(Citation("007_abc.txt", 2)) == "سطر ثانٍ"
    assert library.paragraph(Citation("007_abc.txt", 4)) is None  # beyond the file


def test_a_changed_report_is_an_error_naming_the_file(tmp_path):
    (tmp_path / "007_abc.txt").write_text(TEXT.replace("ثالث", "رابع"), encoding="utf-8")
    with pytest.raises(ReportsError) as err:
        load_reports(tmp_path, {"007_abc.txt": _record(TEXT)})
    message = str(err.value)
    assert "007_abc.txt" in message and "SHA-256" in message and str(tmp_path) in message


def test_a_recorded_paragraph_count_that_differs_is_an_error(tmp_path):
    (tmp_path / "007_abc.txt").write_text(TEXT, encoding="utf-8")
    with pytest.raises(ReportsError, match="3 paragraphs, sources.json records 4"):
        load_reports(tmp_path, {"007_abc.txt": _record(TEXT, paragraphs=4)})


def test_no_folder_or_a_missing_file_means_not_loaded(tmp_path):
    record = {"007_abc.txt": _record(TEXT)}
    for library in (load_reports(None, record), load_reports(tmp_path, record)):
        assert not library.loaded("007_abc.txt")
        assert library.paragraph(Citation("007_abc.txt", 1)) is None
        assert library.missing(record) == ["007_abc.txt"]
    with pytest.raises(ReportsError, match="is not a folder"):
        load_reports(tmp_path / "nowhere", record)


def test_the_shipped_citations_read_the_real_paragraphs(geodata, reports_dir):
    library = load_reports(reports_dir, geodata.reports)
    assert library.missing(geodata.reports) == []
    feature = geodata.feature("al-hol-camp")
    [cite] = feature.sources
    expected = report_paragraphs(reports_dir / cite.report)[cite.paragraph - 1]
    assert library.paragraph(cite) == expected
    assert "الهول" in expected


@pytest.mark.parametrize(
    ("lang", "label", "details"),
    [
        ("en", "report 000 (outlet not named, November 2025), ¶7", "paragraph 7"),
        ("ar", "التقرير 000 (وسيلة غير مسماة، تشرين الثاني 2025)، الفقرة 7", "الفقرة 7"),
    ],
)
def test_a_citation_reads_number_outlet_date_and_paragraph(geodata, lang, label, details):
    cite = Citation("000_0f03b8209ef71bac.txt", 7)
    assert citation_label(cite, dict(geodata.reports), lang) == label
    facts = source_details(cite, geodata.reports[cite.report], lang)
    assert facts[0] == details and facts[-1] == "000_0f03b8209ef71bac.txt"


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        (
            "en",
            "Sources: report 000 (outlet not named, November 2025), ¶¶3–5, 7; "
            "report 001 (outlet not named, November 2025), ¶2 · Outside references: "
            "T (P, 2019)",
        ),
        (
            "ar",
            "المصادر: التقرير 000 (وسيلة غير مسماة، تشرين الثاني 2025)، الفقرات 3–5، 7؛ "
            "التقرير 001 (وسيلة غير مسماة، تشرين الثاني 2025)، الفقرة 2 · مراجع خارجية: "
            "T (P، 2019)",
        ),
    ],
)
def test_exports_cite_each_report_once_in_the_same_wording(geodata, lang, line):
    """One formatter for the footers, sources slides and offline pages: paragraphs of a
    report gathered into ranges, each report named as a popup names it."""
    cites = [Citation(REPORT_000, n) for n in (7, 3, 4, 5, 4)] + [Citation(REPORT_001, 2)]
    ref = Reference("r", "T", "P", "2019")
    assert sources_line(cites, [ref], geodata.reports, lang) == line
    assert sources_line([], [], geodata.reports, lang) == ""
    single = paragraphs_label(REPORT_000, [7], geodata.reports, lang)
    assert single == citation_label(Citation(REPORT_000, 7), geodata.reports, lang)


def test_reports_folder_comes_from_the_environment(tmp_path):
    assert resolve(environ={"BRIEFMAP_REPORTS": str(tmp_path)}).reports == tmp_path.resolve()
    assert resolve(environ={"BRIEFMAP_REPORTS": ""}).reports is None
    default = DEFAULT_REPORTS_DIR if DEFAULT_REPORTS_DIR.is_dir() else None
    assert resolve(environ={}).reports == default


# -- briefmap cite --------------------------------------------------------------------------


def test_cite_prints_the_claims_next_to_the_paragraphs(capsys, reports_dir):
    assert main(["cite", "al-hol-camp", "--reports", str(reports_dir)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("feature al-hol-camp")
    assert "where thousands of ISIS fighters and their families live" in out
    assert "report 000 (outlet not named, November 2025), ¶7" in out
    paragraph = report_paragraphs(reports_dir / "000_0f03b8209ef71bac.txt")[6]
    assert " ".join(paragraph.split()[:6]) in out  # the paragraph itself, read at run time


def test_cite_finds_scenes_and_timeline_entries_by_id(capsys):
    assert main(["cite", "smuggling-corridor", "--no-reports"]) == 0
    out = capsys.readouterr().out
    assert "timeline smuggling-corridor" in out
    assert "scene 3 of walkthrough iraq-syria-2025: smuggling-corridor" in out
    assert out.count("report not loaded") == 4  # two citations each


def test_cite_suggests_close_ids_for_an_unknown_one(capsys):
    assert main(["cite", "al-hol", "--no-reports"]) == 2
    assert "did you mean" in capsys.readouterr().err


def test_cite_and_serve_refuse_a_changed_report(capsys, tmp_path, reports_dir):
    bad = tmp_path / "reports"
    shutil.copytree(reports_dir, bad)
    path = bad / "001_dfc6dfa4d6bd7bc6.txt"
    path.write_bytes(path.read_bytes() + b"\n\xd8\xa7\n")
    assert main(["cite", "al-hol-camp", "--reports", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "001_dfc6dfa4d6bd7bc6.txt" in err and "does not match" in err
    assert main(["serve", "--port", "1", "--reports", str(bad)]) == 1  # refused before start
    err = capsys.readouterr().err
    assert "cannot serve" in err and "001_dfc6dfa4d6bd7bc6.txt" in err and "--no-reports" in err


def test_the_repo_holds_no_report_file():
    root = Path(__file__).resolve().parent.parent
    names = {p.name for p in root.rglob("*.txt") if ".venv" not in p.parts}
    assert not names & {"000_0f03b8209ef71bac.txt", "001_dfc6dfa4d6bd7bc6.txt"}
