"""An OpenID Connect provider of our own: Debian's LemonLDAP::NG portal, configured here, run
on a loopback port by Plack's own server, with all its state in a folder we give.

The tests start one each, so that Streamlit's own `st.login` signs in against a real provider
(nothing here is a stand-in: it is Debian's portal and OIDC issuer);
`python -m layers.team.oidc_demo` runs one until stopped, for demonstrations and `make team`.
Nothing goes to /etc or /var/lib: the portal reads `lemonldap-ng.ini` from the folder (through
`LLNG_DEFAULTCONFFILE`), which points its File configuration backend at `conf/lmConf-1.json`
there; sessions, caches, the user database, the signing key and the log live there too.

Users come from an SQLite database in the folder (LemonLDAP::NG's DBI backend): test users
with a password made per start and their roles, released to the relying party as the
`roles` claim (always a list) in the ID token and at the userinfo endpoint. An organisation
uses its own provider instead; this one is for tests and demonstrations.

As root (CI), the portal runs as the unprivileged `nobody` (`setpriv`), in a folder that user
owns, like the PostgreSQL cluster next to it.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from layers.errors import StorageError
from layers.team.oidc_conf import (
    ROLE_SEPARATOR,
    portal_conf,
    portal_ini,
    portal_psgi,
    secrets_toml,
    streamlit_auth,
)
from layers.team.unprivileged import as_owner, hand_over

PERL_MODULES = (  # what the portal loads for our configuration (see the Makefile)
    "Lemonldap::NG::Portal::Main",
    "Plack::Builder",
    "DBD::SQLite",
    "GD::SecurityImage",
    "Image::Magick",
    "IO::String",
    "String::Random",
)
# The portal's REST routes Debian's nginx site for it denies (sessions, configuration, ...):
# closed here too, since no nginx stands in front of this portal.
CLOSED_ROUTES = ("adminSessions", "proxy", "sessions", "config", "notification")
ROLES = ("viewer", "analyst", "presenter", "admin")
START_SECONDS = 60  # how long the portal may take to answer its discovery document
PORTAL_HTDOCS = Path("/usr/share/lemonldap-ng/portal/htdocs")
PORTAL_TEMPLATES = Path("/usr/share/lemonldap-ng/portal/templates")
DEBIAN_PACKAGES = (  # the Makefile's SYSTEM_PACKAGES says why each one
    "liblemonldap-ng-portal-perl libplack-perl libdbd-sqlite3-perl openssl "
    "libgd-securityimage-perl libimage-magick-perl libio-string-perl libstring-random-perl"
)


class ProviderError(StorageError):
    """An OIDC provider that cannot be set up, started or stopped (the message says why,
    with the portal's own log lines where it wrote any)."""


@dataclass(frozen=True)
class User:
    """A test user of the provider: login, password, display name, e-mail and roles."""

    login: str
    password: str
    name: str
    email: str
    roles: tuple[str, ...]


def make_test_users() -> dict[str, User]:
    """One user per role (an admin holds every role), each with a fresh random password."""
    grants = {
        "viewer": ("viewer",),
        "analyst": ("viewer", "analyst"),
        "presenter": ("viewer", "presenter"),
        "admin": ROLES,
    }
    return {
        f"{role}1": User(
            login=f"{role}1",
            password=secrets.token_urlsafe(12),
            name=f"Test {role.capitalize()}",
            email=f"{role}1@briefmap.invalid",
            roles=held,
        )
        for role, held in grants.items()
    }


def check_installed() -> None:
    """Raise ProviderError naming the Debian packages when the portal cannot run here."""
    missing = [tool for tool in ("perl", "plackup", "openssl") if shutil.which(tool) is None]
    if not missing:
        modules = [f"-M{module}" for module in PERL_MODULES]
        found = subprocess.run(  # noqa: S603 - fixed arguments
            ["perl", *modules, "-e", "1"], capture_output=True, text=True, check=False
        )
        if found.returncode != 0:
            missing.append(found.stderr.strip().splitlines()[0][:300])
    if missing:
        raise ProviderError(
            f"cannot run the OIDC provider ({'; '.join(missing)}): "
            f"apt-get install --no-install-recommends {DEBIAN_PACKAGES}"
        )


@dataclass
class Provider:
    """One LemonLDAP::NG portal acting as an OIDC provider with one relying party."""

    folder: Path
    port: int
    redirect_uris: list[str]
    client_id: str = "briefmap"
    host: str = "127.0.0.1"
    users: dict[str, User] = field(default_factory=make_test_users)
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    _process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def issuer(self) -> str:
        """The issuer as the discovery document and the ID tokens name it (no final slash)."""
        return f"http://{self.host}:{self.port}"

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    @property
    def log(self) -> Path:
        return self.folder / "portal.log"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    # -- life cycle ----------------------------------------------------------------------
    def start(self) -> Provider:
        """Write the configuration, start the portal and wait until its discovery document
        answers."""
        check_installed()
        _check_port_free(self.host, self.port)
        self._write_files()
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
        env["LLNG_DEFAULTCONFFILE"] = str(self.folder / "lemonldap-ng.ini")
        command = [
            "plackup",
            "--server",
            "HTTP::Server::PSGI",
            "--host",
            self.host,
            "--port",
            str(self.port),
            "--env",
            "deployment",
            str(self.folder / "portal.psgi"),
        ]
        with self.log.open("ab") as log:
            self._process = subprocess.Popen(  # noqa: S603 - our own arguments, no shell
                as_owner(command),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=self.folder,
                start_new_session=True,
            )
        self._wait_ready()
        return self

    def stop(self) -> None:
        """Stop the portal (its folder stays, with the log)."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)

    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def __enter__(self) -> Provider:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def streamlit_secrets(self, redirect_uri: str, cookie_secret: str) -> str:
        """secrets.toml text with the `[auth]` section for Streamlit's st.login."""
        return secrets_toml(
            streamlit_auth(
                discovery_url=self.discovery_url,
                client_id=self.client_id,
                client_secret=self.client_secret,
                redirect_uri=redirect_uri,
                cookie_secret=cookie_secret,
            )
        )

    def discovery(self) -> dict:
        """The provider's discovery document, fetched from the portal."""
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(self.discovery_url, timeout=10) as answer:
            return json.load(answer)

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while True:
            if self._process is None or self._process.poll() is not None:
                code = self._process.returncode if self._process else None
                self._process = None
                raise ProviderError(f"the OIDC portal stopped ({code}): {self._why()}")
            try:
                if self.discovery().get("issuer") == self.issuer and self._process.poll() is None:
                    return
            except urllib.error.HTTPError as answer:
                if answer.code >= 500:  # the portal runs but could not load its configuration
                    self.stop()
                    raise ProviderError(
                        f"the OIDC portal failed to start ({answer.code}): {self._why()}"
                    ) from None
            except (OSError, ValueError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise ProviderError(
                    f"the OIDC portal did not answer {self.discovery_url} within "
                    f"{START_SECONDS} s: {self._why()}"
                )
            time.sleep(0.2)  # polling a condition, bounded by the deadline above

    def _why(self) -> str:
        if not self.log.exists():
            return "no log written"
        lines = self.log.read_text(errors="replace").splitlines()
        errors = list(dict.fromkeys(line for line in lines if "[error]" in line))
        return "\n".join(errors[:8] or lines[-12:])[-2500:] or "empty log"

    # -- the portal's files --------------------------------------------------------------
    def _write_files(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for sub in ("conf", "sessions/lock", "psessions/lock", "cache"):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
        private, public = _signing_key()
        ini = portal_ini(conf_dir=self.folder / "conf", templates=PORTAL_TEMPLATES)
        (self.folder / "lemonldap-ng.ini").write_text(ini, encoding="utf-8")
        psgi = portal_psgi(htdocs=PORTAL_HTDOCS, closed_routes=CLOSED_ROUTES)
        (self.folder / "portal.psgi").write_text(psgi, encoding="utf-8")
        conf = self.folder / "conf" / "lmConf-1.json"
        conf.write_text(json.dumps(self._conf(private, public), indent=1), encoding="utf-8")
        self._write_users(self.folder / "users.sqlite")
        self.folder.chmod(0o700)
        hand_over(self.folder, "the OIDC portal")

    def _write_users(self, path: Path) -> None:
        path.unlink(missing_ok=True)
        with sqlite3.connect(path) as db:
            db.execute(
                "CREATE TABLE users (uid TEXT PRIMARY KEY, password TEXT NOT NULL,"
                " cn TEXT, mail TEXT, roles TEXT)"
            )
            db.executemany(
                "INSERT INTO users VALUES (?, ?, ?, ?, ?)",
                [
                    (u.login, u.password, u.name, u.email, ROLE_SEPARATOR.join(u.roles))
                    for u in self.users.values()
                ],
            )
        db.close()

    def _conf(self, private: str, public: str) -> dict:
        return portal_conf(
            folder=self.folder,
            portal_url=f"{self.issuer}/",
            client_id=self.client_id,
            client_secret=self.client_secret,
            redirect_uris=self.redirect_uris,
            private_key=private,
            public_key=public,
        )


def _check_port_free(host: str, port: int) -> None:
    """Refuse a port something already listens on (its answers would pass for ours)."""
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise ProviderError(
                f"cannot start the OIDC portal on {host}:{port}: {exc.strerror}; "
                "choose another port"
            ) from None


def _signing_key() -> tuple[str, str]:
    """A fresh RSA key pair (PEM) for signing ID tokens, made by Debian's openssl; it lives
    only in the portal's configuration file (in the closed folder)."""
    made = subprocess.run(  # noqa: S603 - fixed arguments
        ["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:
        raise ProviderError(f"openssl could not make a signing key: {made.stderr.strip()}")
    public = subprocess.run(  # noqa: S603 - fixed arguments
        ["openssl", "pkey", "-pubout"],
        input=made.stdout,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return made.stdout, public
