"""What an admin manages from the sidebar: the briefings in progress on every server of the
team (who started each, on which scene, when it last moved), each of which they may end; and
the event store's imports, each of which they may remove (`layers.events.records`)."""

from __future__ import annotations

import time

import streamlit as st

from dashboard import data, events_panel, state
from layers.access import Person
from layers.errors import BriefmapError
from layers.events.records import listed
from layers.events.words import w
from layers.i18n import pick, t
from layers.render.escape import md


def briefings_panel(lang: str) -> None:
    """The briefings in progress, with an End button each (the caller checked the role)."""
    running = data.briefing_room().in_progress()
    with st.sidebar.expander(t("running_briefings", lang, n=len(running))):
        if not running:
            st.caption(t("no_running_briefings", lang))
        for r in running:
            title = pick(r.walkthrough.title_en, r.walkthrough.title_ar, lang)
            st.markdown(f"**{md(title)}**")
            st.caption(
                t(
                    "running_line",
                    lang,
                    n=r.index + 1,
                    total=len(r.walkthrough.scenes),
                    owner=md(r.owner or t("nobody_signed_in", lang)),
                    started=time.strftime("%H:%M", time.gmtime(r.started)),
                    moved=time.strftime("%H:%M", time.gmtime(r.touched)),
                )
            )
            if st.button(t("end_briefing", lang), key=f"bm-end-{r.channel}"):
                data.briefing_room().end(r.channel)
                st.rerun()


def imports_panel(lang: str, who: Person) -> None:
    """The store's imports, newest first, each with a Remove button that asks once more
    (the caller checked the role: `Capability.MANAGE`)."""
    snap = events_panel.snapshot()  # this run's one read of the store, shared with the map
    if snap is None:  # the events panel says why
        return
    imports = snap.info.imports
    said = st.session_state.pop(state.IMPORT_REMOVED, None)
    asked = st.session_state.get(state.IMPORT_REMOVAL)
    title = w("imports_title", lang, n=len(imports))  # a removal changes it: open it then
    with st.sidebar.expander(title, expanded=bool(said or asked)):
        if said:
            (st.success if said[0] else st.error)(md(said[1]))
        for entry in reversed(imports):
            st.caption(md(listed(entry, lang)))
            ident = entry.get("id")
            if ident is None:
                st.caption(w("import_no_id", lang))
            elif ident == asked:
                _confirm(ident, lang, who)
            elif st.button(w("remove_import", lang, id=ident), key=f"bm-remove-import-{ident}"):
                st.session_state[state.IMPORT_REMOVAL] = ident
                st.rerun()


def _confirm(ident: int, lang: str, who: Person) -> None:
    st.warning(w("remove_import_sure", lang, id=ident))
    yes, no = st.columns(2)
    if yes.button(w("remove_import_yes", lang), key="bm-remove-import-yes", type="primary"):
        st.session_state.pop(state.IMPORT_REMOVAL, None)
        try:
            done = data.store().remove_import(ident, by=who.login if who.signed_in else "")
            words = w(
                "import_removed",
                lang,
                id=ident,
                n=f"{done.events:,}",
                before=done.marking_before,
                after=done.marking_after,
            )
            st.session_state[state.IMPORT_REMOVED] = (True, words)
        except BriefmapError as exc:
            st.session_state[state.IMPORT_REMOVED] = (False, str(exc))
        st.rerun()
    if no.button(w("remove_import_no", lang), key="bm-remove-import-no"):
        st.session_state.pop(state.IMPORT_REMOVAL, None)
        st.rerun()
