"""Presenting a walkthrough: the presenter's window (laptop) and the audience's (projector).

Both windows follow one briefing held in the server's briefing store, each through its own key
in the URL: the presenter's key drives (buttons or clicker keys) and shows the speaker notes;
the audience's key only follows. Each window watches the briefing's version a few times a
second and reruns only when it changed, so the audience follows within a second.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

import folium
import streamlit as st
from streamlit_folium import st_folium

from dashboard import access, data, state
from dashboard.clicker import show_clicker
from dashboard.markup import html_block
from dashboard.press import new_presses
from dashboard.scene_cache import scene_groups
from dashboard.sources_panel import SOURCES_CSS, citation_expanders
from layers.access import Capability, Person
from layers.briefing import Briefing, BriefingError, Role, Seat
from layers.errors import app_message
from layers.i18n import pick, t
from layers.model import Geodata
from layers.render.escape import esc, md
from layers.render.leaflet import base_map, focus_group, highlight_group, layer_groups
from layers.render.projector import MAP_PX, banner_html, extras_group, projector_frame
from layers.routes import BRIEFING_HEADER, BRIEFING_URL
from layers.view.words import describe
from layers.walkthrough import SCENE_PADDING, Walkthrough, scene_frame, scene_index, scene_view

# How often a projector window asks the server whether the briefing moved. Windows in the same
# browser are woken at once by the clicker's BroadcastChannel; an audience elsewhere (another
# machine on the LAN) asks from the browser (the clicker's `follow`): each question is a
# few-byte answer from `layers.routes`, never a run of the page, and only a move reruns it.
AUDIENCE_POLL_SECONDS = 0.4
PRESENTER_POLL_SECONDS = 1.0  # also the clock's tick
PRESENTER_ACTIONS = ("first", "prev", "next", "last", "blank", "exit")
SHOWN = "bm_shown_version"

AUDIENCE_CSS = """
<style>
header[data-testid="stHeader"], section[data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"], [data-testid="stToolbar"] { display: none !important; }
.block-container { padding: 40px 1.2rem 0 1.2rem !important; max-width: 100% !important; }
.block-container [data-testid="stVerticalBlock"] { gap: 0 !important; }
[class*="st-key-bm-clicker-"] { height: 0 !important; overflow: hidden; }
.bm-banner { position: fixed; left: 0; right: 0; height: 34px; z-index: 999990; display: flex;
  align-items: center; justify-content: center; font: 700 22px/1 "Source Sans", "Source Sans Pro",
  sans-serif; letter-spacing: 0.08em; }
.bm-banner-top { top: 0; } .bm-banner-bottom { bottom: 0; }
.stApp .bm-aud-paused { font-size: 28px !important; font-weight: 700; padding: 10px 16px;
  margin: 0.3rem 0; background: #fff4d6; border-inline-start: 6px solid #b8860b; }
.stApp .bm-aud-title { font-size: 52px !important; font-weight: 700; line-height: 1.15;
  margin: 0 0 0.2rem 0; }
.stApp .bm-aud-count { font-size: 22px !important; color: #555; line-height: 1.3;
  padding-bottom: 10px; }
.stApp ul.bm-aud-points { padding-inline-start: 1.1em; margin: 0; }
.stApp ul.bm-aud-points li { font-size: 34px !important; line-height: 1.3 !important;
  margin: 0 0 0.7em 0 !important; }
.bm-blank { position: fixed; inset: 0; background: #000; z-index: 1000000; }
iframe:focus, iframe:focus-visible { outline: none !important; }
</style>
"""


def resolve(geodata: Geodata, mode: str, who: Person | None = None) -> Seat | None:
    """The briefing this window belongs to, through the key in its link. A presenter link
    without a key (`?walkthrough=ID&scene=N`) offers to start one: a briefing is made only by
    a presenter's press of "Start presenting", never by loading a link. Shows why when there
    is none."""
    params = st.query_params
    room = data.briefing_room()
    key = params.get("briefing")
    lang = st.session_state.get(state.KEY_LANG, "en")
    if key is not None:
        seat = room.find(key)
        if seat is None:
            st.error(t("briefing_unknown", lang))
        return seat
    walkthrough = _walkthrough(params.get("walkthrough"), geodata)
    if walkthrough is None:
        st.error(t("no_walkthrough", lang))
        return None
    if mode == "audience":  # an audience follows a briefing: only its key can say which
        st.error(t("audience_needs_key", lang))
        return None
    index, note = scene_index(params.get("scene"), len(walkthrough.scenes))
    if note:
        st.warning(t("ignored_link", lang, notes=md(note)))
    if who is None or not who.may(Capability.PRESENT):
        st.error(t("needs_presenter", lang))
        return None
    st.markdown(f"### {md(pick(walkthrough.title_en, walkthrough.title_ar, lang))}")
    st.caption(t("start_at", lang, n=index + 1, total=len(walkthrough.scenes)))
    if not st.button(t("start_presenting", lang), key="bm-start-presenting", type="primary"):
        return None
    briefing = start(walkthrough, index, who)
    if briefing is None:
        return None
    params["briefing"] = briefing.presenter_key
    state.keep_in_move("briefing", briefing.presenter_key)
    st.rerun()  # the presenter's page from the top, in place of the start page's elements


def start(walkthrough: Walkthrough, index: int, who: Person) -> Briefing | None:
    """A new briefing of `walkthrough` owned by `who` (a presenter's deliberate act); None
    after saying why when the store refuses (the presenter's limit, the database down)."""
    if not who.may(Capability.PRESENT):
        st.error(t("needs_presenter", st.session_state.get(state.KEY_LANG, "en")))
        return None
    try:
        owner = who.login if who.signed_in else ""  # without sign-in: the server's limit
        return data.briefing_room().create(walkthrough, index, owner=owner)
    except BriefingError as exc:
        st.error(app_message(exc))
        return None


def _walkthrough(ident: str | None, geodata: Geodata) -> Walkthrough | None:
    if ident in geodata.walkthroughs:
        return geodata.walkthroughs[ident]
    draft = st.session_state.get(state.DRAFT)
    return draft if draft is not None and draft.id == ident else None


def controls(seat: Seat, lang: str, show: bool) -> Briefing:
    """Apply the clicker's new presses in order (a presenter's only), then draw the clicker;
    return the briefing as it now is. An audience window's clicker only listens."""
    room = data.briefing_room()
    briefing = seat.briefing
    actions = PRESENTER_ACTIONS if seat.role == Role.PRESENTER else ()
    key = f"bm-clicker-{briefing.channel}"
    for action in new_presses(key, actions):
        if action == "exit":
            # the audience says the presenter has stopped; this window's own clock must not
            # take the pause for a move made elsewhere (it would rerun as a presenter)
            st.session_state[SHOWN] = room.act(seat.key, "pause").version
            _exit_to_dashboard(seat)
            st.rerun()
        briefing = room.act(seat.key, action)
    follow = None
    if seat.role == Role.AUDIENCE:
        follow = {
            "url": BRIEFING_URL,
            "header": BRIEFING_HEADER,
            "key": seat.key,
            "every_ms": int(AUDIENCE_POLL_SECONDS * 1000),
        }
    show_clicker(
        actions,
        lang,
        show_buttons=show,
        key=key,
        channel=f"briefmap-{briefing.channel}",
        version=briefing.version,
        follow=follow,
    )
    return briefing


def _exit_to_dashboard(seat: Seat) -> None:
    """Esc: leave presenting for the analyst view of the current scene; the briefing stays."""
    briefing = seat.briefing
    geodata = data.geodata()
    view = scene_view(briefing.scene, st.query_params.get("lang") or "en")
    state.seed_widgets(view, geodata)
    frame = scene_frame(briefing.scene, geodata)
    if frame:
        state.request_focus(
            pick(briefing.scene.title_en, briefing.scene.title_ar, view.lang),
            briefing.scene.highlight,
            {"bounds": list(frame), "max_zoom": 9},
        )
    st.session_state[state.PAUSED] = seat.key
    state.navigate({state.KEY_MODE: "dashboard"})


def scene_map(
    briefing: Briefing,
    geodata: Geodata,
    lang: str,
    height: int,
    actions: tuple[str, ...],
    key: str,
    mode: str = "screen",
    extras: Callable[[], folium.FeatureGroup] | None = None,
) -> None:
    """The scene's map, fitted to what it highlights; `mode` "projector" for the audience,
    whose `extras` (legend, scale) change with the scene. The layers are built once per
    server and version for every window that shows it (`dashboard.scene_cache`)."""
    scene = briefing.scene
    m = base_map(
        lang=lang,
        basemap_source=data.basemap_source(),
        clicker=actions,
        mode=mode,
        reports_key=data.reports_key() if access.may(Capability.READ_SOURCES) else None,
    )
    reports = data.map_reports()

    def build() -> list[folium.FeatureGroup]:
        view = scene_view(scene, lang)
        features = view.select(geodata)
        groups = layer_groups(features, geodata, view.visible_layers(geodata), lang, reports)
        groups.append(highlight_group((geodata.feature(fid) for fid in scene.highlight), lang))
        frame = scene_frame(scene, geodata)
        if frame:
            target = {"bounds": list(frame), "max_zoom": 10, "padding": SCENE_PADDING}
            groups.append(focus_group(target, briefing.version))
        if extras is not None:
            groups.append(extras())
        return groups

    walk = briefing.walkthrough
    scene_key = (mode, walk.id, id(walk), briefing.index, briefing.version, lang)
    groups = scene_groups((*scene_key, id(geodata), id(reports)), (walk, geodata, reports), build)
    st_folium(
        m,
        key=key,
        height=height,
        use_container_width=True,
        feature_group_to_add=groups,
        returned_objects=[],
    )


def follow(seat: Seat, every: float, clock_lang: str | None = None) -> None:
    """Rerun this window when the briefing moves elsewhere; optionally show the clock."""
    st.session_state[SHOWN] = seat.briefing.version
    key, started = seat.key, seat.briefing.started
    inline = [True]  # drawn inside this full run; its later runs are the fragment's own

    @st.fragment(run_every=every)
    def _watch() -> None:
        if not inline[0]:
            state.confirm_navigation()
        try:
            current = data.briefing_room().find(key)
        except BriefingError as exc:  # the team's database is away: say so, keep asking
            if clock_lang:  # the presenter's window (the projector keeps its scene)
                st.warning(t("briefings_away", clock_lang, why=md(app_message(exc))))
            return
        if current is None or current.briefing.version != st.session_state.get(SHOWN):
            st.rerun()
        if clock_lang:
            elapsed = int(time.time() - started)
            st.markdown(
                f"**{time.strftime('%H:%M:%S')}** · {t('elapsed', clock_lang)} "
                f"{elapsed // 60:02d}:{elapsed % 60:02d}"
            )

    _watch()
    inline[0] = False


def _sync_url(seat: Seat, mode: str, lang: str) -> None:
    """The window's link: its own key only (an audience link never holds the presenter's)."""
    b = seat.briefing
    key = b.presenter_key if mode == "presenter" else b.audience_key
    wanted = {"mode": mode, "walkthrough": b.walkthrough.id, "scene": str(b.index + 1)}
    wanted["briefing"] = key
    if lang != "en":
        wanted["lang"] = lang
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def _points_html(points: tuple[str, ...], lang: str, css: str) -> str:
    direction = "rtl" if lang == "ar" else "ltr"
    items = "".join(f"<li>{esc(p)}</li>" for p in points)
    return f'<ul class="{css}" dir="{direction}" lang="{lang}">{items}</ul>'


def audience_page(geodata: Geodata, lang: str) -> None:
    html_block(AUDIENCE_CSS)
    seat = resolve(geodata, "audience")
    if seat is None:
        return
    seat = Seat(controls(seat, lang, show=False), seat.role)
    _sync_url(seat, "audience", lang)
    briefing = seat.briefing
    scene = briefing.scene
    frame = projector_frame(scene, geodata, lang)
    if briefing.blank:
        html_block('<div class="bm-blank" data-testid="bm-blank"></div>')
    else:
        html_block(banner_html(frame.marking, "top") + banner_html(frame.marking, "bottom"))
        _audience_head(briefing, lang)
    left, right = st.columns([2.3, 1], gap="large")
    with left:
        scene_map(
            briefing,
            geodata,
            lang,
            MAP_PX[1],
            actions=(),
            key="aud-map",
            mode="projector",
            extras=lambda: extras_group(frame, lang),
        )
    if not briefing.blank:
        points = scene.points_ar if lang == "ar" else scene.points_en
        html_block(_points_html(points, lang, "bm-aud-points"), right)
    # no server-side watch: the clicker asks from the browser (see AUDIENCE_POLL_SECONDS)


def _audience_head(briefing: Briefing, lang: str) -> None:
    """The scene's title and count, and a notice while the presenter has stopped presenting
    (the screen is not frozen: it says so, and follows again on resume)."""
    title = esc(pick(briefing.scene.title_en, briefing.scene.title_ar, lang))
    counter = esc(t("scene_counter", lang, n=briefing.index + 1, total=briefing.count))
    direction = "rtl" if lang == "ar" else "ltr"
    paused = ""
    if briefing.paused:
        paused = (
            f'<div class="bm-aud-paused" data-testid="bm-aud-paused" role="status">'
            f"{esc(t('audience_paused', lang))}</div>"
        )
    html_block(
        f'<div dir="{direction}" lang="{lang}"><div class="bm-aud-title" '
        f'id="bm-aud-title">{title}</div><div class="bm-aud-count">{counter}</div>'
        f"{paused}</div>"
    )


def presenter_page(geodata: Geodata, lang: str, who: Person) -> None:
    if not who.may(Capability.PRESENT):  # the notes are the presenter's, key or no key
        st.error(t("needs_presenter", lang))
        if st.button(t("open_the_map", lang), key="bm-to-map"):
            state.navigate({"mode": "dashboard", **({"lang": lang} if lang != "en" else {})})
            st.rerun()
        return
    seat = resolve(geodata, "presenter", who)
    if seat is None:
        return
    if seat.role != Role.PRESENTER:  # an audience key never drives nor sees the notes
        st.error(t("audience_key_cannot_present", lang))
        return
    if seat.briefing.paused:  # presenting again (Resume, or the presenter's link reopened)
        seat = Seat(data.briefing_room().act(seat.key, "resume"), seat.role)
    seat = Seat(controls(seat, lang, show=True), seat.role)
    _sync_url(seat, "presenter", lang)
    briefing = seat.briefing
    scene, upcoming = briefing.scene, briefing.next_scene
    head, clock_box = st.columns([3, 1])
    head.markdown(
        f"### {t('scene_counter', lang, n=briefing.index + 1, total=briefing.count)}"
        f" · {md(pick(briefing.walkthrough.title_en, briefing.walkthrough.title_ar, lang))}"
    )
    with clock_box:
        follow(seat, PRESENTER_POLL_SECONDS, clock_lang=lang)
    notice = st.container()  # a fixed slot: what appears in it never shifts the map below,
    if briefing.blank:  # which Streamlit would otherwise remount
        notice.warning(t("audience_blanked", lang))
    left, right = st.columns([2, 1], gap="large")
    with left:
        st.markdown(f"## {md(pick(scene.title_en, scene.title_ar, lang))}")
        points = scene.points_ar if lang == "ar" else scene.points_en
        html_block(_points_html(points, lang, "bm-pres-points"))
        scene_map(briefing, geodata, lang, height=470, actions=PRESENTER_ACTIONS, key="pres-map")
        st.caption(md(describe(scene_view(scene, lang), geodata)))
    with right:
        _presenter_side(briefing, upcoming, lang)


def _presenter_side(briefing: Briefing, upcoming, lang: str) -> None:
    scene = briefing.scene
    st.markdown(f"**{t('speaker_notes', lang)}**")
    st.info(md(pick(scene.notes_en, scene.notes_ar, lang)))
    html_block(SOURCES_CSS + f"<b>{esc(t('sources_label', lang))}</b>")
    citation_expanders(scene.sources, data.geodata(), lang)
    st.markdown(f"**{t('next_scene', lang)}**")
    if upcoming:
        st.markdown(md(pick(upcoming.title_en, upcoming.title_ar, lang)))
    else:
        st.caption(t("last_scene", lang))
    query = {"mode": "audience", "walkthrough": briefing.walkthrough.id}
    query["briefing"] = briefing.audience_key
    if lang != "en":
        query["lang"] = lang
    # drawn when opened (see sidebar.downloads_and_link): the map paints first
    with st.popover(t("audience_link", lang), icon=":material/cast:", width="stretch"):
        st.code(f"{st.context.url or ''}?{urlencode(query)}", language=None, wrap_lines=True)
    st.caption(t("keys_help", lang))
