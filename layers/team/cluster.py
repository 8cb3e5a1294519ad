"""A PostgreSQL cluster of our own: made with Debian's `initdb` in a folder we give, started
with `pg_ctl` on a loopback port, with PostGIS available, and stopped again.

The tests and `make team` start one each (nothing here is a stand-in: it is Debian's server).
PostgreSQL refuses to run as root, and CI runs as root: as root, every server command runs as
the unprivileged `nobody` (`setpriv`), in a folder that user owns. The superuser `briefmap`
signs in with a password made here (SCRAM over TCP on loopback only); the password is kept in
the cluster's folder, readable by its owner alone.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
from dataclasses import dataclass
from glob import glob
from pathlib import Path
from urllib.parse import quote

from layers.errors import StorageError
from layers.team.unprivileged import as_owner, hand_over

SUPERUSER = "briefmap"
START_SECONDS = 60  # pg_ctl's own wait for the server to accept connections


class ClusterError(StorageError):
    """A PostgreSQL cluster that cannot be made, started or stopped (the message says why,
    with the server's own log lines where it wrote any)."""


def server_bin() -> Path:
    """The folder of Debian's PostgreSQL programs (the newest installed major version)."""
    found = sorted(glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=_major)
    if not found:
        raise ClusterError(
            "PostgreSQL is not installed: apt-get install postgresql-15 postgresql-15-postgis-3"
        )
    return Path(found[-1]).parent


def _major(path: str) -> int:
    part = Path(path).parent.parent.name
    return int(part) if part.isdigit() else 0


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


@dataclass
class Cluster:
    """One PostgreSQL server: its folder (data, socket, log, password) and loopback port."""

    folder: Path
    port: int
    host: str = "127.0.0.1"

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    @property
    def _password_file(self) -> Path:
        return self.folder / "superuser.password"

    def dsn(self, database: str = "postgres") -> str:
        """A libpq URI for the superuser on loopback."""
        password = quote(self._password_file.read_text(encoding="ascii").strip(), safe="")
        return (
            f"postgresql://{SUPERUSER}:{password}@{self.host}:{self.port}/{quote(database)}"
            "?connect_timeout=10"
        )

    # -- life cycle ----------------------------------------------------------------------
    def init(self) -> Cluster:
        """Make the cluster (initdb) unless the folder already holds one."""
        if (self.data / "PG_VERSION").exists():
            return self
        self.folder.mkdir(parents=True, exist_ok=True)
        self._password_file.write_text(secrets.token_urlsafe(24), encoding="ascii")
        self._password_file.chmod(0o600)
        hand_over(self.folder, "the database server")
        self._run(
            "initdb",
            "--pgdata",
            str(self.data),
            "--username",
            SUPERUSER,
            "--pwfile",
            str(self._password_file),
            "--auth-local",
            "peer",
            "--auth-host",
            "scram-sha-256",
            "--encoding",
            "UTF8",
            "--locale",
            "C.UTF-8",
            "--no-sync",
        )
        return self

    def start(self) -> Cluster:
        """Start the server on its loopback port (socket in its own folder); waits until it
        accepts connections."""
        options = (
            f"-c listen_addresses={self.host} -c port={self.port} "
            f"-c unix_socket_directories={self.folder} -c fsync=on "
            "-c max_connections=200 -c shared_buffers=128MB"
        )
        self._run(
            "pg_ctl",
            "--pgdata",
            str(self.data),
            "--log",
            str(self.log),
            "--wait",
            "--timeout",
            str(START_SECONDS),
            "--options",
            options,
            "start",
        )
        return self

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (`fast`: roll back open transactions; `immediate`: as a crash)."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "--pgdata", str(self.data), "--mode", mode, "--wait", "stop")

    def running(self) -> bool:
        done = self._run("pg_ctl", "--pgdata", str(self.data), "status", check=False)
        return done.returncode == 0

    def remove(self) -> None:
        """Stop the server and delete its folder."""
        self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self.init().start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- running the server's programs -----------------------------------------------------
    def _run(self, program: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(server_bin() / program), *args]
        done = subprocess.run(  # noqa: S603 - our own arguments, no shell
            as_owner(command),
            capture_output=True,
            text=True,
            env=_server_env(),
            cwd=self.folder,
            timeout=START_SECONDS + 30,
            check=False,
        )
        if check and done.returncode != 0:
            raise ClusterError(f"{program} failed ({done.returncode}): {self._why(done)}")
        return done

    def _why(self, done: subprocess.CompletedProcess) -> str:
        text = (done.stderr or done.stdout or "").strip()
        if self.log.exists():
            text += "\n" + "\n".join(self.log.read_text(errors="replace").splitlines()[-8:])
        return text[-2000:]


def _server_env() -> dict[str, str]:
    keep = ("PATH", "LANG", "LC_ALL", "TZ")
    env = {key: os.environ[key] for key in keep if key in os.environ}
    env.setdefault("LANG", "C.UTF-8")
    return env
