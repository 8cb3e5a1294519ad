"""The OIDC authorization-code flow driven with plain HTTP, as a relying party and a person at
the portal's form would: ask for a code, fill in the portal's own login form, follow its
redirects up to (not into) the relying party's redirect URI, exchange the code for tokens."""

from __future__ import annotations

import base64
import json
import secrets
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

SCOPES = "openid profile email roles"


class _LoginForm(HTMLParser):
    """The portal's form holding a password field: its action, method and every input."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self.forms.append({"action": values.get("action") or "", "fields": {}})
        elif tag == "input" and self.forms and values.get("name"):
            if values.get("type") == "checkbox":
                return
            self.forms[-1]["fields"][values["name"]] = values.get("value") or ""

    def login_form(self) -> dict:
        found = [form for form in self.forms if "password" in form["fields"]]
        assert found, "the portal's page has no login form"
        return found[0]


def session() -> requests.Session:
    browser = requests.Session()
    browser.trust_env = False  # loopback only: never through a proxy from the environment
    return browser


def authorize(provider, browser: requests.Session, redirect_uri: str, **extra: str):
    """GET the authorization endpoint; returns the response and the state and nonce sent."""
    state, nonce = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri,
        "scope": SCOPES,
        "state": state,
        "nonce": nonce,
        **extra,
    }
    answer = browser.get(
        provider.discovery()["authorization_endpoint"],
        params=params,
        allow_redirects=False,
        timeout=30,
    )
    return answer, state, nonce


def sign_in(provider, login: str, password: str, redirect_uri: str) -> dict:
    """Log in on the portal's form; returns {"code", "state", "nonce", "page"}: the code and
    state the portal redirected to `redirect_uri` with (None without a redirect there) and the
    last page the portal answered."""
    browser = session()
    page, state, nonce = authorize(provider, browser, redirect_uri)
    assert page.status_code == 200, f"authorize answered {page.status_code}"
    parser = _LoginForm()
    parser.feed(page.text)
    form = parser.login_form()
    fields = {**form["fields"], "user": login, "password": password}
    answer = browser.post(
        urljoin(page.url, form["action"]).split("#")[0],
        data=fields,
        allow_redirects=False,
        timeout=30,
    )
    for _ in range(10):  # follow the portal's own redirects, stop at the relying party's
        location = answer.headers.get("location")
        if answer.status_code not in (301, 302, 303, 307) or not location:
            break
        target = urljoin(answer.url, location)
        if target.startswith(redirect_uri):
            query = parse_qs(urlsplit(target).query)
            return {
                "code": query.get("code", [None])[0],
                "state": query.get("state", [None])[0],
                "error": query.get("error", [None])[0],
                "nonce": nonce,
                "sent_state": state,
                "page": answer,
            }
        answer = browser.get(target, allow_redirects=False, timeout=30)
    return {
        "code": None,
        "state": None,
        "error": None,
        "nonce": nonce,
        "sent_state": state,
        "page": answer,
    }


def exchange(provider, code: str, redirect_uri: str) -> requests.Response:
    """POST the code to the token endpoint with the client's secret (HTTP Basic)."""
    return session().post(
        provider.discovery()["token_endpoint"],
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri},
        auth=(provider.client_id, provider.client_secret),
        timeout=30,
    )


def claims(jwt: str) -> dict:
    """The payload of a JWT, unverified (verification: `verified_claims`)."""
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def verified_claims(provider, jwt: str) -> dict:
    """The ID token's claims after checking its signature against the provider's JWKS."""
    from joserfc import jwt as jose_jwt
    from joserfc.jwk import KeySet

    keys = KeySet.import_key_set(session().get(provider.discovery()["jwks_uri"], timeout=30).json())
    decoded = jose_jwt.decode(jwt, keys, algorithms=["RS256"])
    jose_jwt.JWTClaimsRegistry(iss={"essential": True, "value": provider.issuer}).validate(
        decoded.claims
    )
    return dict(decoded.claims)
