"""The timeline beside the map: every dated statement from the reports, following the filters.
Clicking an entry flies the map to what it is about and highlights it; each citation opens the
paragraph it cites, and the grade says its meaning on hover."""

from __future__ import annotations

import streamlit as st

from dashboard import access, state
from dashboard.markup import html_block
from dashboard.sources_panel import SOURCES_CSS, citation_expanders, citation_line
from layers.access import Capability
from layers.annotations import annotation_bounds, visible_annotations
from layers.dates import describe
from layers.i18n import pick, t
from layers.model import Annotation, ClaimType, Geodata
from layers.render.escape import esc
from layers.render.sources import grade_html
from layers.view import View

PANEL_HEIGHT = 640


def timeline_panel(view: View, geodata: Geodata) -> None:
    lang = view.lang
    html_block(SOURCES_CSS)
    st.markdown(f"**{t('timeline', lang)}**")
    annotations = visible_annotations(view, geodata)
    box = st.container(height=PANEL_HEIGHT, key="timeline")
    if not annotations:
        box.info(t("no_annotations", lang))
        return
    reading = access.may(Capability.READ_SOURCES)
    for a in annotations:
        _entry(box, a, geodata, lang, reading)


def _entry(box, a: Annotation, geodata: Geodata, lang: str, reading: bool) -> None:
    """Date, title, text and source in one HTML block (every value escaped), then the
    citations and the button. Few elements per entry: their number is what the browser pays
    for on first paint (bench/first_paint.py) and what every run of the page costs the
    server. A reader who may not open the paragraphs (a viewer) gets the citations as a line
    in the same block, not an expander each that could only say so."""
    when = describe(a.date, lang) if a.date else t("scenario_badge", lang)
    badges = []
    if a.claim_type == ClaimType.SCENARIO:
        badges.append(t("scenario_badge", lang))
    if a.claim_type == ClaimType.BACKGROUND:
        badges.append(t("background_badge", lang))
    if a.conflicts:
        badges.append(t("conflict_badge", lang))
    title = pick(a.title_en, a.title_ar, lang)
    originator = geodata.originators[a.originator]
    origin = pick(originator.name_en, originator.name_ar, lang)
    head = f"<b>{esc(when)}</b> · {esc(title)}"
    if badges:
        head += f" · <i>{esc(', '.join(badges))}</i>"
    text = esc(pick(a.text_en, a.text_ar, lang))
    cites = "" if reading or not a.sources else citation_line(a.sources, geodata, lang)
    with box.container(key=f"ann-{a.id}"):
        html_block(
            f'<div class="bm-tl-head">{head}</div><div class="bm-tl-text">{text}</div>'
            f'<div class="bm-tl-source">{esc(origin)} — {grade_html(a.grade, lang)}</div>' + cites
        )
        if reading:
            citation_expanders(a.sources, geodata, lang)
        bounds = annotation_bounds(a, geodata)
        if bounds:
            # a callback runs before the rerun, so the map of that very run flies there
            target = {"bounds": list(bounds), "max_zoom": 8}
            st.button(
                t("show_on_map", lang),
                key=f"focus-{a.id}",
                on_click=state.request_focus,
                args=(title, a.features, target),
            )
