"""`briefmap serve`: prepare the static folder, check the data, and run the Streamlit app with
the project's settings, from any working directory."""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
import tomllib
from pathlib import Path

from layers.boundary import GeodataError, load_geodata
from layers.errors import ConfigError
from layers.paths import DASHBOARD_DIR, PROJECT_ROOT, STATIC_DIR, STREAMLIT_CONFIG
from layers.render.assets import install_static
from layers.render.basemap import BASEMAP_ENV, install_basemap
from layers.reports import ReportsError, load_reports
from layers.tiles.archive import ArchiveError

APP = DASHBOARD_DIR / "app.py"


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


def check_store(store: Path | None) -> None:
    """An event store named by --store must be a folder, or not exist yet (it is made)."""
    if store is not None and store.exists() and not store.is_dir():
        raise ServeError(f"--store {store}: not a folder (give the event store's folder)")


def _flag(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def streamlit_command(port: int, address: str) -> list[str]:
    flags = config_flags()
    flags["server.port"] = port
    flags["server.address"] = address
    wildcard = address in ("0.0.0.0", "::")  # noqa: S104 - only when the user asks for it
    flags["browser.serverAddress"] = socket.gethostname() if wildcard else address
    args = [f"--{key}={_flag(value)}" for key, value in flags.items()]
    return [sys.executable, "-m", "streamlit", "run", str(APP), *args]


def prepare(
    geodata: Path | None = None, reports: Path | None = None, basemap: Path | None = None
) -> list[str]:
    """Validate the data, the reports folder and the basemap archive, and fill the static
    folder; raise GeodataError, ReportsError or ArchiveError (naming the file). Returns the
    recorded reports the folder does not have."""
    data = load_geodata(geodata)
    library = load_reports(reports, data.reports)
    install_static(STATIC_DIR)
    if geodata:
        os.environ["BRIEFMAP_GEODATA"] = str(geodata)  # the geodata folder's own archive
    install_basemap(STATIC_DIR, basemap)
    return library.missing(data.reports)


def serve(
    port: int = 8501,
    address: str = "127.0.0.1",
    geodata: Path | None = None,
    reports: Path | None = None,
    basemap: Path | None = None,
) -> int:
    """Run the dashboard; `reports` is the folder of source reports (None: none loaded),
    `basemap` a user's vector-tile archive (None: the shipped one)."""
    geodata = Path(os.path.realpath(geodata)) if geodata else None  # a link loop stays as given
    basemap = Path(os.path.realpath(basemap)) if basemap else None
    try:
        missing = prepare(geodata, reports, basemap)
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
        where = reports or "no reports folder"
        print(
            f"briefmap: citations of {', '.join(missing)} will say the report is not loaded "
            f"({where}).",
            flush=True,
        )
    env = dict(os.environ)
    if geodata:
        env["BRIEFMAP_GEODATA"] = str(geodata)
    env["BRIEFMAP_REPORTS"] = str(reports) if reports else ""
    if basemap:
        env[BASEMAP_ENV] = str(basemap)
    shown = "localhost" if address in ("127.0.0.1", "::1") else address
    print(f"briefmap: serving on http://{shown}:{port} (Ctrl-C to stop)", flush=True)
    os.chdir(PROJECT_ROOT)
    command = streamlit_command(port, address)
    # The server replaces this process, so signals (Ctrl-C, a supervisor's SIGTERM) reach it.
    os.execve(command[0], command, env)  # noqa: S606
    return 0  # pragma: no cover - execve does not return
