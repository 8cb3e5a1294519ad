"""nginx in front of several app servers: one address for the team.

Debian's nginx, configured here and started by us as an unprivileged user (as root: `nobody`)
with everything in one folder (config, logs, pid, temporary files):

- session affinity: a browser keeps to one app server (Streamlit keeps a session's state and
  uploads in its own process), by a cookie nginx sets on the first answer and hashes after;
- the websocket upgrade for `/_stcore/stream`, with no idle timeout a briefing would hit;
- static content (the basemap archive, the map's scripts) served by nginx itself, with Range
  requests and long-lived caching, from the folders or files given;
- Streamlit's metrics endpoint closed;
- TLS when the operator gives a certificate and key (README: making an internal CA).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from layers.errors import ConfigError
from layers.team.unprivileged import as_owner, hand_over

COOKIE = "briefmap_server"
MAX_UPLOAD_MB = 210  # the app refuses files over 200 MB itself, with a clear message
CACHE_SECONDS = 7 * 24 * 3600


class FrontError(ConfigError):
    """nginx could not be configured or started (the message carries its own words)."""


def nginx_binary() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if not found:
        raise FrontError("nginx is not installed: apt-get install nginx")
    return found


@dataclass
class Front:
    """nginx on `host:port` in front of app servers on loopback `upstreams` ports."""

    folder: Path
    port: int
    upstreams: Sequence[int]
    host: str = "127.0.0.1"
    static: Mapping[str, Path] = field(default_factory=dict)  # URL prefix -> folder or file
    tls: tuple[Path, Path] | None = None  # certificate chain, private key

    @property
    def config_file(self) -> Path:
        return self.folder / "nginx.conf"

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{self.host}:{self.port}"

    def write_config(self) -> Path:
        if not self.upstreams:
            raise FrontError("no app servers to put nginx in front of")
        for name in ("tmp", "logs"):
            (self.folder / name).mkdir(parents=True, exist_ok=True)
        text = render(self)
        self.config_file.write_text(text, encoding="utf-8")
        hand_over(self.folder, "nginx")
        self._nginx("-t")  # nginx checks its own configuration first
        return self.config_file

    def start(self) -> Front:
        self.write_config()
        self._nginx()
        return self

    def stop(self) -> None:
        pid_file = self.folder / "nginx.pid"
        if not pid_file.exists():
            return
        try:
            pid = int(pid_file.read_text().strip())
            os.kill(pid, signal.SIGQUIT)  # graceful: finish what is in flight
        except (ValueError, ProcessLookupError):
            return
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.05)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)

    def __enter__(self) -> Front:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _nginx(self, *extra: str) -> None:
        command = [
            nginx_binary(),
            "-p",
            str(self.folder),
            "-c",
            str(self.config_file),
            "-e",
            str(self.folder / "logs" / "error.log"),
            *extra,
        ]
        done = subprocess.run(  # noqa: S603 - our own arguments, no shell
            as_owner(command), capture_output=True, text=True, timeout=30, check=False
        )
        if done.returncode != 0:
            raise FrontError(
                f"nginx {' '.join(extra) or 'start'} failed: {done.stderr.strip()[-1500:]}"
            )


def render(front: Front) -> str:
    """The whole nginx configuration for this front."""
    folder = front.folder
    upstream = "\n".join(
        f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in front.upstreams
    )
    listen = f"{front.host}:{front.port}" + (" ssl" if front.tls else "")
    tls = ""
    if front.tls:
        cert, key = front.tls
        tls = (
            f"        ssl_certificate {cert};\n        ssl_certificate_key {key};\n"
            "        ssl_protocols TLSv1.2 TLSv1.3;\n"
        )
    statics = "".join(_static_location(prefix, path) for prefix, path in front.static.items())
    temp = "".join(
        f"    {kind}_temp_path {folder / 'tmp' / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""# Written by briefmap (layers/team/front.py); rewritten on every start.
worker_processes 2;
pid {folder}/nginx.pid;
error_log {folder}/logs/error.log warn;
events {{ worker_connections 2048; }}
http {{
    include /etc/nginx/mime.types;
    types {{ application/vnd.pmtiles pmtiles; application/javascript mjs; }}
    default_type application/octet-stream;
    log_format briefmap '$remote_addr [$time_local] "$request" $status $body_bytes_sent '
                        'upstream=$upstream_addr';  # which app server answered
    access_log {folder}/logs/access.log briefmap;
{temp}    sendfile on;
    server_tokens off;
    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
    map $cookie_{COOKIE} $briefmap_route {{ "" $request_id; default $cookie_{COOKIE}; }}
    upstream briefmap {{
        zone briefmap 256k;  # failures seen by one worker are known to all
        hash $briefmap_route consistent;
{upstream}
    }}
    server {{
        listen {listen};
{tls}        client_max_body_size {MAX_UPLOAD_MB}m;
        add_header Set-Cookie "{COOKIE}=$briefmap_route; Path=/; HttpOnly; SameSite=Lax" always;
        location = /_stcore/metrics {{ return 404; }}
        location /_stcore/stream {{
            proxy_pass http://briefmap;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $http_host;  # with the port: the page's own address
            proxy_read_timeout 1d;
            proxy_send_timeout 1d;
            # a refused connection (that server is down) goes on to the next one: the
            # upgrade request was never delivered, so nothing is repeated
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries 0;
        }}
{statics}        location / {{
            proxy_pass http://briefmap;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;  # with the port: the page's own address
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_buffering off;
        }}
    }}
}}
"""


def _static_location(prefix: str, path: Path) -> str:
    prefix = "/" + prefix.strip("/")
    if not prefix.replace("/", "").replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise FrontError(f"static prefix {prefix[:60]!r}: letters, digits, - _ . and / only")
    target = Path(path).resolve()
    cache = f"public, max-age={CACHE_SECONDS}"
    if target.is_dir():
        where, rule = f"{prefix}/", f"alias {target}/;"
    else:
        where, rule = f"= {prefix}", f"alias {target};"
    return (
        f"        location {where} {{\n            {rule}\n"
        f'            add_header Cache-Control "{cache}" always;\n'
        "            add_header Accept-Ranges bytes always;\n"
        "        }\n"
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
