"""Attributable imports on the command line: who imported or deleted, and when, recorded and
shown by `briefmap store`; an import that would raise the store's marking refused unless
`--raise-marking` says the person may."""

from __future__ import annotations

import json

from layers.cli import main
from layers.events.attribution import os_user
from layers.events.importer import import_file
from layers.events.store import open_store
from tests.events.helpers import rows, snapshot, write


def test_the_command_line_records_the_os_user_and_briefmap_store_shows_it(tmp_path, capsys):
    store = str(tmp_path / "s")
    assert main(["import", str(write(tmp_path / "a.csv", rows(5))), "--store", store]) == 0
    import_file(open_store(tmp_path / "s"), write(tmp_path / "b.csv", rows(3)), by="Nadia Q.")
    capsys.readouterr()
    assert main(["store", "--store", store]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "sha256" in line]
    assert f"  by {os_user()}  a.csv  " in lines[0]
    assert "  by Nadia Q.  b.csv  " in lines[1]
    stamp = lines[0].split()[0]
    assert stamp == open_store(tmp_path / "s").describe().imports[0]["imported_at"]


def test_an_import_recorded_before_attribution_shows_as_unrecorded(tmp_path, capsys):
    import_file(open_store(tmp_path / "s"), write(tmp_path / "a.csv", rows(5)))
    manifest = tmp_path / "s" / "manifest.json"
    data = json.loads(manifest.read_text())
    del data["imports"][0]["by"]
    manifest.write_text(json.dumps(data))
    assert main(["store", "--store", str(tmp_path / "s")]) == 0
    assert "  by unrecorded  a.csv  " in capsys.readouterr().out


def test_raising_the_marking_needs_raise_marking_and_a_refusal_stores_nothing(tmp_path, capsys):
    root = tmp_path / "s"
    import_file(open_store(root), write(tmp_path / "a.csv", rows(5, seed=1)))
    before = snapshot(root)
    argv = ["import", str(write(tmp_path / "b.csv", rows(5, seed=2))), "--store", str(root)]
    argv += ["--marking", "TLP:AMBER", "--quiet"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "refused: b.csv is marked TLP:AMBER" in err and "--raise-marking" in err
    assert snapshot(root) == before
    assert main([*argv, "--raise-marking"]) == 0
    assert open_store(root).describe().marking().label == "TLP:AMBER"


def test_even_the_first_import_may_not_raise_an_empty_stores_marking(tmp_path, capsys):
    root = tmp_path / "s"
    path = write(tmp_path / "a.csv", rows(5))
    argv = ["import", str(path), "--store", str(root), "--marking", "TLP:GREEN", "--quiet"]
    assert main(argv) == 2
    assert "from UNCLASSIFIED to TLP:GREEN" in capsys.readouterr().err
    assert not open_store(root).describe().imports
    assert main(["import", str(path), "--store", str(root), "--marking", "TLP:CLEAR"]) == 0


class _Upload:
    """What Streamlit's file uploader hands the app: a name and the bytes."""

    def __init__(self, path):
        self.name, self._data = path.name, path.read_bytes()

    def getvalue(self) -> bytes:
        return self._data


def test_the_app_records_the_signed_in_login_and_only_managers_raise_the_marking(tmp_path, app_env):
    from dashboard.events_panel import _run_import
    from layers.access import Role, local_person
    from layers.access.roles import Person

    app_env(BRIEFMAP_STORE=tmp_path / "s")
    analyst = Person("layla", frozenset({Role.ANALYST}), signed_in=True)
    admin = Person("karim", frozenset({Role.ADMIN}), signed_in=True)
    upload = _Upload(write(tmp_path / "a.csv", rows(5, seed=1)))
    assert _run_import(upload, "acled", False, "TLP:CLEAR", "en", analyst).ok
    refused = _run_import(upload, "acled", False, "TLP:AMBER", "en", analyst)
    assert not refused.ok and "refused: a.csv is marked TLP:AMBER" in refused.headline
    assert _run_import(upload, "acled", False, "TLP:AMBER", "en", admin).ok
    other = _Upload(write(tmp_path / "b.csv", rows(3, seed=2)))
    assert _run_import(other, "acled", False, "TLP:RED", "en", local_person()).ok
    imports = open_store(tmp_path / "s").describe().imports
    assert [(e["by"], e["marking"]) for e in imports] == [
        ("layla", "TLP:CLEAR"),
        ("karim", "TLP:AMBER"),
        (os_user(), "TLP:RED"),  # no sign-in: the server's user, who holds every role
    ]


def test_the_app_says_who_made_the_last_import(tmp_path):
    store = open_store(tmp_path / "s")
    assert store.describe().last_by("en") is None  # nothing imported yet
    import_file(store, write(tmp_path / "a.csv", rows(4, seed=3)), fmt="acled", by="layla")
    info = open_store(tmp_path / "s").describe()
    when = info.imports[-1]["imported_at"][:16].replace("T", " ")
    assert info.last_by("en") == f"Last import by layla, {when} UTC " + (
        "(every import and who made it: briefmap store)"
    )
    assert "layla" in info.last_by("ar") and "بواسطة" in info.last_by("ar")
