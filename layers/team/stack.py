"""`briefmap team up|down|status`: briefmap for a team on one machine, from the shipped data,
with the servers such teams already run:

1. PostgreSQL (`cluster.Cluster`) in the stack's folder, with two databases: the event store
   (`briefmap_events`) and the briefings (`briefmap_briefings`);
2. the OIDC provider (`oidc.Provider`, LemonLDAP::NG) with its test users;
3. N app servers (`briefmap serve` on loopback ports), each given `--store` and `--briefings`
   URIs without a password (libpq reads it from a pgpass file readable by the owner only) and
   the same Streamlit secrets: the `[auth]` section for st.login, one `server.cookieSecret`;
4. nginx (`front.Front`) in front, the one address people open, serving the basemap archive
   and the map's assets itself.

Everything runs as the current user; as root, PostgreSQL, the portal and nginx run as `nobody`
(`unprivileged`). Each part is recorded (`stackstate`) as soon as it runs; when one fails, the
ones already started are stopped in reverse order and the error names the part and its log.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from layers.atomic import write_bytes_atomic, write_text_atomic
from layers.errors import BriefmapError
from layers.render.assets import STATIC_URL, served_assets
from layers.render.basemap import BASEMAP_URL
from layers.settings import Settings
from layers.team.cluster import SUPERUSER, Cluster, free_port
from layers.team.front import Front
from layers.team.oidc import Provider
from layers.team.stackstate import (
    Part,
    StackError,
    State,
    alive,
    http_ok,
    log_tail,
    ours,
    read_state,
    terminate,
    write_state,
)

DATABASES = ("briefmap_events", "briefmap_briefings")
APP_START_SECONDS = 180  # a loaded machine: each server validates the data before it listens
DEFAULT_FOLDER = Path(".briefmap-team")
DEFAULT_PORT = 8500


class AlreadyRunning(StackError):
    exit_code = 2


@dataclass
class Stack:
    """A team stack in `folder`: nginx on `host:port` in front of `servers` app servers."""

    folder: Path
    port: int = DEFAULT_PORT
    servers: int = 2
    settings: Settings | None = None  # geodata, reports and basemap the servers use
    host: str = "127.0.0.1"
    server_ports: Sequence[int] = ()  # default: free loopback ports
    tls: tuple[Path, Path] | None = None
    users: dict = field(default_factory=dict)
    _parts: list[Part] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.folder = Path(self.folder).absolute()

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    # -- up -------------------------------------------------------------------------------
    def up(self, say: Callable[[str], None] = lambda _line: None) -> State:
        """Start every part (AlreadyRunning when a recorded part still runs); on a failure,
        stop what was started and raise StackError naming the part and its log."""
        self._refuse_running()
        _check_port_free(self.host, self.port)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.folder.chmod(0o711)  # the servers run as nobody under root pass through
        self._parts = []
        steps = (
            ("postgresql", self._start_postgresql, "postgresql/server.log"),
            ("the OIDC provider", self._start_provider, "oidc/portal.log"),
            ("the app servers", self._start_apps, "app/"),
            ("nginx", self._start_front, "nginx/logs/error.log"),
        )
        for name, step, log in steps:
            say(f"starting {name} …")
            try:
                step()
            except BaseException as exc:
                self._stop_parts()
                self._record()
                if isinstance(exc, StackError) or not isinstance(exc, BriefmapError | OSError):
                    raise
                raise StackError(f"{name} failed (log {self.folder / log}): {exc}") from None
            self._record()
        return self._record()

    def _refuse_running(self) -> None:
        state = read_state(self.folder)
        running = [p.name for p in state.parts if ours(p)] if state else []
        if state and running:
            raise AlreadyRunning(
                f"a team stack already runs from {self.folder} at {state.url} "
                f"({', '.join(running)}); `briefmap team down` stops it"
            )

    def _record(self) -> State:
        users = tuple(
            {"login": u.login, "password": u.password, "roles": list(u.roles)}
            for u in self.users.values()
        )
        state = State(str(self.folder), self.url, tuple(self._parts), users)
        write_state(self.folder, state)
        return state

    def _start_postgresql(self) -> None:
        cluster = Cluster(self.folder / "postgresql", free_port())
        try:
            cluster.init().start()
        finally:  # recorded even when start failed midway, so it is stopped
            pid = _postmaster_pid(cluster)
            self._parts.append(
                Part("postgresql", cluster.port, pid, str(cluster.log), str(cluster.data),
                     "postgresql")
            )  # fmt: skip
        _create_databases(cluster)
        password = (cluster.folder / "superuser.password").read_text(encoding="ascii").strip()
        app = self.folder / "app"
        app.mkdir(exist_ok=True)
        line = f"{cluster.host}:{cluster.port}:*:{SUPERUSER}:{_pgpass_escape(password)}\n"
        write_text_atomic(app / "pgpass", line, mode=0o600)

    def _start_provider(self) -> None:
        redirect = f"{self.url}/oauth2callback"
        provider = Provider(self.folder / "oidc", free_port(), [redirect])
        self.users = provider.users
        provider.start()
        self._parts.append(
            Part("oidc", provider.port, provider.pid, str(provider.log), str(provider.folder),
                 provider.discovery_url)
        )  # fmt: skip
        toml = provider.streamlit_secrets(redirect, secrets.token_urlsafe(32))
        write_text_atomic(self.folder / "app" / "secrets.toml", toml, mode=0o600)

    def _start_apps(self) -> None:
        ports = list(self.server_ports) or [free_port() for _ in range(self.servers)]
        database = self._part("postgresql")
        uris = [f"postgresql://{SUPERUSER}@127.0.0.1:{database.port}/{d}" for d in DATABASES]
        cookie_secret = secrets.token_urlsafe(32)
        for number, port in enumerate(ports, start=1):
            self._parts.append(self._launch_app(number, port, uris, cookie_secret))
        for part in self._parts:
            if part.name.startswith("app-"):
                _wait_app(part)

    def _launch_app(self, number: int, port: int, uris: list[str], cookie: str) -> Part:
        app = self.folder / "app"
        log = app / f"server-{number}.log"
        command = [sys.executable, "-m", "layers.cli", "serve", "--port", str(port),
                   "--address", "127.0.0.1", "--store", uris[0], "--briefings", uris[1],
                   "--sign-in", str(app / "secrets.toml"),
                   *_data_flags(self.settings)]  # fmt: skip
        env = {
            **os.environ,
            "PGPASSFILE": str(app / "pgpass"),
            "STREAMLIT_SERVER_COOKIE_SECRET": cookie,  # the same on every server
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        }
        with log.open("ab") as out:
            process = subprocess.Popen(  # noqa: S603 - our own arguments, no shell
                command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                env=env, cwd=app, start_new_session=True,
            )  # fmt: skip
        health = f"http://127.0.0.1:{port}/_stcore/health"
        # the marker is in the command line before `serve` hands over to Streamlit and after
        return Part(f"app-{number}", port, process.pid, str(log), uris[0], health)

    def _start_front(self) -> None:
        ports = [p.port for p in self._parts if p.name.startswith("app-")]
        front = Front(self.folder / "nginx", self.port, ports, self.host,
                      static=static_files(self.settings), tls=self._tls_copy())  # fmt: skip
        log = str(front.folder / "logs" / "error.log")
        try:
            front.start()
        except BriefmapError as exc:
            raise StackError(f"nginx failed (log {log}): {exc}") from None
        pid = int((front.folder / "nginx.pid").read_text().strip())
        probe = f"{self.url}/_stcore/health"
        self._parts.append(Part("nginx", self.port, pid, log, str(front.folder), probe))
        if not http_ok(probe, "ok", timeout=30):
            raise StackError(f"nginx (log {log}) does not reach the app servers at {probe}")

    def _tls_copy(self) -> tuple[Path, Path] | None:
        """The operator's certificate and key, copied into nginx's own folder (readable by
        the user nginx runs as, and by no one else)."""
        if self.tls is None:
            return None
        folder = self.folder / "nginx" / "tls"
        folder.mkdir(parents=True, exist_ok=True)
        copies = (folder / "server.crt", folder / "server.key")
        for given, copy in zip(self.tls, copies, strict=True):
            write_bytes_atomic(copy, Path(given).read_bytes(), mode=0o600)
        return copies

    def _part(self, name: str) -> Part:
        return next(p for p in self._parts if p.name == name)

    def _stop_parts(self) -> None:
        stop_parts(self.folder, self._parts)  # still recorded: status shows them down


# -- down and status --------------------------------------------------------------------------
def down(folder: Path) -> list[str]:
    """Stop every recorded part in reverse order; what was stopped, in that order
    (idempotent: [] when nothing runs)."""
    folder = Path(folder).absolute()
    state = read_state(folder)
    if state is None:
        return []
    running = [p.name for p in reversed(state.parts) if ours(p)]
    stop_parts(folder, list(state.parts))
    return running


def stop_parts(folder: Path, parts: Sequence[Part]) -> None:
    for part in reversed(parts):
        if part.name == "nginx":
            Front(folder / "nginx", part.port, [1]).stop()
        elif part.name == "postgresql":
            cluster = Cluster(folder / "postgresql", part.port)
            if ours(part):
                cluster.stop()
        terminate(part)


def status(folder: Path) -> list[tuple[Part, bool]]:
    """Each recorded part and whether it is up: its process runs and it answers."""
    folder = Path(folder).absolute()
    state = read_state(folder)
    if state is None:
        return []
    return [(part, ours(part) and _answers(folder, part)) for part in state.parts]


def _answers(folder: Path, part: Part) -> bool:
    if part.probe != "postgresql":
        return http_ok(part.probe, "ok" if part.probe.endswith("/health") else None)
    import psycopg

    try:
        dsn = Cluster(folder / "postgresql", part.port).dsn(DATABASES[0])
        with psycopg.connect(dsn, connect_timeout=3) as conn:
            return conn.execute("SELECT 1").fetchone() == (1,)
    except (psycopg.Error, OSError):
        return False


# -- helpers ----------------------------------------------------------------------------------
def static_files(settings: Settings | None) -> dict[str, Path]:
    """URL -> file nginx serves itself: the basemap archive the servers name, and each asset
    the servers serve from a file (the bundle they build in memory stays theirs)."""
    from layers.runtime import Runtime
    from layers.settings import resolve

    spec, archive = Runtime(settings or resolve()).publisher.basemap()
    files = {f"{BASEMAP_URL}/{spec['url'].rsplit('/', 1)[-1]}": archive}
    for target, asset in served_assets().items():
        files[f"{STATIC_URL}/{target}"] = asset.source
    return files


def _data_flags(settings: Settings | None) -> list[str]:
    if settings is None:
        return []
    flags = ["--geodata", str(settings.geodata)]
    flags += ["--reports", str(settings.reports)] if settings.reports else ["--no-reports"]
    if settings.basemap is not None:
        flags += ["--basemap", str(settings.basemap)]
    if settings.marking_scheme is not None:  # every server banners and imports alike
        flags += ["--marking-scheme", str(settings.marking_scheme)]
    return flags


def _create_databases(cluster: Cluster) -> None:
    import psycopg
    from psycopg import sql

    try:
        with psycopg.connect(cluster.dsn(), autocommit=True) as conn:
            have = {row[0] for row in conn.execute("SELECT datname FROM pg_database")}
            for name in DATABASES:
                if name not in have:
                    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        raise StackError(f"postgresql: cannot create the databases: {exc}") from None


def _check_port_free(host: str, port: int) -> None:
    """The front's port, checked before anything starts (nginx is the last part to start)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise StackError(
                f"nginx cannot listen on {host}:{port}: {exc.strerror}; nothing was started "
                "(give another --port)"
            ) from None


def _pgpass_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(":", "\\:")


def _postmaster_pid(cluster: Cluster) -> int | None:
    try:
        return int((cluster.data / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _wait_app(part: Part) -> None:
    deadline = time.monotonic() + APP_START_SECONDS
    while not http_ok(part.probe, "ok"):
        if not alive(part.pid):
            raise StackError(
                f"{part.name} (port {part.port}) stopped (log {part.log}): {log_tail(part.log, 4)}"
            )
        if time.monotonic() > deadline:
            raise StackError(
                f"{part.name} (port {part.port}, log {part.log}) did not answer {part.probe} "
                f"within {APP_START_SECONDS} s"
            )
        time.sleep(0.2)  # polling a condition, bounded by the deadline
