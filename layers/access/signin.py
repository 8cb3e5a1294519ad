"""The sign-in configuration an operator gives `briefmap serve --sign-in FILE`: a TOML file
with Streamlit's own `[auth]` section (what `st.login` reads), checked here before the server
starts so that a typo is a clear refusal naming the file and the key, not a broken login
button. Streamlit reads the same file (`--secrets.files`): the file is never copied."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from layers.errors import ConfigError

MAX_FILE = 64 << 10
REQUIRED = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
MIN_COOKIE_SECRET = 16
LOOPBACK = ("127.0.0.1", "::1", "localhost")


class SignInError(ConfigError, ValueError):
    """A sign-in file that Streamlit's st.login could not use (the message names the key)."""


def check_sign_in(path: Path) -> dict:
    """The `[auth]` section of `path`, checked; SignInError naming the file and key if not."""
    from layers.boundary.tomlio import TomlRefused, read_toml

    where = f"sign-in file {path}"
    try:
        data = read_toml(path, MAX_FILE, "a sign-in file")
    except TomlRefused as exc:
        raise SignInError(f"{where}: {exc}") from None
    auth = data.get("auth")
    if not isinstance(auth, dict):
        raise SignInError(f"{where}: no [auth] section (Streamlit's st.login reads it)")
    for key in REQUIRED:
        value = auth.get(key)
        if not isinstance(value, str) or not value.strip():
            raise SignInError(f"{where}, [auth] {key}: missing or not a string")
    if len(auth["cookie_secret"]) < MIN_COOKIE_SECRET:
        raise SignInError(
            f"{where}, [auth] cookie_secret: at least {MIN_COOKIE_SECRET} characters "
            "(every app server behind one address shares it)"
        )
    for key in ("redirect_uri", "server_metadata_url"):
        parts = urlsplit(auth[key])
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SignInError(f"{where}, [auth] {key}: expected an http(s) URL")
    if not urlsplit(auth["redirect_uri"]).path.endswith("/oauth2callback"):
        raise SignInError(f"{where}, [auth] redirect_uri: must end in /oauth2callback")
    return auth


def is_loopback(address: str) -> bool:
    return address in LOOPBACK or address.startswith("127.")
