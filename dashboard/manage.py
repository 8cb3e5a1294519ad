"""What an admin manages from the sidebar: the briefings in progress on every server of the
team (who started each, on which scene, when it last moved), each of which they may end."""

from __future__ import annotations

import time

import streamlit as st

from dashboard import data
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
