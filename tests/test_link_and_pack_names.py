"""What a person names gets a sensible answer: a pack's --out that is a folder gets the app's
file names inside it, a link's scene that is not there is named in the link warning, an
audience link without its key says so, and the app's CSV refuses a marking it does not know."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from layers.dtg import utc_now
from layers.export.products import Request, pack_path
from layers.view import View
from layers.walkthrough import scene_index
from tests.conftest import run_app, shown

WALK = "iraq-syria-2025"


@pytest.mark.parametrize("out", [".", "..", "/", "sub", "sub/"])
def test_a_pack_into_a_folder_is_named_as_the_app_names_it(geodata, tmp_path, monkeypatch, out):
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub" if out == ".." else tmp_path)
    req = Request("pptx", View(), utc_now(), walkthrough=geodata.walkthroughs[WALK], pack=True)
    path = pack_path(Path(out), req)
    assert path.parent == Path(out)  # inside the folder named, never beside it
    assert re.fullmatch(rf"briefmap-{WALK}-pack-en-\d{{8}}T\d{{4}}Z\.pptx", path.name)


def test_a_pack_named_by_a_file_stem_keeps_it(geodata, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    req = Request("pdf", View(), utc_now(), walkthrough=geodata.walkthroughs[WALK], pack=True)
    assert pack_path(Path("brief"), req) == Path("brief.pdf")


@pytest.mark.parametrize(
    "raw, index, said",
    [
        (None, 0, None),
        ("3", 2, None),
        ("10", 9, None),
        ("99999", 9, "scene=99999 (scenes 1 to 10): opened scene 10"),
        ("0", 0, "scene=0 (scenes 1 to 10): opened scene 1"),
        ("nan", 0, "scene=nan (expected a scene number 1 to 10): opened scene 1"),
        ("-2", 0, "scene=-2 (expected a scene number 1 to 10): opened scene 1"),
        ("9" * 5000, 0, "opened scene 1"),
    ],
)
def test_a_scene_that_is_not_there_is_named(raw, index, said):
    got, note = scene_index(raw, 10)
    assert got == index
    if said is None:
        assert note is None
    else:
        assert note is not None and said in note and len(note) < 120


@pytest.mark.parametrize("raw", ["99999", "nan"])
def test_the_presenter_page_names_the_scene_it_could_not_open(raw):
    at = run_app(walkthrough=WALK, scene=raw, start=False)  # said before the briefing starts
    assert [b for b in at.button if b.key == "bm-start-presenting"]
    warnings = " ".join(shown(w.value) for w in at.warning)
    assert f"scene={raw}" in warnings and "opened scene" in warnings


def test_an_audience_link_without_its_key_says_so():
    at = run_app(mode="audience", walkthrough=WALK)
    errors = " ".join(e.value for e in at.error)
    assert "lacks its briefing key" in errors
    assert "No such walkthrough" not in errors


def test_an_audience_link_to_no_walkthrough_says_that():
    at = run_app(mode="audience", walkthrough="nope")
    assert any("No such walkthrough" in e.value for e in at.error)


@pytest.mark.parametrize("fmt", ["csv", "geojson", "png"])
def test_the_app_refuses_an_unknown_marking_in_every_format(fmt):
    at = run_app()
    at.selectbox(key="exp-format").set_value(fmt)
    at.text_input(key="exp-marking").set_value("BOGUS" * 1000)
    at.button(key="exp-build").click().run()
    errors = [shown(e.value) for e in at.error]
    assert any("unknown marking" in e for e in errors), errors
    assert all(len(e) < 300 for e in errors)
    assert at.session_state["bm_export"] is None
