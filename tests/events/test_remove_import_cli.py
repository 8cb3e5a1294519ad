"""`briefmap store remove-import ID`: the listing shows each import's id; the removal says
what went and the marking before → after; an unknown id changes nothing; the removal is
listed with who did it."""

from __future__ import annotations

from layers.cli import main
from layers.events.attribution import os_user
from layers.events.store import open_store
from tests.events.helpers import rows, snapshot, write


def _two_imports(tmp_path) -> str:
    store = str(tmp_path / "s")
    first = rows(6, seed=1)
    second = rows(4, seed=2)
    for r in second:  # events of its own (the seeded rows share their ids)
        r["event_id_cnty"] = "RED" + r["event_id_cnty"]
    assert main(["import", str(write(tmp_path / "a.csv", first)), "--store", store, "--quiet"]) == 0
    red = ["import", str(write(tmp_path / "red.csv", second)), "--store", store, "--quiet"]
    assert main([*red, "--marking", "TLP:RED", "--raise-marking"]) == 0
    return store


def test_the_listing_shows_each_imports_id(tmp_path, capsys):
    store = _two_imports(tmp_path)
    capsys.readouterr()
    assert main(["store", "--store", store]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "sha256" in line]
    ids = [e["id"] for e in open_store(tmp_path / "s").describe().imports]
    assert [f"  id {ids[0]}  " in lines[0], f"  id {ids[1]}  " in lines[1]] == [True, True]
    assert "red.csv" in lines[1] and ids[0] != ids[1]


def test_remove_import_says_what_went_and_the_marking_before_and_after(tmp_path, capsys):
    store = _two_imports(tmp_path)
    red = open_store(tmp_path / "s").describe().imports[1]["id"]
    capsys.readouterr()
    assert main(["store", "remove-import", str(red), "--store", store]) == 0
    out = capsys.readouterr().out
    assert f"removed import {red} (red.csv" in out and "4 events removed" in out
    assert "marking TLP:RED → TLP:CLEAR" in out
    info = open_store(tmp_path / "s").describe()
    assert (info.rows, info.marking().label, len(info.imports)) == (6, "TLP:CLEAR", 1)
    assert main(["store", "--store", store]) == 0
    listed = capsys.readouterr().out
    assert f"removed by {os_user()}: import {red} (red.csv, TLP:RED), 4 events" in listed
    assert "marking: TLP:CLEAR" in listed


def test_removing_an_unknown_import_changes_nothing_and_says_so(tmp_path, capsys):
    store = _two_imports(tmp_path)
    before = snapshot(tmp_path / "s")
    capsys.readouterr()
    assert main(["store", "--store", store, "remove-import", "77"]) == 2
    err = capsys.readouterr().err
    assert "no import 77 in the store" in err and "nothing was changed" in err
    assert snapshot(tmp_path / "s") == before
