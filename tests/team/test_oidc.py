"""briefmap's own OIDC provider (Debian's LemonLDAP::NG portal, `layers.team.oidc`), started
by the test on a loopback port as an unprivileged user, driven with plain HTTP. Never
skipped: without the Debian packages the tests fail and say what to install."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import pytest

from layers.team import oidc
from layers.team.cluster import free_port
from layers.team.oidc import CLOSED_ROUTES, ROLES, Provider, ProviderError, check_installed
from tests.team import oidc_flow

SIGN_IN_APP = Path(__file__).parents[1] / "ui" / "sign_in_app.py"
REDIRECT = f"http://127.0.0.1:{free_port()}/oauth2callback"


@pytest.fixture(scope="module")
def provider():
    check_installed()  # fails (never skips) naming the Debian packages
    folder = Path(tempfile.mkdtemp(dir="/tmp", prefix="briefmap-test-oidc-"))
    try:
        with Provider(folder, free_port(), [REDIRECT]) as running:
            yield running
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_discovery_answers_on_loopback(provider):
    found = provider.discovery()
    assert found["issuer"] == provider.issuer
    assert found["authorization_endpoint"].startswith(f"{provider.issuer}/")
    assert "code" in found["response_types_supported"]
    assert "RS256" in found["id_token_signing_alg_values_supported"]
    assert "S256" in found["code_challenge_methods_supported"]


@pytest.mark.parametrize("login", ["viewer1", "analyst1", "presenter1", "admin1"])
def test_code_flow_gives_an_id_token_with_the_users_roles(provider, login):
    user = provider.users[login]
    signed_in = oidc_flow.sign_in(provider, user.login, user.password, REDIRECT)
    assert signed_in["code"], f"no code for {login}: {signed_in['page'].text[:500]}"
    assert signed_in["state"] == signed_in["sent_state"]

    tokens = oidc_flow.exchange(provider, signed_in["code"], REDIRECT)
    assert tokens.status_code == 200, tokens.text
    id_token = oidc_flow.verified_claims(provider, tokens.json()["id_token"])
    assert id_token["iss"] == provider.issuer
    assert id_token["aud"] in (provider.client_id, [provider.client_id])
    assert id_token["nonce"] == signed_in["nonce"]
    assert id_token["sub"] == login
    assert id_token["roles"] == list(user.roles)
    assert set(id_token["roles"]) <= set(ROLES)
    assert id_token["email"] == user.email

    userinfo = oidc_flow.session().get(
        provider.discovery()["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {tokens.json()['access_token']}"},
        timeout=30,
    )
    assert userinfo.status_code == 200, userinfo.text
    assert userinfo.json()["roles"] == list(user.roles)


def test_st_user_shows_the_roles_of_the_id_token_without_a_browser(provider):
    """Streamlit's callback keeps the ID token's claims (Authlib's `userinfo`) with
    `is_logged_in` as st.user; seeded the same way, the sign-in page shows the roles."""
    from streamlit.testing.v1 import AppTest

    user = provider.users["presenter1"]
    signed_in = oidc_flow.sign_in(provider, user.login, user.password, REDIRECT)
    tokens = oidc_flow.exchange(provider, signed_in["code"], REDIRECT).json()
    id_claims = oidc_flow.verified_claims(provider, tokens["id_token"])

    page = AppTest.from_file(str(SIGN_IN_APP))
    page.user = {**id_claims, "is_logged_in": True}
    page.run()
    shown = [text.value for text in page.text]
    assert "signed in as presenter1" in shown
    assert "roles: viewer,presenter" in shown


def test_the_portal_log_keeps_no_password_code_or_token(provider):
    user = provider.users["admin1"]
    wrong = oidc_flow.sign_in(provider, user.login, user.password + "-typo", REDIRECT)
    signed_in = oidc_flow.sign_in(provider, user.login, user.password, REDIRECT)
    tokens = oidc_flow.exchange(provider, signed_in["code"], REDIRECT).json()
    assert wrong["code"] is None
    logout = oidc_flow.session().get(  # what st.logout sends: the ID token in the query
        provider.discovery()["end_session_endpoint"],
        params={"id_token_hint": tokens["id_token"], "post_logout_redirect_uri": REDIRECT},
        allow_redirects=False,
        timeout=30,
    )
    assert logout.status_code in (200, 302)
    log = provider.log.read_text(errors="replace")
    assert "successfully authenticated" in log  # the log is the portal's, and it is written
    for secret in (
        user.password,
        user.password + "-typo",
        signed_in["code"],
        tokens["access_token"],
        tokens["id_token"].split(".")[2],
        provider.client_secret,
    ):
        assert secret not in log


def test_a_single_role_is_still_a_list(provider):
    user = provider.users["viewer1"]
    signed_in = oidc_flow.sign_in(provider, user.login, user.password, REDIRECT)
    tokens = oidc_flow.exchange(provider, signed_in["code"], REDIRECT).json()
    assert oidc_flow.claims(tokens["id_token"])["roles"] == ["viewer"]


def test_a_wrong_password_gets_no_code(provider):
    user = provider.users["admin1"]
    signed_in = oidc_flow.sign_in(provider, user.login, user.password + "x", REDIRECT)
    assert signed_in["code"] is None
    assert signed_in["page"].status_code in (200, 401)  # the form again, with an error
    assert 'name="password"' in signed_in["page"].text


def test_an_unknown_user_gets_no_code(provider):
    signed_in = oidc_flow.sign_in(provider, "mallory", "anything", REDIRECT)
    assert signed_in["code"] is None


def test_a_code_works_once_and_only_with_the_secret(provider):
    user = provider.users["analyst1"]
    signed_in = oidc_flow.sign_in(provider, user.login, user.password, REDIRECT)
    stolen = oidc_flow.session().post(
        provider.discovery()["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": signed_in["code"],
            "redirect_uri": REDIRECT,
        },
        auth=(provider.client_id, "not-the-secret"),
        timeout=30,
    )
    assert stolen.status_code in (400, 401)
    assert "id_token" not in stolen.text
    first = oidc_flow.exchange(provider, signed_in["code"], REDIRECT)
    again = oidc_flow.exchange(provider, signed_in["code"], REDIRECT)
    assert first.status_code == 200
    assert again.status_code == 400


def test_an_unregistered_redirect_uri_gets_no_code(provider):
    user = provider.users["admin1"]
    elsewhere = "http://127.0.0.1:9/oauth2callback"
    signed_in = oidc_flow.sign_in(provider, user.login, user.password, elsewhere)
    assert signed_in["code"] is None
    assert "code=" not in signed_in["page"].headers.get("location", "")


@pytest.mark.parametrize("route", CLOSED_ROUTES)
def test_the_portals_admin_routes_are_closed(provider, route):
    answer = oidc_flow.session().get(f"{provider.issuer}/{route}/x", timeout=30)
    assert answer.status_code == 403


def test_the_login_page_loads_its_scripts_and_styles_from_the_portal(provider):
    browser = oidc_flow.session()
    page = browser.get(f"{provider.issuer}/", timeout=30)
    assets = re.findall(r'(?:src|href)="(/(?:static|javascript)/[^"]+)"', page.text)
    assert any(a.endswith("jquery.min.js") for a in assets)
    for asset in assets:
        answer = browser.get(f"{provider.issuer}{asset}", timeout=30)
        assert answer.status_code == 200, asset
        assert "html" not in answer.headers["content-type"], asset  # not the portal's page


def test_nothing_listens_beyond_loopback(provider):
    listening = _listening_addresses(provider.pid)
    assert listening, "the portal's process listens on nothing"
    assert listening == {("127.0.0.1", provider.port)}


def test_the_portal_runs_unprivileged_with_its_state_in_its_folder(provider):
    status = Path(f"/proc/{provider.pid}/status").read_text()
    uid = int(next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1])
    assert uid != 0
    assert (provider.folder / "conf" / "lmConf-1.json").exists()
    assert any((provider.folder / "sessions").iterdir()), "no session kept in the folder"
    assert provider.folder.stat().st_mode & 0o077 == 0


def test_a_broken_configuration_fails_with_the_portals_own_words():
    folder = Path(tempfile.mkdtemp(dir="/tmp", prefix="briefmap-test-oidc-bad-"))
    broken = Provider(folder, free_port(), [REDIRECT])
    broken._conf = lambda private, public: {"cfgNum": 1}  # no cfgDate, no domain: refused
    try:
        with pytest.raises(ProviderError) as failed:
            broken.start()
        assert "No configuration available" in str(failed.value)
        assert not broken.running()
    finally:
        broken.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_a_port_in_use_is_refused_with_a_clear_error(provider):
    folder = Path(tempfile.mkdtemp(dir="/tmp", prefix="briefmap-test-oidc-busy-"))
    try:
        with pytest.raises(ProviderError, match="in use"):
            Provider(folder, provider.port, [REDIRECT]).start()
        assert provider.discovery()["issuer"] == provider.issuer  # the first one still serves
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_each_start_signs_with_a_new_key_and_new_passwords():
    folders = [Path(tempfile.mkdtemp(dir="/tmp", prefix="briefmap-test-oidc-")) for _ in "ab"]
    try:
        keys, passwords = [], []
        for folder in folders:
            with Provider(folder, free_port(), [REDIRECT]) as running:
                jwks = oidc_flow.session().get(running.discovery()["jwks_uri"], timeout=30)
                keys.append(jwks.json()["keys"][0]["n"])
                passwords.append(running.users["admin1"].password)
        assert keys[0] != keys[1]
        assert passwords[0] != passwords[1]
    finally:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


def test_streamlit_secrets_carry_what_st_login_needs(provider):
    text = provider.streamlit_secrets("http://127.0.0.1:8501/oauth2callback", 'c"ookie\\')
    auth = tomllib.loads(text)["auth"]
    assert auth["server_metadata_url"] == provider.discovery_url
    assert auth["client_id"] == provider.client_id
    assert auth["client_secret"] == provider.client_secret
    assert auth["cookie_secret"] == 'c"ookie\\'
    assert auth["redirect_uri"].endswith("/oauth2callback")
    assert "roles" in auth["client_kwargs"]["scope"].split()


def test_missing_packages_are_named(monkeypatch):
    monkeypatch.setattr(oidc, "PERL_MODULES", (*oidc.PERL_MODULES, "No::Such::Module"))
    with pytest.raises(ProviderError) as failed:
        check_installed()
    assert "No/Such/Module" in str(failed.value)
    assert "apt-get install" in str(failed.value)
    assert "liblemonldap-ng-portal-perl" in str(failed.value)


def _listening_addresses(pid: int) -> set[tuple[str, int]]:
    """(address, port) of every TCP socket the process listens on (from /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = os.readlink(fd)
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and inode in inodes:
                found.add(_address(local))
    return found


def _address(hex_address: str) -> tuple[str, int]:
    host, port = hex_address.split(":")
    if len(host) == 8:
        octets = bytes.fromhex(host)[::-1]
        return ".".join(str(b) for b in octets), int(port, 16)
    return host, int(port, 16)  # IPv6: kept raw, never loopback-equal to 127.0.0.1


def test_the_demo_command_serves_until_stopped_and_writes_st_login_secrets(tmp_path):
    secrets_file = tmp_path / "app" / ".streamlit" / "secrets.toml"
    folder = Path(tempfile.mkdtemp(dir="/tmp", prefix="briefmap-test-oidc-demo-"))
    command = [sys.executable, "-m", "layers.team.oidc_demo", "--folder", str(folder),
               "--app-url", REDIRECT.removesuffix("/oauth2callback"),
               "--secrets", str(secrets_file)]  # fmt: skip
    demo = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=Path.cwd())
    try:
        lines = {}
        for line in demo.stdout:  # ends when the command prints its last line or exits
            key, _, value = line.rstrip("\n").partition(": ")
            lines.setdefault(key, []).append(value)
            if key == "secrets":
                break
        assert demo.poll() is None, f"the demo command ended: {lines}"
        auth = tomllib.loads(secrets_file.read_text())["auth"]
        assert secrets_file.stat().st_mode & 0o077 == 0
        running = _Running(auth, lines["issuer"][0])
        login, password, _ = lines["user"][1].split(" ", 2)
        signed_in = oidc_flow.sign_in(running, login, password, REDIRECT)
        tokens = oidc_flow.exchange(running, signed_in["code"], REDIRECT).json()
        assert oidc_flow.claims(tokens["id_token"])["roles"] == ["viewer", "analyst"]
    finally:
        demo.send_signal(signal.SIGTERM)
        assert demo.wait(timeout=60) == 0
        demo.stdout.close()
        shutil.rmtree(folder, ignore_errors=True)
    with pytest.raises(OSError):
        oidc_flow.session().get(running.discovery_url, timeout=10)


class _Running:
    """What oidc_flow needs of a provider, read from the demo's secrets and output."""

    def __init__(self, auth: dict, issuer: str) -> None:
        self.issuer = issuer
        self.discovery_url = auth["server_metadata_url"]
        self.client_id = auth["client_id"]
        self.client_secret = auth["client_secret"]

    def discovery(self) -> dict:
        return oidc_flow.session().get(self.discovery_url, timeout=30).json()
