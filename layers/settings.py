"""briefmap's settings: one frozen value, resolved once per process from the command's flags,
an optional TOML config file (`--config FILE`) and the environment, in that order of
precedence, then the defaults. This is the only module that reads the environment for
briefmap's own settings (BRIEFMAP_GEODATA, BRIEFMAP_REPORTS, BRIEFMAP_STORE, BRIEFMAP_BASEMAP,
BRIEFMAP_BRIEFINGS, BRIEFMAP_MARKING_SCHEME).

Config file keys (all optional, strings): `geodata`, `reports` ("" for none), `store`,
`basemap`, `briefings`, `sign_in`, `marking_scheme` (a TOML scheme file,
`layers.boundary.markings`; none: TLP 2.0). Relative paths in the file are taken from the
file's own folder."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

from layers.errors import ConfigError
from layers.paths import DEFAULT_REPORTS_DIR, PROJECT_ROOT

KEYS = ("geodata", "reports", "store", "basemap", "briefings", "sign_in", "marking_scheme")
DATABASE_SCHEMES = ("postgresql://", "postgres://")
VARIABLES = {key: f"BRIEFMAP_{key.upper()}" for key in KEYS}
FLAGS = {key: f"--{key.replace('_', '-')}" for key in KEYS}
MAX_CONFIG = 64 << 10  # a settings file is a few lines; anything larger is not one
APP_ARGUMENT = "--briefmap-settings"  # how `briefmap serve` hands the settings to the app
DEFAULT = "default"
NONE_SHOWN = {
    "reports": "none (citations say the report is not loaded)",
    "basemap": "shipped",
    "briefings": "this server's memory",
    "sign_in": "off (loopback only, unless serve is given --no-sign-in)",
    "marking_scheme": "TLP 2.0 (built in)",
}


def is_database(value: object) -> bool:
    """Whether a setting names a PostgreSQL database (a libpq URI) rather than a folder."""
    return isinstance(value, str) and value.startswith(DATABASE_SCHEMES)


class SettingsError(ConfigError, ValueError):
    """A setting that cannot be used; the message names where it came from and the key."""


@dataclass(frozen=True)
class Settings:
    """Where briefmap finds its data, and its marking scheme. `reports`, `basemap` and
    `marking_scheme` may be None (no reports; the shipped basemap; TLP 2.0). `origins` says
    where each value came from: 'flag --geodata', 'file x.toml', 'variable BRIEFMAP_STORE' or
    'default'."""

    geodata: Path
    reports: Path | None
    store: Path | str  # a folder (GeoParquet), or a PostgreSQL URI (PostGIS)
    basemap: Path | None
    briefings: str | None = None  # a PostgreSQL URI; None: the store's database, or memory
    sign_in: Path | None = None  # a TOML file with Streamlit's [auth] (OIDC); None: no sign-in
    marking_scheme: Path | None = None  # a scheme file (`layers.boundary.markings`); None: TLP
    origins: tuple[tuple[str, str], ...] = ()

    @property
    def briefings_database(self) -> str | None:
        """Where briefings are kept: the database named, else the store's database when the
        store is one; None: this server's memory."""
        return self.briefings or (self.store if is_database(self.store) else None)

    def origin(self, key: str) -> str:
        return dict(self.origins).get(key, DEFAULT)

    def given(self, key: str) -> bool:
        """Whether a person chose this value on the command line or in a config file."""
        return self.origin(key).startswith(("flag", "file"))

    def describe(self) -> str:
        """One line per setting: key, value (or 'none') and where it came from."""
        width = max(map(len, KEYS))
        lines = []
        for key in KEYS:
            value = getattr(self, key)
            shown = shown_value(value) if value is not None else NONE_SHOWN[key]
            lines.append(f"{key:<{width}}  {shown}  ({self.origin(key)})")
        return "\n".join(lines)

    def to_json(self) -> str:
        values: dict[str, Any] = {
            k: None if getattr(self, k) is None else str(getattr(self, k)) for k in KEYS
        }
        return json.dumps({"values": values, "origins": dict(self.origins)})

    @classmethod
    def from_json(cls, text: str) -> Settings:
        """The settings `to_json` wrote (what `briefmap serve` hands the app)."""
        try:
            data = json.loads(text)
            values, origins = data["values"], data["origins"]
            paths = {k: _value(k, values.get(k)) for k in KEYS}
        except (ValueError, KeyError, TypeError) as exc:
            raise SettingsError(
                f"{APP_ARGUMENT}: not settings written by briefmap ({exc})"
            ) from None
        if paths["geodata"] is None or paths["store"] is None:
            raise SettingsError(f"{APP_ARGUMENT}: geodata and store are required")
        return cls(**paths, origins=tuple((k, str(origins.get(k, DEFAULT))) for k in KEYS))


def _value(key: str, text: str | None) -> Path | str | None:
    if text is None:
        return None
    if key == "briefings" or (key == "store" and is_database(text)):
        return text
    return Path(text)


def shown_value(value: object) -> str:
    """A setting as printed: a database URI without its password."""
    if is_database(value):
        from urllib.parse import urlsplit

        parts = urlsplit(str(value))
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        user = f"{parts.username}@" if parts.username else ""
        return f"{parts.scheme}://{user}{host}{port}{parts.path}"
    return str(value)


def defaults() -> dict[str, Path | None]:
    reports = DEFAULT_REPORTS_DIR if DEFAULT_REPORTS_DIR.is_dir() else None
    return {
        "geodata": PROJECT_ROOT / "geodata",
        "reports": reports,
        "store": Path(user_data_dir("briefmap", appauthor=False)),
        "basemap": None,
        "briefings": None,
        "sign_in": None,
        "marking_scheme": None,
    }


def resolve(
    flags: Mapping[str, Path | str | None] | None = None,
    config: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Settings from `flags` (key -> value, None: not given; reports "" means none), the
    config file `config` and `environ` (default: this process's environment)."""
    flags = flags or {}
    unknown = sorted(set(flags) - set(KEYS))
    if unknown:
        raise SettingsError(f"unknown setting(s): {', '.join(unknown)}")
    from_file = read_config(config) if config is not None else {}
    env = os.environ if environ is None else environ
    values = defaults()
    origins = dict.fromkeys(KEYS, DEFAULT)
    for key in KEYS:
        variable = VARIABLES[key]
        if flags.get(key) is not None:
            values[key], origins[key] = _from_flag(key, flags[key]), f"flag {FLAGS[key]}"
        elif key in from_file:
            values[key], origins[key] = from_file[key], f"file {config}"
        elif env.get(variable) is not None and (key == "reports" or env[variable]):
            values[key], origins[key] = _from_variable(key, env[variable]), f"variable {variable}"
    geodata, store = values["geodata"], values["store"]
    assert geodata is not None and store is not None  # neither can be set to none
    return Settings(
        geodata=geodata,
        reports=values["reports"],
        store=store,
        basemap=values["basemap"],
        briefings=values["briefings"],
        sign_in=values["sign_in"],
        marking_scheme=values["marking_scheme"],
        origins=tuple(origins.items()),
    )


def _from_flag(key: str, value: Path | str) -> Path | str | None:
    if key == "reports" and str(value) == "":
        return None  # --no-reports
    if not str(value).strip():
        raise SettingsError(f"flag {FLAGS[key]}: empty; give a path")
    return _database_or_path(key, str(value), f"flag {FLAGS[key]}")


def _database_or_path(key: str, value: str, where: str) -> Path | str:
    """A store or briefings URI stays text; `briefings` must be one; anything else a path."""
    if key in ("store", "briefings") and is_database(value):
        if len(value) > 2000 or any(c in value for c in "\0\n\r"):
            raise SettingsError(f"{where}: not a usable database URI")
        return value
    if key == "briefings":
        raise SettingsError(
            f"{where}: expected a PostgreSQL URI (postgresql://user@host:port/database)"
        )
    return Path(value)


def _from_variable(key: str, value: str) -> Path | str | None:
    """As the variables were always read: geodata and reports made absolute with links
    resolved, an empty BRIEFMAP_REPORTS meaning no reports."""
    if key == "reports" and not value.strip():
        return None
    if "\0" in value:
        raise SettingsError(f"variable {VARIABLES[key]}: holds a NUL character")
    if key in ("geodata", "reports"):
        return Path(os.path.realpath(value))
    return _database_or_path(key, value, f"variable {VARIABLES[key]}")


def read_config(path: Path) -> dict[str, Path | None]:
    """The settings a TOML file gives: strings for known keys only, at most MAX_CONFIG bytes;
    raise SettingsError naming the file and the key otherwise."""
    where = f"config file {path}"
    from layers.boundary.tomlio import TomlRefused, read_toml

    try:  # a FIFO or a device is refused, not waited on or read for ever
        data = read_toml(path, MAX_CONFIG, "a settings file")
    except TomlRefused as exc:
        raise SettingsError(f"{where}: {exc}") from None
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise SettingsError(
            f"{where}: unknown key(s) {', '.join(map(repr, unknown))} (known: {', '.join(KEYS)})"
        )
    return {key: _from_file(path, key, value) for key, value in data.items()}


def _from_file(path: Path, key: str, value: object) -> Path | str | None:
    where = f"config file {path}, key {key!r}"
    if not isinstance(value, str):
        raise SettingsError(f"{where}: expected a path as a string, got {type(value).__name__}")
    if "\0" in value:
        raise SettingsError(f"{where}: holds a NUL character")
    if not value.strip():
        if key == "reports":
            return None
        raise SettingsError(f"{where}: empty; give a path")
    if key in ("store", "briefings"):
        found = _database_or_path(key, value, where)
        if isinstance(found, str):
            return found
    given = Path(value).expanduser()
    return given if given.is_absolute() else path.parent / given


def for_app(argv: list[str], environ: Mapping[str, str] | None = None) -> Settings:
    """The app's settings: those `briefmap serve` handed it (`--briefmap-settings=JSON` among
    the script's arguments), else resolved from the environment (`streamlit run`, tests)."""
    prefix = f"{APP_ARGUMENT}="
    for arg in argv:
        if arg.startswith(prefix):
            return Settings.from_json(arg[len(prefix) :])
    return resolve(environ=environ)
