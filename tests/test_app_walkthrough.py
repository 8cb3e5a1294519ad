"""The walkthrough pages and author mode with AppTest (no browser)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from layers.boundary import load_geodata
from tests.conftest import GEODATA, run_app, shown

SCENES = load_geodata(GEODATA).walkthroughs["iraq-syria-2025"].scenes


def audience_key(presenter) -> str:
    """The audience key from the link the presenter's page shows for the projector."""
    link = next(c.value for c in presenter.code if "mode=audience" in c.value)
    return parse_qs(urlparse(link).query)["briefing"][0]


def _text(at) -> str:
    return "\n".join(shown(str(m.value)) for m in (*at.markdown, *at.info, *at.caption))


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("number", range(1, len(SCENES) + 1))
def test_every_scene_renders_in_both_languages(number, lang):
    scene = SCENES[number - 1]
    title = scene.title_ar if lang == "ar" else scene.title_en
    notes = scene.notes_ar if lang == "ar" else scene.notes_en
    presenter = run_app(walkthrough="iraq-syria-2025", scene=str(number), lang=lang)
    assert title in _text(presenter) and notes in _text(presenter)
    audience = run_app(briefing=audience_key(presenter), lang=lang, mode="audience")
    text = _text(audience)
    assert title.replace("'", "&#x27;") in text
    assert notes not in text  # speaker notes never reach the audience


def test_author_adds_edits_reorders_deletes_and_downloads():
    at = run_app(actors="isis")
    at.button(key="draft-add").click().run()
    at.multiselect(key="actors").set_value(["turkey"]).run()
    at.button(key="draft-add").click().run()
    assert [s.id for s in at.session_state["bm_draft"].scenes] == ["scene-1", "scene-2"]
    first = at.session_state["bm_draft"].scenes[0]
    assert first.view.actors == {"isis"} and first.sources
    at.text_input(key="draft-edit-scene-1-title_en").input("ISIS today").run()
    at.text_area(key="draft-edit-scene-1-points_en").input("Desert threat\nal-Hol").run()
    scene = at.session_state["bm_draft"].scenes[0]
    assert scene.title_en == "ISIS today" and scene.points_en == ("Desert threat", "al-Hol")
    at.button(key="draft-edit-scene-2-up").click().run()
    assert [s.id for s in at.session_state["bm_draft"].scenes] == ["scene-2", "scene-1"]
    at.button(key="draft-edit-scene-2-delete").click().run()
    assert [s.id for s in at.session_state["bm_draft"].scenes] == ["scene-1"]
    assert not at.error  # the draft validates, so it can be downloaded
    at.text_input(key="draft-edit-scene-1-title_ar").input("ISIS in English").run()
    assert any("title_ar" in shown(e.value) and "expected Arabic" in e.value for e in at.error)


def test_an_admin_sees_the_briefings_in_progress_and_ends_one():
    """Without sign-in the person at the keyboard is an admin too: the sidebar lists every
    briefing in progress, and ending one ends it for its presenter and audience alike."""
    presenter = run_app(walkthrough="iraq-syria-2025", scene="4")
    key = audience_key(presenter)
    assert run_app(briefing=key, mode="audience").error == []  # the projector follows
    admin = run_app()
    ends = [b for b in admin.button if str(b.key).startswith("bm-end-")]
    assert ends, "no End button for the briefing just started"
    listed = "\n".join(shown(str(c.value)) for c in admin.caption)
    assert "Scene 4 of 10 · started by the local user" in listed
    ends[-1].click().run()  # the list is oldest first: the last is the one just started
    ended = run_app(briefing=key, mode="audience")
    assert any("This briefing has ended" in str(e.value) for e in ended.error)
