"""The store's schema version on the command line and in its manifest: a store written before
versions were recorded is read with a note and written as the current version by its next
import (atomically, as every import); a newer one, or a version that is not one, is refused."""

from __future__ import annotations

import json
import shutil

import pytest

from layers.cli import main
from layers.events import synth
from layers.events.backend import Frame
from layers.events.manifest import VERSION
from layers.events.schema import STORE_SCHEMA
from layers.events.store import MANIFEST, Source, StoreError, open_store
from layers.view import View
from tests.conftest import PROJECT_ROOT


def _store(root, n: int = 40, seed: int = 21):
    store = open_store(root)
    store.apply(synth.table(n, seed=seed), None, Source("e.csv", "0" * 64, n, "acled"))
    return store


def _edit(root, **changes) -> None:
    path = root / MANIFEST
    data = json.loads(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    path.write_text(json.dumps(data), encoding="utf-8")


def test_a_new_store_records_its_version_and_columns(tmp_path):
    _store(tmp_path)
    data = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    assert (data["version"], data["columns"]) == (VERSION, list(STORE_SCHEMA.names))


def test_the_command_line_says_an_old_store_is_read_as_the_new_version(tmp_path, capsys):
    _store(tmp_path)
    _edit(tmp_path, version=None, columns=None)  # as the first briefmap wrote it
    assert main(["store", "--store", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"schema version {VERSION}" in out
    assert "note: written by an earlier briefmap (schema version 1)" in out
    open_store(tmp_path).apply(synth.table(5, seed=22), None, Source("f.csv", "1" * 64, 5, "acled"))
    data = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    assert data["version"] == VERSION and len(data["imports"]) == 2
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    main(["store", "--store", str(tmp_path)])
    assert "note:" not in capsys.readouterr().out


def test_the_command_line_refuses_a_newer_store_naming_folder_and_version(tmp_path, capsys):
    root = tmp_path / "from-the-future"
    _store(root)
    _edit(root, version=VERSION + 7)
    before = (root / MANIFEST).read_bytes()
    assert main(["store", "--store", str(root)]) == 1
    err = capsys.readouterr().err
    assert str(root) in err and f"schema version {VERSION + 7}" in err and "upgrade" in err
    assert (root / MANIFEST).read_bytes() == before  # left as it was


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"version": "two"}, "'version' is 'two'"),
        ({"version": 0}, "'version' is 0"),
        ({"version": True}, "'version' is True"),
        ({"columns": ["event_id_cnty"]}, "'columns'"),
    ],
    ids=["text", "zero", "boolean", "columns"],
)
def test_a_version_that_is_not_one_is_a_damaged_manifest(tmp_path, changes, said):
    _store(tmp_path)
    _edit(tmp_path, **changes)
    with pytest.raises(StoreError, match="damaged manifest") as caught:
        open_store(tmp_path).describe()
    assert said in str(caught.value)


V1_STORE = PROJECT_ROOT / "tests" / "fixtures" / "events-store-v1"  # written by the code of
# commit c88caba (before schema versions): 12 synthetic events (synth seed 31), TLP:GREEN


def test_a_store_written_before_versions_opens_answers_and_is_migrated(tmp_path, geodata):
    root = tmp_path / "store"
    shutil.copytree(V1_STORE, root)
    info = open_store(root).describe()
    assert (info.rows, info.generation, info.version) == (12, 1, VERSION)
    assert "schema version 1" in info.note and info.marking().label == "TLP:GREEN"
    expected = synth.table(12, seed=31)
    result = open_store(root).query(View(), Frame(), geodata)
    assert result.summary.fatalities == sum(expected["fatalities"].to_pylist())
    ids = result.selection.rows(["event_id_cnty"]).column(0).to_pylist()
    assert sorted(ids) == sorted(expected["event_id_cnty"].to_pylist())
    more = synth.table(3, seed=32)  # the same ids (SYR1 …): revisions or none
    counts = open_store(root).apply(more, None, Source("more.csv", "b" * 64, 3, "acled"))
    data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    assert (data["version"], len(data["imports"])) == (VERSION, 2)
    assert data["rows"] == 12 + counts.new and data["columns"] == list(STORE_SCHEMA.names)
    assert open_store(root).describe().note is None
