"""`briefmap team up|down|status`: one real stack for the module (Debian's PostgreSQL, the
LemonLDAP::NG provider, two `briefmap serve` processes and nginx, on loopback), looked at as
an operator and a browser would (a server killed behind its back included); then a second
stack whose app server finds its port taken, a front port taken before anything starts, and
the nginx configuration for a real host."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import tomllib
from pathlib import Path

import psycopg
import pytest

from layers.cli import main
from layers.team.cluster import Cluster, free_port
from layers.team.stack import DATABASES, AlreadyRunning, Stack, down, static_files, status
from layers.team.stackstate import StackError, alive, descendants, read_state
from tests.ui.harness import WAIT_MS, Guard, launch, open_map, wait_until

PARTS = ["postgresql", "oidc", "app-1", "app-2", "nginx"]


def _folder(what: str) -> Path:
    folder = Path(tempfile.mkdtemp(dir="/tmp", prefix=f"briefmap-test-{what}-"))
    folder.chmod(0o711)  # the servers run as nobody when the tests run as root
    return folder


@pytest.fixture(scope="module")
def stack():
    folder = _folder("team")
    team = Stack(folder / "stack", port=free_port(), servers=2)
    try:
        state = team.up()
        yield team, state
    finally:
        down(team.folder)
        shutil.rmtree(folder, ignore_errors=True)


def _get(url_port: int, path: str, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", url_port, timeout=30)
    conn.request("GET", path, headers=headers or {})
    answer = conn.getresponse()
    body = answer.read()
    conn.close()
    return answer, body


def test_up_starts_every_part_and_status_says_each_is_up(stack, capsys):
    team, state = stack
    found = status(team.folder)
    assert [part.name for part, _ in found] == PARTS
    assert all(up for _, up in found), found
    assert len({part.pid for part, _ in found}) == len(PARTS)
    assert main(["team", "status", "--folder", str(team.folder)]) == 0
    out = capsys.readouterr().out
    assert out.count(" up ") == len(PARTS) and state.url in out
    assert {user["login"] for user in state.users} == {"viewer1", "analyst1", "presenter1",
                                                       "admin1"}  # fmt: skip


def test_the_front_answers_health_through_nginx_and_serves_the_basemap_itself(stack):
    team, _ = stack
    answer, body = _get(team.port, "/_stcore/health")
    assert answer.status == 200 and body == b"ok"
    assert answer.getheader("Server") == "nginx"
    url, archive = next(item for item in static_files(None).items() if "basemap" in item[0])
    answer, body = _get(team.port, url, {"Range": "bytes=0-126"})
    assert answer.status == 206
    assert answer.getheader("Content-Range") == f"bytes 0-126/{archive.stat().st_size}"
    assert body == archive.read_bytes()[:127] and body.startswith(b"PMTiles")
    # nginx's own caching header (the app server's route says "immutable" instead)
    assert answer.getheader("Cache-Control") == "public, max-age=604800"


def test_the_app_servers_use_the_clusters_two_databases(stack):
    team, state = stack
    database = next(part for part in state.parts if part.name == "postgresql")
    cluster = Cluster(team.folder / "postgresql", database.port)
    for name in DATABASES:
        with psycopg.connect(cluster.dsn(name)) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == (name,)
    for part in state.parts:
        if part.name.startswith("app-"):
            cmdline = Path(f"/proc/{part.pid}/cmdline").read_bytes()
            for name in DATABASES:
                assert f"127.0.0.1:{database.port}/{name}".encode() in cmdline
            assert cluster.dsn().split("@")[0].split(":")[-1].encode() not in cmdline


def test_the_app_servers_share_one_auth_config_and_one_cookie_secret(stack):
    """Every server is given the same sign-in file (`briefmap serve --sign-in`, which hands
    it to Streamlit's st.login) and the same cookie secret (STREAMLIT_SERVER_COOKIE_SECRET),
    the redirect on the front's address."""
    team, state = stack
    secrets_file = team.folder / "app" / "secrets.toml"
    assert secrets_file.stat().st_mode & 0o777 == 0o600
    auth = tomllib.loads(secrets_file.read_text())["auth"]
    assert auth["redirect_uri"] == f"{state.url}/oauth2callback"
    oidc = next(part for part in state.parts if part.name == "oidc")
    assert auth["server_metadata_url"] == oidc.probe
    seen = []
    for part in state.parts:
        if part.name.startswith("app-"):
            raw = Path(f"/proc/{part.pid}/environ").read_bytes().split(b"\0")
            env = dict(item.decode().split("=", 1) for item in raw if b"=" in item)
            args = Path(f"/proc/{part.pid}/cmdline").read_bytes().split(b"\0")
            given = [a.decode().split("=", 1)[1] for a in args if a.startswith(b"--secrets.files=")]
            seen.append((given[0] if given else "", env["STREAMLIT_SERVER_COOKIE_SECRET"]))
    assert len(seen) == 2 and seen[0] == seen[1]
    assert seen[0][0] == str(secrets_file.resolve())
    assert len(seen[0][1]) >= 32


def test_a_second_up_says_the_stack_runs_and_changes_nothing(stack, capsys):
    team, state = stack
    with pytest.raises(AlreadyRunning, match="already runs"):
        Stack(team.folder, port=free_port()).up()
    code = main(["team", "up", "--folder", str(team.folder), "--port", str(free_port())])
    assert code == 2 and "already runs" in capsys.readouterr().err
    assert read_state(team.folder) == state
    assert all(up for _, up in status(team.folder))


def test_a_page_through_the_front_draws_the_map(stack):
    team, state = stack
    from playwright.sync_api import sync_playwright

    shot = team.folder.parent / "team-front.png"
    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        guard = Guard()
        context.route("**/*", guard)
        page = context.new_page()
        page.goto(state.url)  # sign-in is on: the portal's form, as a viewer
        page.locator(".st-key-bm-sign-in button").click(timeout=WAIT_MS)
        viewer = team.users["viewer1"]
        page.locator("#userfield").fill(viewer.login, timeout=WAIT_MS)
        page.locator("#passwordfield").fill(viewer.password)
        page.locator("#lform button[type=submit]").click()
        page.get_by_text(f"Signed in as {viewer.login}").wait_for(timeout=WAIT_MS)
        open_map(page, state.url)
        page.screenshot(path=str(shot))
        browser.close()
    assert guard.offenders == []
    assert shot.stat().st_size > 10_000
    shutil.copy(shot, Path(tempfile.gettempdir()) / "briefmap-team-front.png")
    access = (team.folder / "nginx" / "logs" / "access.log").read_text()
    assert "/_stcore/stream" in access and " 101 " in access  # the websocket went through nginx
    assert "/briefmap/basemap/" in access


def test_status_sees_a_server_killed_behind_its_back_and_the_front_carries_on(stack):
    team, state = stack
    killed = next(part for part in state.parts if part.name == "app-2")
    os.kill(killed.pid, signal.SIGKILL)
    wait_until(lambda: not alive(killed.pid), timeout=60)
    assert {part.name: up for part, up in status(team.folder)} == {
        **dict.fromkeys(PARTS, True),
        "app-2": False,
    }
    for _ in range(4):  # new browsers go to the server that answers
        answer, body = _get(team.port, "/_stcore/health")
        assert answer.status == 200 and body == b"ok"


def test_down_leaves_no_process_and_status_says_down(stack, capsys):
    team, state = stack
    pids = set()
    for part in state.parts:
        pids |= {part.pid, *descendants(part.pid)}
    assert len(pids) > len(PARTS)  # nginx's workers, PostgreSQL's own processes
    stopped = [name for name in PARTS[::-1] if name != "app-2"]  # app-2 was killed above
    assert down(team.folder) == stopped  # nginx first, the database last
    wait_until(lambda: not any(alive(pid) for pid in pids), timeout=60)
    assert [up for _, up in status(team.folder)] == [False] * len(PARTS)
    assert down(team.folder) == []  # again: nothing to stop, no error
    assert main(["team", "status", "--folder", str(team.folder)]) == 3
    assert capsys.readouterr().out.count(" down ") == len(PARTS)


def test_a_taken_port_stops_what_was_started_and_names_the_part():
    folder = _folder("team-fail")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        team = Stack(folder / "stack", port=free_port(), server_ports=[free_port(), port])
        try:
            with pytest.raises(StackError) as failed:
                team.up()
            message = str(failed.value)
            assert f"app-2 (port {port})" in message and "server-2.log" in message
            state = read_state(team.folder)
            assert [p.name for p in state.parts][:3] == ["postgresql", "oidc", "app-1"]
            wait_until(lambda: not any(alive(p.pid) for p in state.parts), timeout=60)
            assert not any(up for _, up in status(team.folder))
        finally:
            down(team.folder)
            shutil.rmtree(folder, ignore_errors=True)


def test_a_taken_front_port_is_refused_before_anything_starts():
    folder = _folder("team-taken")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        team = Stack(folder / "stack", port=port)
        try:
            with pytest.raises(StackError, match=f"nginx cannot listen on 127.0.0.1:{port}"):
                team.up()
            assert read_state(team.folder) is None and not (team.folder / "postgresql").exists()
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def test_nginx_config_for_a_real_host_passes_nginx_own_check(capsys):
    """`briefmap team nginx-config`: the configuration of deploy/systemd's nginx unit, for app
    servers on the ports given, checked by `nginx -t` itself."""
    folder = _folder("nginx-config")
    try:
        for sub in ("logs", "tmp"):
            (folder / sub).mkdir()
        port = free_port()
        args = ["team", "nginx-config", "--folder", str(folder), "--listen", "127.0.0.1",
                "--port", str(port), "--server-ports", "8511,8512"]  # fmt: skip
        assert main(args) == 0
        text = capsys.readouterr().out
        assert "server 127.0.0.1:8511 " in text and "server 127.0.0.1:8512 " in text
        assert f"listen 127.0.0.1:{port};" in text and "/briefmap/basemap/" in text
        (folder / "nginx.conf").write_text(text)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        log = str(folder / "logs" / "error.log")
        command = [nginx, "-t", "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", log]
        checked = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        assert checked.returncode == 0, checked.stderr
    finally:
        shutil.rmtree(folder, ignore_errors=True)
