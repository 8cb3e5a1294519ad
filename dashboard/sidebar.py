"""The sidebar: language, search, filters, layer toggles, downloads and the link to the view."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

import streamlit as st

from dashboard import events_panel, state
from layers.i18n import pick, t, type_label
from layers.model import Geodata, Theme
from layers.render.escape import md
from layers.search import search
from layers.table import feature_type
from layers.view import View
from layers.view.url import to_query
from layers.view.words import short_name

_POINT_PAD = 0.25  # degrees around a point when flying to it


def language_switch() -> str:
    st.sidebar.radio(
        "Language · اللغة",
        ["en", "ar"],
        key=state.KEY_LANG,
        horizontal=True,
        format_func=lambda x: "English" if x == "en" else "العربية",
    )
    return st.session_state[state.KEY_LANG]


def search_box(geodata: Geodata, lang: str) -> None:
    query = st.sidebar.text_input(
        t("search", lang), key=state.KEY_SEARCH, placeholder=t("search_help", lang)
    )
    if not query.strip():
        return
    hits = search(query, geodata, limit=5)
    if not hits:
        st.sidebar.caption(t("no_hits", lang))
    for i, hit in enumerate(hits):
        # a callback runs before the rerun, so the map of that very run flies there
        st.sidebar.button(
            md(hit.label(lang)),
            key=f"hit-{i}-{hit.id}",
            use_container_width=True,
            on_click=_focus_on_hit,
            args=(hit, geodata, lang),
        )


def _focus_on_hit(hit, geodata: Geodata, lang: str) -> None:
    if hit.kind == "feature":
        ids = (hit.id,)
    elif hit.kind == "actor":
        ids = tuple(f.id for f in geodata.features if hit.id in f.actors)
    else:
        ids = ()
    w, s, e, n = hit.bounds
    if e - w < 2 * _POINT_PAD and n - s < 2 * _POINT_PAD:
        cx, cy = (w + e) / 2, (s + n) / 2
        w, s, e, n = cx - _POINT_PAD, cy - _POINT_PAD, cx + _POINT_PAD, cy + _POINT_PAD
    state.request_focus(hit.label(lang), ids, {"bounds": [w, s, e, n], "max_zoom": 9})


def filters(geodata: Geodata, lang: str) -> None:
    st.sidebar.subheader(t("filters", lang))
    view = state.current_view(geodata)
    base = view.with_changes(actors=frozenset())
    counts = _actor_counts(base, geodata)
    selected = st.session_state.get(state.KEY_ACTORS, [])  # tidied by state.tidy_filters
    # actors with something to show, plus any already chosen (a choice never disappears)
    options = sorted(
        {a for a in geodata.actors if counts.get(a)} | set(selected),
        key=lambda a: short_name(geodata.actors[a], lang),
    )
    st.sidebar.multiselect(
        t("actors_label", lang),
        options,
        key=state.KEY_ACTORS,
        placeholder=t("choose", lang),
        format_func=lambda a: _actor_label(geodata, a, lang, counts.get(a, 0)),
    )
    type_counts = Counter(
        feature_type(f) for f in view.with_changes(types=frozenset()).select(geodata)
    )
    type_counts.update(events_panel.type_counts(view, geodata))  # imported incidents' types
    all_types = sorted(
        {feature_type(f) for f in geodata.features} | set(events_panel.type_names()),
        key=lambda x: type_label(x, lang),
    )
    st.sidebar.multiselect(
        t("types_label", lang),
        all_types,
        key=state.KEY_TYPES,
        placeholder=t("choose", lang),
        format_func=lambda x: f"{type_label(x, lang)} ({type_counts.get(x, 0)})",
    )
    st.sidebar.slider(
        t("dates_label", lang),
        min_value=state.DATE_MIN,
        max_value=state.DATE_MAX,
        key=state.KEY_DATES,
        format="YYYY-MM-DD",
    )
    st.sidebar.toggle(t("undated_label", lang), key=state.KEY_UNDATED)
    st.sidebar.checkbox(t("in_view_label", lang), key=state.KEY_IN_VIEW)


def _actor_counts(view: View, geodata: Geodata) -> Counter:
    """Features each actor would match given the other filters (members count for parents)."""
    shown = view.select(geodata)
    counts: Counter = Counter()
    for actor in geodata.actors:
        closure = View(actors=frozenset({actor})).actor_closure(geodata)
        counts[actor] = sum(1 for f in shown if not closure.isdisjoint(f.actors))
    return counts


def _actor_label(geodata: Geodata, actor_id: str, lang: str, count: int) -> str:
    """Both names, so the box filters on English or Arabic typing."""
    actor = geodata.actors[actor_id]
    other = "en" if lang == "ar" else "ar"
    return f"{short_name(actor, lang)} · {short_name(actor, other)} ({count})"


def layer_toggles(geodata: Geodata, lang: str) -> None:
    st.sidebar.subheader(t("layers", lang))
    for theme in Theme:
        layers = [layer for layer in geodata.layers.values() if layer.theme == theme]
        if not layers:
            continue
        st.sidebar.caption(t(f"theme_{theme.value}", lang))
        for layer in layers:
            count = len(geodata.in_layer(layer.id))
            st.sidebar.checkbox(
                f"{md(pick(layer.name_en, layer.name_ar, lang))} ({count})",
                key=state.layer_key(layer.id),
                help=md(pick(layer.description_en, layer.description_ar, lang)),
            )


def downloads_and_link(view: View, geodata: Geodata, chosen: list) -> None:
    """The files of this view (built on request: `dashboard.exports`) and the link to it."""
    # imported here, not at the top: exports import matplotlib (about 1 s of a cold start,
    # 4 s on a loaded machine), which the map's first paint does not need
    from dashboard import exports

    lang = view.lang
    exports.export_panel(view, geodata, lang)
    base = st.context.url or ""
    query = urlencode(to_query(view, state.highlighted_ids()))
    # In a popover: its content (st.code, whose highlighter costs the browser about a second
    # of work) is only drawn when opened, so it does not slow the map's first paint.
    with st.sidebar.popover(t("link", lang), icon=":material/link:", width="stretch"):
        st.code(f"{base}?{query}" if query else base, language=None, wrap_lines=True)
        st.caption(t("link_help", lang))
