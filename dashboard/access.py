"""Who this page serves, and the sign-in page (Streamlit's own `st.login`, OIDC).

With `--sign-in FILE` every window but the audience's (a capability link for the projector)
needs a signed-in person, whose roles come from the ID token's roles claim
(`layers.access`). Without it the one person at the keyboard holds every role; when the
server was nevertheless opened beyond loopback (`--no-sign-in`), every page says so.
"""

from __future__ import annotations

import streamlit as st

from dashboard import data
from layers.access import Capability, Person, local_person, signed_in_person
from layers.access.signin import is_loopback
from layers.i18n import t
from layers.render.escape import md

MAY_UPLOAD = "bm_may_upload"  # session state: the server takes this session's files


def sign_in_on() -> bool:
    return data.runtime().settings.sign_in is not None


def person() -> Person | None:
    """The person this run serves; None: sign-in is on and nobody has signed in."""
    if not sign_in_on():
        return local_person()
    user = st.user
    if not user.is_logged_in:
        return None
    return signed_in_person(user.to_dict())


def may(capability: Capability) -> bool:
    who = person()
    return who is not None and who.may(capability)


def gate(lang: str) -> Person | None:
    """The person to serve, or None after drawing what stands in the page's place: the
    sign-in button, or the note that this person holds no briefmap role."""
    who = person()
    if who is None:
        st.markdown(f"#### {t('app_title', lang)}")
        st.info(t("sign_in_needed", lang))
        st.button(t("sign_in", lang), key="bm-sign-in", type="primary", on_click=st.login)
        return None
    if not who.roles:
        st.warning(t("no_role", lang, login=md(who.login)))
        st.button(t("sign_out", lang), key="bm-sign-out", on_click=st.logout)
        return None
    if not sign_in_on() and not is_loopback(str(st.get_option("server.address") or "")):
        st.warning(t("open_without_sign_in", lang))
    st.session_state[MAY_UPLOAD] = who.may(Capability.IMPORT) or who.may(Capability.AUTHOR)
    return who


def account_box(who: Person, lang: str) -> None:
    """Who is signed in, with which roles, and the way out (sidebar)."""
    if not who.signed_in:
        return
    box = st.sidebar.container(key="bm-account")
    box.caption(t("signed_in_as", lang, login=md(who.login), roles=md(who.shown_roles)))
    box.button(t("sign_out", lang), key="bm-sign-out", on_click=st.logout)
