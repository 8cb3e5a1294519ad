"""Who may do what (layers.access): roles read from a sign-in claim of any shape a provider (or
a hostile token) could send, the one table of capabilities, and `briefmap serve`'s sign-in
file and its refusal to serve beyond loopback without sign-in."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from layers.access import (
    ALLOWED,
    Capability,
    Role,
    local_person,
    roles_from_claim,
    signed_in_person,
)
from layers.access.signin import SignInError, check_sign_in
from layers.serve import ServeError, streamlit_command
from layers.serve import check_sign_in as check_serve
from layers.settings import resolve
from layers.team.cluster import free_port

R = Role


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        (["viewer"], {R.VIEWER}),
        (["Viewer", " PRESENTER "], {R.VIEWER, R.PRESENTER}),
        ("analyst,presenter", {R.ANALYST, R.PRESENTER}),
        ("analyst presenter\tadmin", {R.ANALYST, R.PRESENTER, R.ADMIN}),
        (("admin",), {R.ADMIN}),
        (["payroll", "viewer"], {R.VIEWER}),  # another application's roles: ignored
        (["payroll"], set()),
        ([], set()),
        ("", set()),
        (None, set()),
        (7, set()),
        (True, set()),
        ({"admin": True}, set()),  # an object is not a list of roles
        ([["admin"]], set()),  # nor is a list of lists
        ([{"role": "admin"}, 3, None], set()),
        (["viewer"] * 65, set()),  # longer than any list of roles: none, not a guess
        ("viewer," * 70, set()),
        (["admin" + " " * 80], set()),  # a name longer than any role's
        ("admin" * 10_000, set()),
    ],
)
def test_roles_come_only_from_a_well_formed_claim(claim, expected):
    assert roles_from_claim(claim) == frozenset(expected)


def test_the_table_says_what_each_role_may_do():
    viewer = {Capability.VIEW, Capability.EXPORT}
    assert ALLOWED[R.VIEWER] == viewer
    assert ALLOWED[R.ANALYST] == viewer | {
        Capability.IMPORT, Capability.AUTHOR, Capability.READ_SOURCES
    }  # fmt: skip
    assert ALLOWED[R.PRESENTER] == viewer | {Capability.PRESENT, Capability.READ_SOURCES}
    assert ALLOWED[R.ADMIN] == set(Capability)
    assert set(ALLOWED) == set(Role)


def test_a_person_holds_the_union_of_their_roles():
    person = signed_in_person({"preferred_username": "p1", "roles": ["viewer", "presenter"]})
    assert person.login == "p1" and person.signed_in
    assert person.may(Capability.PRESENT) and person.may(Capability.READ_SOURCES)
    assert not person.may(Capability.IMPORT) and not person.may(Capability.MANAGE)
    assert person.shown_roles == "viewer, presenter"
    nobody = signed_in_person({"sub": "x", "roles": "nothing-here"})
    assert nobody.login == "x" and nobody.capabilities == frozenset()
    assert signed_in_person({"email": "a@b.invalid"}).login == "a@b.invalid"
    assert signed_in_person({"preferred_username": ["not", "text"], "sub": "s"}).login == "s"


def test_without_sign_in_the_local_person_may_do_everything():
    person = local_person()
    assert not person.signed_in and person.capabilities == frozenset(Capability)


AUTH = {
    "redirect_uri": "http://127.0.0.1:8080/oauth2callback",
    "cookie_secret": "a-long-enough-cookie-secret",
    "client_id": "briefmap",
    "client_secret": "s3cret",
    "server_metadata_url": "http://127.0.0.1:9000/.well-known/openid-configuration",
}


def _write(tmp_path: Path, auth: dict | None, extra: str = "") -> Path:
    lines = [] if auth is None else ["[auth]", *(f'{k} = "{v}"' for k, v in auth.items())]
    path = tmp_path / "sign-in.toml"
    path.write_text("\n".join(lines) + "\n" + extra)
    return path


def test_a_good_sign_in_file_is_read(tmp_path):
    assert check_sign_in(_write(tmp_path, AUTH))["client_id"] == "briefmap"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"client_id": None}, r"\[auth\] client_id: missing"),
        ({"server_metadata_url": None}, r"\[auth\] server_metadata_url: missing"),
        ({"cookie_secret": "short"}, r"cookie_secret: at least 16"),
        ({"redirect_uri": "ftp://x/oauth2callback"}, r"redirect_uri: expected an http\(s\) URL"),
        ({"redirect_uri": "http://127.0.0.1:1/elsewhere"}, r"must end in /oauth2callback"),
        ({"server_metadata_url": "not a url"}, r"server_metadata_url: expected an http"),
    ],
)
def test_a_sign_in_file_st_login_could_not_use_is_refused_naming_the_key(tmp_path, change, message):
    auth = {k: v for k, v in {**AUTH, **change}.items() if v is not None}
    path = _write(tmp_path, auth)
    with pytest.raises(SignInError, match=message) as caught:
        check_sign_in(path)
    assert str(path) in str(caught.value)


def test_files_that_are_not_sign_in_files_are_refused(tmp_path):
    with pytest.raises(SignInError, match=r"no \[auth\] section"):
        check_sign_in(_write(tmp_path, None, "[other]\na = 1\n"))
    with pytest.raises(SignInError, match="not TOML"):
        check_sign_in(_write(tmp_path, None, "[auth\n"))
    with pytest.raises(SignInError, match="No such file"):
        check_sign_in(tmp_path / "missing.toml")
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * (70 << 10))
    with pytest.raises(SignInError):
        check_sign_in(big)


def _settings(tmp_path, sign_in=None):
    flags = {"store": tmp_path / "store", "sign_in": sign_in}
    return resolve(flags, environ={})


def test_serve_refuses_to_go_beyond_loopback_without_sign_in(tmp_path):
    settings = _settings(tmp_path)
    for address in ("127.0.0.1", "localhost", "::1"):
        check_serve(settings, address, no_sign_in=False)
    for address in ("0.0.0.0", "192.168.1.20", "::"):
        with pytest.raises(ServeError, match="--sign-in FILE.*--no-sign-in"):
            check_serve(settings, address, no_sign_in=False)
        check_serve(settings, address, no_sign_in=True)  # the operator said so
    signed = _settings(tmp_path, _write(tmp_path, AUTH))
    check_serve(signed, "0.0.0.0", no_sign_in=False)
    command = streamlit_command(8600, "0.0.0.0", signed)
    assert f"--secrets.files={(tmp_path / 'sign-in.toml').resolve()}" in command


def test_briefmap_serve_says_why_it_will_not_serve_the_lan_unsigned(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "layers.cli",
            "serve",
            "--address",
            "0.0.0.0",
            "--port",
            str(free_port()),
            "--store",
            str(tmp_path / "store"),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 2 and "--sign-in FILE" in done.stderr, done.stderr
