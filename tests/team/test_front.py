"""nginx in front of app servers (Debian's nginx, started by the test as in `make team`):
a browser keeps to one server by cookie while new browsers spread over all, the websocket
upgrade reaches the app server, static files come from nginx with Range requests and
caching, Streamlit's metrics are closed, and a stopped server's browsers move to another."""

from __future__ import annotations

import http.client
import socket
import ssl
import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from layers.team.cluster import free_port
from layers.team.front import COOKIE, Front, FrontError


class Upstream(BaseHTTPRequestHandler):
    """An app server stand-in for the proxy tests only: says its port; speaks a websocket
    upgrade by echoing what it is sent."""

    def do_GET(self):  # noqa: N802 - http.server's name
        if self.headers.get("Upgrade", "").lower() == "websocket":
            self.send_response(101)
            self.send_header("Upgrade", "websocket")
            self.send_header("Connection", "Upgrade")
            self.end_headers()
            self.wfile.flush()
            data = self.connection.recv(64)
            self.connection.sendall(b"echo:" + data)
            return
        body = f"server {self.server.server_address[1]} {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def upstreams():
    servers = []
    for _ in range(2):
        server = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    yield servers
    for server in servers:
        server.shutdown()


@pytest.fixture
def front(upstreams):
    folder = Path(tempfile.mkdtemp(dir="/tmp", prefix="briefmap-test-nginx-"))
    folder.chmod(0o711)  # nginx runs as nobody (when the tests run as root) and passes through
    archive = folder / "shared"
    archive.mkdir()
    (archive / "tiles.pmtiles").write_bytes(bytes(range(256)) * 64)
    archive.chmod(0o755)
    f = Front(
        folder / "front",
        free_port(),
        [s.server_address[1] for s in upstreams],
        static={"/briefmap/basemap.pmtiles": archive / "tiles.pmtiles"},
    )
    with f:
        yield f


def get(front: Front, path: str, headers: dict | None = None):
    conn = http.client.HTTPConnection(front.host, front.port, timeout=10)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response, body


def test_a_browser_keeps_to_one_server_and_new_browsers_spread(front, upstreams):
    seen = set()
    for _ in range(40):
        response, body = get(front, "/")
        cookie = response.getheader("Set-Cookie")
        assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie
        first = body.split()[1]
        seen.add(first)
        jar = cookie.split(";")[0]
        for path in ("/_stcore/health", "/?x=1", "/_stcore/upload_file/abc"):
            assert get(front, path, {"Cookie": jar})[1].split()[1] == first
    assert seen == {str(s.server_address[1]).encode() for s in upstreams}


def upgrade(front: Front, cookie: str = "") -> tuple[bytes, bytes]:
    """Ask for Streamlit's websocket through nginx: (response head, the echo of b"ping")."""
    with socket.create_connection((front.host, front.port), timeout=10) as sock:
        sock.sendall(
            b"GET /_stcore/stream HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
            b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + (f"Cookie: {cookie}\r\n".encode() if cookie else b"")
            + b"Sec-WebSocket-Version: 13\r\n\r\n"
        )
        head = b""
        while b"\r\n\r\n" not in head:
            head += sock.recv(1024)
        if not head.startswith(b"HTTP/1.1 101"):
            return head, b""
        sock.sendall(b"ping")
        reply = head.split(b"\r\n\r\n", 1)[1]
        while b"ping" not in reply:
            reply += sock.recv(64)
        return head, reply


def test_the_websocket_upgrade_reaches_the_app_server(front):
    head, reply = upgrade(front)
    assert head.startswith(b"HTTP/1.1 101")
    assert reply == b"echo:ping"


def test_static_files_come_from_nginx_with_ranges_and_caching(front):
    response, body = get(front, "/briefmap/basemap.pmtiles", {"Range": "bytes=256-511"})
    assert response.status == 206
    assert response.getheader("Content-Range") == "bytes 256-511/16384"
    assert body == bytes(range(256))
    assert "max-age" in response.getheader("Cache-Control")
    response, _ = get(front, "/briefmap/basemap.pmtiles", {"Range": "bytes=99999-"})
    assert response.status == 416
    for path in ("/briefmap/basemap.pmtiles/../../etc/passwd", "/briefmap/%2e%2e/etc/passwd"):
        assert b"root:" not in get(front, path)[1]  # never a file beside the one given


def test_streamlit_metrics_are_closed(front):
    assert get(front, "/_stcore/metrics")[0].status == 404


def test_a_stopped_server_s_browsers_move_to_another(front, upstreams):
    response, body = get(front, "/")
    jar = response.getheader("Set-Cookie").split(";")[0]
    mine = int(body.split()[1])
    stopped = next(s for s in upstreams if s.server_address[1] == mine)
    stopped.shutdown()
    stopped.server_close()
    other = get(front, "/", {"Cookie": jar})
    assert other[0].status == 200 and int(other[1].split()[1]) != mine


def test_a_stopped_server_s_websockets_move_to_another_on_every_worker(front, upstreams):
    """The page's websocket comes after its HTML, often to another nginx worker: each one
    must go on to the live server (Streamlit's page stays blank otherwise)."""
    response, body = get(front, "/")
    jar = response.getheader("Set-Cookie").split(";")[0]
    mine = int(body.split()[1])
    stopped = next(s for s in upstreams if s.server_address[1] == mine)
    stopped.shutdown()
    stopped.server_close()
    heads = [upgrade(front, jar)[0].split(b"\r\n", 1)[0] for _ in range(30)]
    assert set(heads) == {b"HTTP/1.1 101 Switching Protocols"}


def test_a_bad_static_prefix_is_refused_before_nginx_runs(tmp_path):
    with pytest.raises(FrontError, match="static prefix"):
        Front(tmp_path, free_port(), [1], static={"/a b;": tmp_path}).write_config()
    with pytest.raises(FrontError, match="no app servers"):
        Front(tmp_path, free_port(), []).write_config()


def test_tls_with_the_operator_s_certificate(upstreams, tmp_path):
    folder = Path(tempfile.mkdtemp(dir="/tmp", prefix="briefmap-test-nginx-"))
    folder.chmod(0o711)
    keys = folder / "keys"
    keys.mkdir()
    cert, key = keys / "front.crt", keys / "front.key"
    subprocess.run(  # noqa: S603 - Debian's openssl, our arguments
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    keys.chmod(0o755)
    cert.chmod(0o644)
    key.chmod(0o644)  # read by nginx as nobody in this test; an operator's key stays 0600
    ports = [s.server_address[1] for s in upstreams]
    with Front(folder / "front", free_port(), ports, tls=(cert, key)) as f:
        assert f.url.startswith("https://")
        context = ssl.create_default_context(cafile=str(cert))
        conn = http.client.HTTPSConnection(f.host, f.port, context=context, timeout=10)
        conn.request("GET", "/")
        response = conn.getresponse()
        assert response.status == 200 and response.read().startswith(b"server ")
        with socket.create_connection((f.host, f.port), timeout=10) as plain:
            plain.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            assert b"server " not in plain.recv(4096)  # no plain HTTP on the TLS port
