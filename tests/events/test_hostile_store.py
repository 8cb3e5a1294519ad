"""Store folders briefmap must not use are refused by every command that opens one, a folder
that is not a store is left alone, and a damaged manifest is one StoreError: the store is
byte-for-byte what it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from layers.cli import main
from layers.events.importer import import_file
from layers.events.store import MANIFEST, StoreError, open_store
from tests.events.helpers import rows, snapshot, write


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    """A store holding three events, so 'unchanged' means something."""
    root = tmp_path / "store"
    import_file(open_store(root), write(tmp_path / "first.csv", rows(3, seed=5)))
    return root


# -- store folders and manifests -----------------------------------------------------------

SYSTEM = ["/dev", "/", "/proc/self", "/sys/kernel", "/etc", "/etc/hostname", "/usr/share"]


@pytest.mark.parametrize("place", SYSTEM)
@pytest.mark.parametrize("command", ["import", "store", "serve"])
def test_system_folders_are_refused(tmp_path, capsys, command, place):
    source = write(tmp_path / "ok.csv", rows())
    argv = {
        "import": ["import", str(source), "--quiet", "--store", place],
        "store": ["store", "--store", place],
        "serve": ["serve", "--port", "1", "--store", place],  # fails before serving
    }[command]
    assert main(argv) in (1, 2)
    err = capsys.readouterr().err
    assert place in err and ("system folder" in err or "not a folder" in err)
    assert not any(Path(place, name).exists() for name in (MANIFEST, ".briefmap-store", ".lock"))


@pytest.mark.parametrize("command", ["import", "store", "serve", "export"])
def test_empty_store_path_is_refused(tmp_path, capsys, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    source = write(tmp_path / "ok.csv", rows())
    argv = {
        "import": ["import", str(source), "--store", ""],
        "store": ["store", "--store", ""],
        "serve": ["serve", "--store", ""],
        "export": ["export", "--format", "csv", "--out", "x.csv", "--store", ""],
    }[command]
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert "--store: empty" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.csv"]


def test_a_folder_that_is_not_a_store_is_left_alone(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / ".vimswap.tmp").write_text("keep")
    (folder / "events-000001.parquet").write_text("keep too")
    before = snapshot(folder)
    with pytest.raises(StoreError, match="not a briefmap event store and not empty"):
        import_file(open_store(folder), write(tmp_path / "ok.csv", rows()))
    assert snapshot(folder) == before


def test_the_sweep_removes_only_our_own_files(tmp_path, store_dir):
    (store_dir / ".vimswap.tmp").write_text("not ours")
    (store_dir / "notes.txt").write_text("not ours")
    (store_dir / ".events-000042.parquet.tmp").write_text("ours, left by a killed import")
    import_file(open_store(store_dir), write(tmp_path / "more.csv", rows(5, seed=8)))
    names = {p.name for p in store_dir.iterdir()}
    assert {".vimswap.tmp", "notes.txt"} <= names
    assert ".events-000042.parquet.tmp" not in names


def _without(key):
    def edit(m):
        del m[key]
        return m

    return edit


def _set(*path_and_value):
    *path, value = path_and_value

    def edit(m):
        place = m
        for key in path[:-1]:
            place = place[key]
        place[path[-1]] = value
        return m

    return edit


MANIFESTS = {
    "list": lambda m: [],
    "null": lambda m: None,
    "text": lambda m: "briefmap",
    "deep": lambda m: "DEEP",
    "empty-object": lambda m: {},
    "no-generation": _without("generation"),
    "no-rows": _without("rows"),
    "no-imports": _without("imports"),
    "no-data": _without("data"),
    "generation-text": _set("generation", "1"),
    "generation-bool": _set("generation", True),
    "rows-negative": _set("rows", -1),
    "data-path": _set("data", "../../etc/passwd"),
    "data-other-generation": _set("data", "events-000007.parquet"),
    "imports-object": _set("imports", {}),
    "import-number": _set("imports", [1]),
    "import-no-counts": lambda m: _set("imports", [{"file": "x"}])(m),
    "counts-text": lambda m: _set("imports", 0, "counts", {"new": "many"})(m),
    "sha-number": lambda m: _set("imports", 0, "sha256", 5)(m),
    "marking-unknown": lambda m: _set("imports", 0, "marking", "TLP:PURPLE")(m),
    "first-date-list": _set("first_date", []),
    "format-other": _set("format", "something-else/2"),
}


@pytest.mark.parametrize("case", MANIFESTS, ids=list(MANIFESTS))
def test_damaged_manifest_is_one_store_error(tmp_path, store_dir, capsys, case):
    path = store_dir / MANIFEST
    edited = MANIFESTS[case](json.loads(path.read_text(encoding="utf-8")))
    path.write_text("[" * 100_000 if edited == "DEEP" else json.dumps(edited), encoding="utf-8")
    before = snapshot(store_dir)
    with pytest.raises(StoreError, match="manifest"):
        open_store(store_dir).describe()
    assert main(["store", "--store", str(store_dir)]) == 1
    source = write(tmp_path / "more.csv", rows(2, seed=9))
    assert main(["import", str(source), "--quiet", "--store", str(store_dir)]) == 1
    assert main(["serve", "--store", str(store_dir)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 3 and all(f"{MANIFEST}: " in line for line in lines), lines
    assert snapshot(store_dir) == before


def test_app_shows_a_damaged_manifest(store_dir, app_env):
    from tests.conftest import run_app

    (store_dir / MANIFEST).write_text('{"format": "briefmap-events/1", "imports": []}')
    app_env(BRIEFMAP_STORE=store_dir)
    at = run_app()
    assert not at.exception
    errors = " ".join(e.value for e in at.sidebar.error)
    assert "manifest" in errors and "generation" in errors


def _data_file(store_dir: Path) -> Path:
    return store_dir / json.loads((store_dir / MANIFEST).read_text(encoding="utf-8"))["data"]


def _foreign(path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"a": [1, 2, 3]}), path)


def _short(path: Path) -> None:
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    pq.write_table(table.slice(0, max(table.num_rows - 1, 0)), path)


DATA_FILES = {
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "empty": lambda p: p.write_bytes(b""),
    "foreign-parquet": _foreign,
    "deleted": lambda p: p.unlink(),
    "fewer-rows": _short,
    "not-parquet": lambda p: p.write_text("event_id_cnty\nX1\n"),
}


@pytest.mark.parametrize("case", DATA_FILES, ids=list(DATA_FILES))
def test_damaged_data_file_is_one_store_error(tmp_path, store_dir, capsys, case):
    """Issue 17: ArrowInvalid, KeyError and InvalidIndexError tracebacks on import and export,
    and `briefmap store` calling a damaged store healthy."""
    path = _data_file(store_dir)
    DATA_FILES[case](path)
    before = snapshot(store_dir)
    store = open_store(store_dir)
    for call in (store.check, store.table, lambda: store.load(["event_type"])):
        with pytest.raises(StoreError, match=path.name):
            call()
    capsys.readouterr()
    assert main(["store", "--store", str(store_dir)]) == 1
    source = write(tmp_path / "more.csv", rows(2, seed=9))
    assert main(["import", str(source), "--quiet", "--store", str(store_dir)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all(path.name in line and "damaged" in line for line in err), err
    assert snapshot(store_dir) == before
