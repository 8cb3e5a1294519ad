"""Settings are one value, resolved once from flags, a config file and the environment (in that
order, then the defaults), with errors naming the source and the key; `briefmap config` prints
them with their sources; `briefmap serve` hands them to the app as a script argument; and no
module but `layers.settings` reads the environment for briefmap's settings."""

from __future__ import annotations

import ast
import json
import os
import socket
from pathlib import Path

import pytest

from layers.cli import main
from layers.paths import DEFAULT_GEODATA_DIR, PROJECT_ROOT
from layers.runtime import Runtime
from layers.settings import (
    APP_ARGUMENT,
    FLAGS,
    KEYS,
    VARIABLES,
    Settings,
    SettingsError,
    for_app,
    resolve,
)


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "briefmap.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("key", [k for k in KEYS if k != "briefings"])  # paths
def test_flags_win_over_the_file_which_wins_over_the_environment(tmp_path, key):
    config = _config(tmp_path, f'{key} = "from-file"\n')
    environ = {VARIABLES[key]: str(tmp_path / "from-env")}
    flag = tmp_path / "from-flag"

    given = resolve({key: flag}, config, environ)
    assert getattr(given, key) == flag and given.origin(key) == f"flag {FLAGS[key]}"
    filed = resolve({}, config, environ)
    assert getattr(filed, key) == tmp_path / "from-file"  # relative to the file's folder
    assert filed.origin(key) == f"file {config}"
    env = resolve({}, None, environ)
    assert getattr(env, key) == tmp_path / "from-env"
    assert env.origin(key) == f"variable {VARIABLES[key]}"
    default = resolve({}, None, {})
    assert default.origin(key) == "default"
    others = [k for k in KEYS if k != key]
    assert all(given.origin(k) == "default" for k in others)


def test_defaults_and_the_ways_to_say_no_reports(tmp_path):
    default = resolve(environ={})
    assert default.geodata == DEFAULT_GEODATA_DIR
    assert default.basemap is None
    assert resolve({"reports": ""}, environ={}).reports is None  # --no-reports
    assert resolve(environ={"BRIEFMAP_REPORTS": ""}).reports is None
    assert resolve(config=_config(tmp_path, 'reports = ""\n'), environ={}).reports is None
    # an empty variable for any other setting is as if it were not set (as it always was)
    assert resolve(environ={"BRIEFMAP_STORE": ""}).store == default.store


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('geodata = "g"\nport = 8080\ncolour = "red"\n', "unknown key(s) 'colour', 'port'"),
        ("store = 3\n", "key 'store': expected a path as a string, got int"),
        ('geodata = ""\n', "key 'geodata': empty"),
        ("[geodata]\npath = 'x'\n", "key 'geodata': expected a path as a string, got dict"),
        ("store = \n", "not TOML"),
        ('basemap = "a\\u0000b"\n', "key 'basemap': holds a NUL character"),
    ],
)
def test_a_bad_config_file_is_refused_naming_the_file_and_the_key(tmp_path, text, expected):
    config = _config(tmp_path, text)
    with pytest.raises(SettingsError) as caught:
        resolve(config=config, environ={})
    assert str(config) in str(caught.value) and expected in str(caught.value)


def test_a_config_file_that_is_not_a_small_text_file_is_refused(tmp_path):
    big = _config(tmp_path, "# " + "x" * (70 << 10) + "\n")
    with pytest.raises(SettingsError, match="at most 65,536"):
        resolve(config=big, environ={})
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'geodata = "caf\xe9"\n')
    with pytest.raises(SettingsError, match="not UTF-8"):
        resolve(config=latin, environ={})
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    with pytest.raises(SettingsError, match="not a regular file"):
        resolve(config=fifo, environ={})
    with pytest.raises(SettingsError, match="No such file"):
        resolve(config=tmp_path / "absent.toml", environ={})


def test_a_bad_variable_names_the_variable():
    with pytest.raises(SettingsError, match="variable BRIEFMAP_BASEMAP"):
        resolve(environ={"BRIEFMAP_BASEMAP": "a\0b"})


def test_briefmap_config_prints_each_value_and_its_source(tmp_path, capsys, monkeypatch):
    config = _config(tmp_path, 'basemap = "mine.pmtiles"\nstore = "s"\n')
    monkeypatch.setenv("BRIEFMAP_STORE", str(tmp_path / "env-store"))
    monkeypatch.setenv("BRIEFMAP_REPORTS", "")
    assert main(["config", "--config", str(config), "--geodata", str(tmp_path), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows["geodata"] == {"value": str(tmp_path), "from": "flag --geodata"}
    assert rows["basemap"] == {"value": str(tmp_path / "mine.pmtiles"), "from": f"file {config}"}
    assert rows["store"] == {"value": str(tmp_path / "s"), "from": f"file {config}"}
    assert rows["reports"] == {"value": None, "from": "variable BRIEFMAP_REPORTS"}
    assert main(["--config", str(config), "config"]) == 0  # before the command works too
    text = capsys.readouterr().out
    assert f"mine.pmtiles  (file {config})" in text
    reports = next(line for line in text.splitlines() if line.startswith("reports "))
    assert reports.split(None, 1)[1] == (
        "none (citations say the report is not loaded)  (variable BRIEFMAP_REPORTS)"
    )


def test_a_bad_config_file_stops_any_command_in_one_line(tmp_path, capsys):
    config = _config(tmp_path, 'geodata = "g"\nextra = 1\n')
    assert main(["validate", "--config", str(config)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("briefmap validate: config file") and "'extra'" in err
    assert "\n" not in err


def test_the_settings_reach_a_command_through_its_options(tmp_path, capsys):
    """`briefmap store` reads the store the config file names (the file's own folder)."""
    config = _config(tmp_path, 'store = "events"\n')
    assert main(["store", "--config", str(config)]) == 0
    assert str(tmp_path / "events") in capsys.readouterr().out


def test_the_app_reads_what_serve_hands_it_else_the_environment(tmp_path):
    settings = resolve({"store": tmp_path / "s", "reports": ""}, environ={})
    assert for_app(["x", f"{APP_ARGUMENT}={settings.to_json()}"], environ={}) == settings
    from_env = for_app(["--server.port=1"], environ={"BRIEFMAP_STORE": str(tmp_path)})
    assert from_env.store == tmp_path and from_env.origin("store") == "variable BRIEFMAP_STORE"
    with pytest.raises(SettingsError, match=APP_ARGUMENT):
        for_app([f"{APP_ARGUMENT}={{}}"])


def test_serve_hands_the_settings_over_without_touching_the_environment(tmp_path, monkeypatch):
    """`briefmap serve` resolves the settings and starts Streamlit with them as the script's
    argument; the process environment is the same before and after."""
    from layers import serve as serve_module

    started: list[list[str]] = []

    class Started(Exception):
        pass

    def execv(path, command):
        started.append(command)
        raise Started

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(serve_module.os, "execv", execv)
    before = dict(os.environ)
    store = tmp_path / "store"
    with socket.socket() as probe:  # a port free a moment ago: serve binds and closes it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(Started):
        main(["serve", "--port", str(port), "--store", str(store), "--no-reports"])
    assert dict(os.environ) == before
    command = started[0]
    assert command[command.index("--") + 1].startswith(f"{APP_ARGUMENT}=")
    handed = for_app(command[command.index("--") + 1 :], environ={})
    assert handed.store == store.resolve() and handed.reports is None
    assert handed.origin("store") == "flag --store"


def test_the_runtime_loads_the_geodata_once_and_opens_the_settings_store(tmp_path):
    runtime = Runtime(resolve({"store": tmp_path}, environ={}))
    assert runtime.geodata is runtime.geodata
    assert runtime.store().describe().location == str(tmp_path)
    assert runtime.basemap is None


# Modules that may touch the process environment at all, and why.
ENVIRONMENT_READERS = {
    "layers/settings.py": "the settings: the one place BRIEFMAP_* variables are read",
    "layers/tiles/build.py": "PATH for the tippecanoe subprocess",
    "layers/team/cluster.py": "PATH, LANG and TZ for the PostgreSQL programs it starts",
    "layers/team/oidc.py": "PATH for the sign-in portal it starts",
    "layers/team/stack.py": "the environment handed on to the app servers it starts",
}


def _environment_uses(tree: ast.AST) -> list[int]:
    """Lines that name `os.environ`, `os.getenv`, `os.putenv` or `environ` imported from os."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "putenv"):
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            if any(a.name in ("environ", "getenv", "putenv") for a in node.names):
                lines.append(node.lineno)
    return lines


def _briefmap_names(tree: ast.AST) -> list[int]:
    """Lines whose code (not docstrings or help text) holds a string that is exactly a
    BRIEFMAP_* variable name."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.startswith("BRIEFMAP_")
        and node.value.replace("_", "").isalnum()
    ]


def test_no_module_but_the_settings_reads_the_environment():
    found = {}
    for folder in ("layers", "dashboard"):
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            name = path.relative_to(PROJECT_ROOT).as_posix()
            tree = ast.parse(path.read_text(encoding="utf-8"))
            lines = _environment_uses(tree) if name not in ENVIRONMENT_READERS else []
            if name != "layers/settings.py":
                lines += _briefmap_names(tree)
            if lines:
                found[name] = sorted(set(lines))
    assert found == {}, f"environment read outside layers/settings.py: {found}"


def test_the_environment_check_sees_what_it_looks_for():
    """The walker above finds each way of reading or writing the environment."""
    for code in (
        "import os\nos.environ['BRIEFMAP_STORE'] = 'x'",
        "import os\nos.getenv('X')",
        "from os import environ",
        "import os\nenv = dict(os.environ)",
    ):
        assert _environment_uses(ast.parse(code)), code
    assert _briefmap_names(ast.parse("NAME = 'BRIEFMAP_STALL_AT'"))
    assert not _briefmap_names(ast.parse("'''Reads $BRIEFMAP_STORE when set.'''"))


def test_settings_are_frozen():
    settings = Settings(DEFAULT_GEODATA_DIR, None, Path("s"), None)
    with pytest.raises(AttributeError):
        settings.store = Path("t")  # type: ignore[misc]


def test_the_app_takes_its_settings_from_its_argument_once(app_env, monkeypatch, tmp_path):
    """What `briefmap serve` hands the script is what the app's runtime holds, whatever the
    environment says; later changes to the environment do not reach a running app."""
    import sys

    from dashboard import data
    from layers.events import synth
    from layers.events.store import Source, open_store
    from tests.conftest import run_app

    table = synth.table(50, seed=4)
    open_store(tmp_path / "handed").upsert(table, Source("e.csv", "0" * 64, 50, "acled"))
    handed = resolve({"store": tmp_path / "handed", "reports": ""}, environ={})
    monkeypatch.setattr(sys, "argv", ["app.py", f"{APP_ARGUMENT}={handed.to_json()}"])
    app_env(BRIEFMAP_STORE=tmp_path / "ignored")
    run_app()
    assert data.runtime().settings == handed
    assert data.store().describe().rows == 50
    monkeypatch.setenv("BRIEFMAP_STORE", str(tmp_path / "later"))
    run_app()
    assert data.runtime().settings.store == tmp_path / "handed"


def test_a_database_stays_a_uri_and_is_never_shown_with_its_password(tmp_path):
    uri = "postgresql://team:s3cret@127.0.0.1:5432/briefmap"
    for settings in (
        resolve({"store": uri}, None, {}),
        resolve({}, _config(tmp_path, f'store = "{uri}"\n'), {}),
        resolve({}, None, {"BRIEFMAP_STORE": uri}),
    ):
        assert settings.store == uri and settings.briefings_database == uri
        assert "s3cret" not in settings.describe() and "127.0.0.1:5432/briefmap" in (
            settings.describe()
        )
        assert Settings.from_json(settings.to_json()).store == uri  # what serve hands the app
    other = "postgresql://team@db.lan/briefings"
    both = resolve({"store": tmp_path / "events", "briefings": other}, None, {})
    assert both.briefings_database == other and isinstance(both.store, Path)
    assert resolve({"store": tmp_path}, None, {}).briefings_database is None  # memory
    with pytest.raises(SettingsError, match="--briefings: expected a PostgreSQL URI"):
        resolve({"briefings": tmp_path / "x"}, None, {})
    with pytest.raises(SettingsError, match="not a usable database URI"):
        resolve({"store": "postgresql://a@b/c\nDROP"}, None, {})
