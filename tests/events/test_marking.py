"""Every import records the data's own handling marking; the store is marked by the highest of
them, and `briefmap store` says so. A marking nobody knows changes nothing."""

from __future__ import annotations

import json

from layers.cli import main
from layers.events.importer import import_file
from layers.events.store import open_store
from tests.events.helpers import rows, snapshot, write


def test_an_import_is_marked_by_default_as_its_dataset_documents(tmp_path):
    store = open_store(tmp_path / "s")
    import_file(store, write(tmp_path / "a.csv", rows(5)))
    info = store.describe()
    assert info.imports[0]["marking"] == "TLP:CLEAR"
    assert info.marking().label == "TLP:CLEAR"


def test_the_store_is_marked_by_its_highest_import(tmp_path):
    store = open_store(tmp_path / "s")
    import_file(
        store,
        write(tmp_path / "a.csv", rows(5, seed=1)),
        marking="tlp:amber",
        may_raise_marking=True,
    )
    import_file(store, write(tmp_path / "b.csv", rows(5, seed=2)), marking="TLP:GREEN")
    info = store.describe()
    assert [e["marking"] for e in info.imports] == ["TLP:AMBER", "TLP:GREEN"]
    assert info.marking().label == "TLP:AMBER"


def test_an_old_import_without_a_marking_counts_as_its_formats_default(tmp_path):
    store = open_store(tmp_path / "s")
    import_file(
        store, write(tmp_path / "a.csv", rows(5)), marking="TLP:RED", may_raise_marking=True
    )
    manifest = tmp_path / "s" / "manifest.json"
    data = json.loads(manifest.read_text())
    del data["imports"][0]["marking"]
    manifest.write_text(json.dumps(data))
    assert store.describe().marking().label == "TLP:CLEAR"


def test_cli_records_and_shows_the_marking(tmp_path, capsys):
    path = write(tmp_path / "a.csv", rows(5))
    store = str(tmp_path / "s")
    argv = ["import", str(path), "--store", store, "--marking", "TLP:AMBER", "--quiet"]
    assert main([*argv, "--raise-marking"]) == 0
    capsys.readouterr()
    assert main(["store", "--store", store]) == 0
    out = capsys.readouterr().out
    assert "marking: TLP:AMBER" in out
    assert "a.csv" in out and out.rstrip().endswith("TLP:AMBER")


def test_an_unknown_marking_is_refused_and_stores_nothing(tmp_path, capsys):
    path = write(tmp_path / "a.csv", rows(5))
    root = tmp_path / "s"
    import_file(open_store(root), path)
    before = snapshot(root)
    code = main(["import", str(path), "--store", str(root), "--marking", "SECRET", "--quiet"])
    assert code == 2
    err = capsys.readouterr().err
    assert "--marking" in err and "SECRET" in err and "TLP:AMBER" in err  # what is known
    assert snapshot(root) == before
