"""Walkthroughs in the sidebar: start presenting one, and author your own.

A draft walkthrough lives in this session: "add the current view as a scene", edit titles,
key points and notes, reorder, delete, download the file, or upload one (validated at the
same boundary as the shipped files, every problem shown with scene and field).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import streamlit as st

from dashboard import data, state
from dashboard.press import SureButton, sure_buttons
from layers.access import Capability, Person
from layers.boundary import validate_walkthrough_text, validate_walkthrough_upload
from layers.i18n import pick, t
from layers.model import Geodata
from layers.render.escape import md
from layers.view import View
from layers.view.words import describe
from layers.walkthrough import Scene, Walkthrough, dump_walkthrough

UPLOAD_PROBLEMS = "bm_upload_problems"
UPLOAD_KEY = "draft-upload"  # + a counter: each file read gets a fresh uploader
UPLOADS = "bm_uploads"
EDITOR = "draft-edit-"  # prefix of the scene editors' widget keys
MAX_SOURCES = 8


def briefing_sidebar(geodata: Geodata, view: View, lang: str, who: Person) -> None:
    presenting, authoring = who.may(Capability.PRESENT), who.may(Capability.AUTHOR)
    if not (presenting or authoring):  # a pack carries the speaker notes: not a viewer's
        return
    st.sidebar.subheader(t("briefing", lang))
    paused = st.session_state.get(state.PAUSED) if presenting else None
    seat = data.briefing_room().find(paused) if paused else None
    if seat:
        label = t("resume", lang, n=seat.briefing.index + 1)
        button = SureButton("resume", label, primary=True)
        pressed, done = sure_buttons(st.sidebar, "resume", [button], lang)
        if pressed:
            _present(seat.briefing.walkthrough.id, seat.key, done)
    choices = dict(geodata.walkthroughs)
    draft = st.session_state.get(state.DRAFT)
    if draft is not None and draft.scenes:
        choices[draft.id] = draft
    chosen = st.sidebar.selectbox(
        t("walkthrough_label", lang),
        list(choices),
        key="walk-pick",
        format_func=lambda k: pick(choices[k].title_en, choices[k].title_ar, lang),
    )
    if presenting:
        button = SureButton("present", t("present", lang))
        pressed, done = sure_buttons(st.sidebar, "present", [button], lang)
        if pressed:
            _start(choices[chosen], who, done)
    from dashboard import exports  # matplotlib: not before the map's first paint (sidebar.py)

    exports.pack_panel(choices[chosen], geodata, lang)  # (its PPTX holds the notes)
    if authoring:
        with st.sidebar.expander(t("author", lang)):
            _author(geodata, view, lang)


def _start(walkthrough: Walkthrough, who: Person, done: Callable[[], None]) -> None:
    """The Present button: a new briefing from its first scene, this window its presenter."""
    from dashboard.briefing import start

    briefing = start(walkthrough, 0, who)
    if briefing is not None:
        _present(walkthrough.id, briefing.presenter_key, done)


def _present(walkthrough_id: str, token: str | None, done: Callable[[], None]) -> None:
    """Start presenting (or resume a briefing by its key): this window becomes the presenter's."""
    params = {"mode": "presenter", "walkthrough": walkthrough_id, "scene": "1"}
    if token:
        params["briefing"] = token
    lang = st.session_state.get(state.KEY_LANG, "en")
    if lang != "en":
        params["lang"] = lang
    state.navigate(params, done)
    st.rerun()


def _author(geodata: Geodata, view: View, lang: str) -> None:
    draft: Walkthrough | None = st.session_state.get(state.DRAFT)
    st.button(
        t("add_scene", lang),
        key="draft-add",
        on_click=_add_scene,
        args=(geodata, view),
        use_container_width=True,
    )
    if draft is not None:
        for i, scene in enumerate(draft.scenes):
            _scene_editor(draft, i, scene, lang)
        _download(draft, geodata, lang)
    st.file_uploader(
        t("upload_walkthrough", lang),
        type=["yaml", "yml"],
        key=_upload_key(),
        max_upload_size=1,  # MB; layers refuses anything over 256 kB before reading it
        on_change=_load_upload,
        args=(geodata, _upload_key()),
    )
    for problem in st.session_state.get(UPLOAD_PROBLEMS, ()):
        st.error(md(problem))


def _add_scene(geodata: Geodata, view: View) -> None:
    shown = view.select(geodata)
    if not shown:
        st.session_state[UPLOAD_PROBLEMS] = (t("nothing_matches", view.lang),)
        return
    draft = st.session_state.get(state.DRAFT) or Walkthrough(
        "my-briefing", "My briefing", "إحاطتي", "", "", ()
    )
    n = (
        max(
            (int(s.id.rsplit("-", 1)[1]) for s in draft.scenes if s.id.startswith("scene-")),
            default=0,
        )
        + 1
    )
    sources = tuple(dict.fromkeys(c for f in shown for c in f.sources))[:MAX_SOURCES]
    focus = st.session_state.get(state.FOCUS)
    scene = Scene(
        id=f"scene-{n}",
        title_en=f"Scene {n}",
        title_ar=f"المشهد {n}",
        points_en=(describe(view.with_changes(lang="en"), geodata),),
        points_ar=(describe(view.with_changes(lang="ar"), geodata),),
        notes_en="Speaker notes for this scene.",
        notes_ar="ملاحظات المتحدث لهذا المشهد.",
        view=view.with_changes(bbox=None, lang="en", center=None, zoom=None, notes=()),
        extent=st.session_state.get(state.BOUNDS),
        highlight=focus.feature_ids if focus else (),
        sources=sources or next(f.sources for f in geodata.features if f.sources),
    )
    st.session_state[state.DRAFT] = replace(draft, scenes=(*draft.scenes, scene))
    st.session_state[UPLOAD_PROBLEMS] = ()


def _scene_editor(draft: Walkthrough, i: int, scene: Scene, lang: str) -> None:
    key = f"{EDITOR}{scene.id}"
    st.markdown(f"**{i + 1}\\. {md(pick(scene.title_en, scene.title_ar, lang))}**")
    fields = {
        "title_en": ("Title (English)", scene.title_en, False),
        "title_ar": ("العنوان (عربي)", scene.title_ar, False),
        "points_en": ("Key points, one per line (English)", "\n".join(scene.points_en), True),
        "points_ar": ("النقاط الرئيسية، نقطة في كل سطر (عربي)", "\n".join(scene.points_ar), True),
        "notes_en": ("Speaker notes (English)", scene.notes_en, True),
        "notes_ar": ("ملاحظات المتحدث (عربي)", scene.notes_ar, True),
    }
    for name, (label, value, long) in fields.items():
        widget = st.text_area if long else st.text_input
        widget(
            label,
            value=value,
            key=f"{key}-{name}",
            on_change=_edit,
            args=(scene.id, name, f"{key}-{name}"),
        )
    up, down, delete = st.columns(3)
    up.button("↑", key=f"{key}-up", on_click=_move, args=(scene.id, -1), disabled=i == 0)
    down.button(
        "↓",
        key=f"{key}-down",
        on_click=_move,
        args=(scene.id, 1),
        disabled=i == len(draft.scenes) - 1,
    )
    delete.button(
        "✕", key=f"{key}-delete", on_click=_delete, args=(scene.id,), help=t("delete_scene", lang)
    )


def _edit(scene_id: str, name: str, widget_key: str) -> None:
    draft: Walkthrough = st.session_state[state.DRAFT]
    raw = st.session_state[widget_key]
    value = (
        tuple(line.strip() for line in raw.splitlines() if line.strip())
        if name.startswith("points")
        else raw
    )
    scenes = tuple(replace(s, **{name: value}) if s.id == scene_id else s for s in draft.scenes)
    st.session_state[state.DRAFT] = replace(draft, scenes=scenes)


def _move(scene_id: str, delta: int) -> None:
    draft: Walkthrough = st.session_state[state.DRAFT]
    scenes = list(draft.scenes)
    i = next(k for k, s in enumerate(scenes) if s.id == scene_id)
    j = max(0, min(len(scenes) - 1, i + delta))
    scenes[i], scenes[j] = scenes[j], scenes[i]
    st.session_state[state.DRAFT] = replace(draft, scenes=tuple(scenes))


def _delete(scene_id: str) -> None:
    draft: Walkthrough = st.session_state[state.DRAFT]
    scenes = tuple(s for s in draft.scenes if s.id != scene_id)
    st.session_state[state.DRAFT] = replace(draft, scenes=scenes) if scenes else None


def _download(draft: Walkthrough, geodata: Geodata, lang: str) -> None:
    text = dump_walkthrough(draft)
    _walkthrough, problems = validate_walkthrough_text(text, f"{draft.id}.yaml", geodata)
    for problem in problems:  # e.g. a title emptied or written in the wrong language
        st.error(md(problem))
    st.download_button(
        t("download_walkthrough", lang),
        text,
        file_name=f"{draft.id}.yaml",
        mime="application/yaml",
        key="draft-download",
        disabled=bool(problems),
        use_container_width=True,
    )


def _upload_key() -> str:
    return f"{UPLOAD_KEY}-{st.session_state.get(UPLOADS, 0)}"


def _load_upload(geodata: Geodata, key: str) -> None:
    """A callback: runs before the rerun, so a valid upload shows in that very run. The file
    is read once, then the uploader is replaced by a fresh one (a new key), so choosing the
    same file again, corrected, with the same name and size, is a change like any other (a
    browser does not report re-choosing the file an input already holds)."""
    upload = st.session_state.get(key)
    if upload is None:
        return
    st.session_state[UPLOADS] = st.session_state.get(UPLOADS, 0) + 1
    walkthrough, problems = validate_walkthrough_upload(upload.name, upload.getvalue(), geodata)
    st.session_state[UPLOAD_PROBLEMS] = problems
    if walkthrough is not None:
        st.session_state[state.DRAFT] = walkthrough
        for key in [k for k in st.session_state if str(k).startswith(EDITOR)]:
            del st.session_state[key]
