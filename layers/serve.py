"""`briefmap serve`: check the data and the basemap, and run the server (`dashboard/serve_app.py`:
Streamlit's app plus briefmap's own route for assets, basemap and report paragraphs) with the
project's settings, from any working directory. Nothing is written into the package."""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
import tomllib
from dataclasses import replace
from pathlib import Path

from layers.boundary import GeodataError
from layers.errors import ConfigError
from layers.paths import DASHBOARD_DIR, PROJECT_ROOT, STREAMLIT_CONFIG
from layers.reports import ReportsError
from layers.runtime import Runtime
from layers.settings import APP_ARGUMENT, Settings, is_database
from layers.tiles.archive import ArchiveError

APP = DASHBOARD_DIR / "serve_app.py"  # defines an st.App: `streamlit run` serves it


def config_flags(path: Path = STREAMLIT_CONFIG) -> dict[str, object]:
    """The config file's scalar options as `section.option` -> value, the form Streamlit's
    flags take. Tables and arrays (theme.fontFaces) are read from the file itself: `serve`
    runs Streamlit from the project root, where Streamlit looks for it."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {
        f"{section}.{key}": value
        for section, options in data.items()
        for key, value in options.items()
        if not isinstance(value, list | dict)
    }


class ServeError(ConfigError, ValueError):
    """Options the server cannot start with (the message says what to give instead)."""


def check_listen(port: int, address: str) -> None:
    """Refuse a port or address Streamlit could not listen on, before starting it: a port
    outside 1-65535, an address that is not an IP address (or localhost), one not on this
    machine, or a port already taken. Binds and closes a socket; nothing is sent."""
    if not 1 <= port <= 65535:
        raise ServeError(f"--port {port}: expected 1 to 65535")
    shown = address if len(address) <= 60 else address[:59] + "…"
    if address != "localhost":
        try:
            family = socket.AF_INET6 if ipaddress.ip_address(address).version == 6 else None
        except ValueError:
            raise ServeError(
                f"--address {shown!r}: expected an IP address such as 127.0.0.1, or 0.0.0.0 "
                "to share on a LAN"
            ) from None
    else:
        family = None
    with socket.socket(family or socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((address, port))
        except OSError as exc:
            raise ServeError(f"cannot listen on {shown} port {port}: {exc.strerror}") from None


def check_sign_in(settings: Settings, address: str, no_sign_in: bool) -> None:
    """With sign-in configured its file must be usable (SignInError naming the key); without
    it, the server stays on loopback unless the operator said `--no-sign-in`."""
    from layers.access.signin import check_sign_in as check_file
    from layers.access.signin import is_loopback

    if settings.sign_in is not None:
        check_file(settings.sign_in)
    elif not is_loopback(address) and not no_sign_in:
        raise ServeError(
            f"--address {address[:60]}: beyond loopback everyone who reaches the port could "
            "import, present and read every note. Give --sign-in FILE (your OIDC provider; "
            "README: Serving a team), or --no-sign-in to serve without it anyway"
        )


def check_store(store: Path | str | None) -> None:
    """An event store named by --store must be a folder, or not exist yet (it is made); a
    PostgreSQL URI is checked where it is opened."""
    if is_database(store):
        return
    if store is not None and store.exists() and not store.is_dir():
        raise ServeError(f"--store {store}: not a folder (give the event store's folder)")


def _flag(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def streamlit_command(port: int, address: str, settings: Settings | None = None) -> list[str]:
    """The Streamlit command line; the settings go to the app as a script argument (the app
    reads them once, `layers.settings.for_app`), never through the environment."""
    flags = config_flags()
    flags["server.port"] = port
    flags["server.address"] = address
    wildcard = address in ("0.0.0.0", "::")  # noqa: S104 - only when the user asks for it
    flags["browser.serverAddress"] = socket.gethostname() if wildcard else address
    if settings is not None and settings.sign_in is not None:
        flags["secrets.files"] = Path(settings.sign_in).resolve()  # only this file
    args = [f"--{key}={_flag(value)}" for key, value in flags.items()]
    app_args = ["--", f"{APP_ARGUMENT}={settings.to_json()}"] if settings else []
    return [sys.executable, "-m", "streamlit", "run", str(APP), *args, *app_args]


def prepare(settings: Settings) -> list[str]:
    """Validate the data, the reports folder and the basemap archive (an MBTiles one is
    converted into the cache folder here, once); raise GeodataError, ReportsError or
    ArchiveError (naming the file). Returns the recorded reports the folder does not have."""
    runtime = Runtime(settings)
    data = runtime.geodata
    library = runtime.reports()
    runtime.publisher.basemap()
    return library.missing(data.reports)


def serve(settings: Settings, port: int = 8501, address: str = "127.0.0.1") -> int:
    """Run the dashboard with these settings (their geodata, reports folder or none, event
    store and basemap archive or the shipped one)."""
    real = {
        key: Path(os.path.realpath(value))  # a link loop stays as given
        for key in ("geodata", "reports", "basemap", "store", "sign_in")
        if (value := getattr(settings, key)) is not None and not is_database(value)
    }
    settings = replace(settings, **real)
    try:
        missing = prepare(settings)
    except GeodataError as exc:
        print(f"briefmap: cannot serve, the geodata has problems.\n{exc}", file=sys.stderr)
        return 1
    except ArchiveError as exc:
        print(f"briefmap: cannot serve this basemap: {exc}", file=sys.stderr)
        return 1
    except ReportsError as exc:
        print(
            f"briefmap: cannot serve: {exc}\nGive --reports DIR with the recorded files, or "
            "--no-reports to serve without them.",
            file=sys.stderr,
        )
        return 1
    if missing:
        where = settings.reports or "no reports folder"
        print(
            f"briefmap: citations of {', '.join(missing)} will say the report is not loaded "
            f"({where}).",
            flush=True,
        )
    shown = "localhost" if address in ("127.0.0.1", "::1") else address
    print(f"briefmap: serving on http://{shown}:{port} (Ctrl-C to stop)", flush=True)
    os.chdir(PROJECT_ROOT)
    command = streamlit_command(port, address, settings)
    # The server replaces this process (same environment), so signals (Ctrl-C, a
    # supervisor's SIGTERM) reach it.
    os.execv(command[0], command)  # noqa: S606
    return 0  # pragma: no cover - execv does not return
