"""The dashboard's citations (AppTest, no browser): every timeline and presenter citation is an
expander named the way people read it, holding the paragraph; a reports folder that fails
verification is said at the top and shows no paragraph."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import run_app, shown


@pytest.fixture
def reports_env(app_env):
    """Point the app at a reports folder for one test (its settings are read once per
    process: `app_env` rebuilds its runtime)."""

    def use(folder) -> None:
        app_env(BRIEFMAP_REPORTS=folder)

    return use


def _labels(at) -> list[str]:
    return [shown(e.label) for e in at.expander]


def test_timeline_citations_are_expanders_with_the_paragraph(geodata, reports_env, reports_dir):
    reports_env(reports_dir)
    at = run_app()
    labels = _labels(at)
    assert "report 000 (outlet not named, November 2025), ¶7" in labels  # al-Hol fear
    html = " ".join(m.value for e in at.expander for m in e.markdown)
    assert 'class="bm-para" dir="rtl" lang="ar"' in html
    assert not at.error


def test_presenter_lists_the_scene_citations(geodata, reports_env, reports_dir):
    reports_env(reports_dir)
    at = run_app(walkthrough="iraq-syria-2025", scene="3")
    scene = geodata.walkthroughs["iraq-syria-2025"].scenes[2]
    labels = _labels(at)
    for c in scene.sources:
        assert any(label.endswith(f"¶{c.paragraph}") and c.report[:3] in label for label in labels)


def test_a_changed_report_is_said_and_no_paragraph_is_shown(reports_env, reports_dir, tmp_path):
    bad = tmp_path / "reports"
    shutil.copytree(reports_dir, bad)
    (bad / "000_0f03b8209ef71bac.txt").write_text("another text\n", encoding="utf-8")
    reports_env(bad)
    at = run_app()
    assert any("could not be verified" in shown(e.value) for e in at.error)
    assert any("000_0f03b8209ef71bac.txt" in c.value for c in at.code)
    html = " ".join(m.value for e in at.expander for m in e.markdown)
    assert "bm-para-missing" in html and 'class="bm-para"' not in html


def test_without_reports_citations_say_not_loaded(reports_env, tmp_path):
    reports_env(tmp_path)
    at = run_app(lang="ar")
    html = " ".join(m.value for e in at.expander for m in e.markdown)
    assert "التقرير غير محمّل" in html
    assert not at.error


def test_a_viewer_reads_which_paragraphs_without_an_expander_each(
    monkeypatch, geodata, reports_env, reports_dir
):
    """A viewer may not open the paragraphs: the timeline names each citation on a line of
    its entry (escaped, the reason on hover) and draws no expander that could only say so,
    and no paragraph text reaches the page."""
    from dashboard import access
    from layers.access import signed_in_person

    reports_env(reports_dir)
    viewer = signed_in_person({"preferred_username": "v1", "roles": ["viewer"]})
    monkeypatch.setattr(access, "person", lambda: viewer)
    at = run_app()
    assert _labels(at) == []
    html = " ".join(m.value for m in at.markdown)
    assert 'class="bm-tl-cites"' in html
    assert "report 000 (outlet not named, November 2025), ¶7" in html
    assert "The cited paragraph is for analysts and presenters." in html
    assert 'class="bm-para"' not in html
