"""An import killed with SIGKILL at any point leaves the store as it was (or, once the manifest
is swapped in, as the import made it): never half of one, and always readable."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from layers.events import synth
from layers.events.importer import import_file
from layers.events.store import MANIFEST, open_store
from layers.paths import PROJECT_ROOT
from tests.events.helpers import rows, write

BRIEFMAP = str(Path(sys.executable).parent / "briefmap")
BEFORE_COMMIT = ("parsed", "merged", "data-tmp", "data-written")


@pytest.fixture(scope="module")
def incoming(tmp_path_factory) -> Path:
    """A file of 6,000 events whose ids differ from the store's first import."""
    return synth.write_csv(tmp_path_factory.mktemp("in") / "incoming.csv", 6000, seed=99)


def _store(tmp_path: Path) -> Path:
    root = tmp_path / "store"
    data = rows(40, seed=5)
    for r in data:
        r["event_id_cnty"] = "OLD" + r["event_id_cnty"]
    import_file(open_store(root), write(tmp_path / "first.csv", data))
    return root


def _state(root: Path) -> tuple[bytes, bytes, list[str]]:
    """The committed store: manifest bytes, the data file it names, and its ids."""
    manifest = (root / MANIFEST).read_bytes()
    store = open_store(root)
    data = (root / store.describe().data_file).read_bytes()
    ids = sorted(store.table().column("event_id_cnty").to_pylist())
    return manifest, data, ids


def _start(root: Path, path: Path | str, stall: str | None = None) -> subprocess.Popen:
    """`briefmap import` of `path` into `root`; with `stall`, a child Python process that runs
    the same import with a stage callback that announces `stall` and waits there
    (`tests.events.stall_import`); `path` "remove:ID": the removal of import ID instead."""
    if stall:
        command = [sys.executable, "-m", "tests.events.stall_import", str(root), str(path), stall]
    else:
        command = [BRIEFMAP, "import", str(path), "--store", str(root), "--quiet"]
    return subprocess.Popen(
        command,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        cwd=PROJECT_ROOT,
        text=True,
    )


@pytest.mark.parametrize("stage", BEFORE_COMMIT)
def test_kill_before_commit_leaves_store_unchanged(tmp_path, incoming, stage):
    root = _store(tmp_path)
    before = _state(root)
    proc = _start(root, incoming, stall=stage)
    line = proc.stderr.readline()
    assert f"stalled at {stage}" in line, line
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert _state(root) == before
    # the next import sweeps what the killed one left and works
    result = import_file(open_store(root), incoming)
    assert result.counts.new == 6000
    assert not [p.name for p in root.iterdir() if p.name.endswith(".tmp")]


def test_kill_after_commit_gives_the_new_store(tmp_path, incoming):
    root = _store(tmp_path)
    proc = _start(root, incoming, stall="committed")
    line = proc.stderr.readline()
    assert "stalled at committed" in line, line
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    _manifest, _data, ids = _state(root)
    assert len(ids) == 6040


@pytest.mark.parametrize("delay", [0.05, 0.4, 0.9, 1.5, 2.5])
def test_kill_at_a_moment_leaves_old_or_new_store(tmp_path, incoming, delay):
    root = _store(tmp_path)
    before = _state(root)
    proc = _start(root, incoming)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    after = _state(root)
    assert after == before or len(after[2]) == 6040
    assert set(before[2]) <= set(after[2])


@pytest.mark.parametrize("stage", BEFORE_COMMIT[1:])
def test_a_removal_killed_before_commit_leaves_store_unchanged(tmp_path, incoming, stage):
    root = _store(tmp_path)
    import_file(open_store(root), incoming)
    ident = open_store(root).describe().imports[-1]["id"]
    before = _state(root)
    proc = _start(root, f"remove:{ident}", stall=stage)
    line = proc.stderr.readline()
    assert f"stalled at {stage}" in line, line
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert _state(root) == before and len(before[2]) == 6040
    done = open_store(root).remove_import(ident)  # the next one sweeps and works
    assert done.events == 6000 and len(_state(root)[2]) == 40
    assert not [p.name for p in root.iterdir() if p.name.endswith(".tmp")]
