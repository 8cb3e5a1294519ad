"""A tiny Streamlit page for the sign-in tests (not briefmap's dashboard): Streamlit's own
st.login against the OIDC provider named in `[auth]` of its secrets, then st.user shown as
plain text (st.text: nothing from the provider is read as Markdown)."""

import streamlit as st

if not st.user.is_logged_in:
    st.text("not signed in")
    st.button("Log in", on_click=st.login)
else:
    roles = st.user.get("roles") or []
    st.text(f"signed in as {st.user.get('preferred_username')}")
    st.text(f"roles: {','.join(roles) if isinstance(roles, list) else repr(roles)}")
    st.text(f"issuer: {st.user.get('iss')}")
    st.button("Log out", on_click=st.logout)
