"""Two processes writing the same file at once (two `briefmap serve` from one install, the CLI
beside the app): every write goes through `layers.atomic`, whose temporary names are unique
per process and per call, so neither process renames, truncates or removes the other's file.
With a fixed ".tmp" name the second rename fails (FileNotFoundError) or a half-copied file is
renamed into place. Then the rule itself: no module renames a file but `layers.atomic`."""

from __future__ import annotations

import ast
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

from layers.atomic import write_bytes_atomic, write_with_atomic
from layers.paths import PROJECT_ROOT
from layers.tiles.archive import inspect_archive, served_archive
from tests.archive_builders import mbtiles

ROUNDS = 10
GUARD = 300  # seconds: only to stop a hung child, never a measure of speed
FORK = multiprocessing.get_context("fork")


def _rounds(job, root: Path, barrier, errors) -> None:
    """In each child: `job(folder)` for a fresh folder per round, both children released
    together at the start of each round; any exception is reported, not raised."""
    try:
        for i in range(ROUNDS):
            barrier.wait(GUARD)
            job(root / f"round-{i}")
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails
        errors.put(f"{type(exc).__name__}: {exc}")
        barrier.abort()


def _race(job, root: Path) -> list[str]:
    barrier, errors = FORK.Barrier(2), FORK.Queue()
    children = [FORK.Process(target=_rounds, args=(job, root, barrier, errors)) for _ in "ab"]
    for child in children:
        child.start()
    for child in children:
        child.join(GUARD)
    found = []
    while not errors.empty():
        found.append(errors.get())
    return found + [f"child exited with {c.exitcode}" for c in children if c.exitcode != 0]


def _temporaries(root: Path) -> list[str]:
    return sorted(str(p) for p in root.rglob("*") if p.name.endswith(".tmp"))


def test_two_processes_converting_one_archive_at_once_both_succeed(tmp_path):
    """Two servers given one MBTiles archive convert it into one cache folder at once."""
    info = inspect_archive(mbtiles(tmp_path / "user.mbtiles"))
    assert _race(lambda folder: served_archive(info, folder), tmp_path / "cache") == []
    for i in range(ROUNDS):
        served = list((tmp_path / "cache" / f"round-{i}").iterdir())
        assert len(served) == 1 and inspect_archive(served[0]).kind == "pmtiles", served
    assert _temporaries(tmp_path) == []


def _write_many(target: Path, fill: bytes, count: int) -> None:
    for _ in range(count):
        write_with_atomic(target, lambda tmp: tmp.write_bytes(fill * (1 << 18)))


def test_a_reader_sees_one_whole_version_while_two_processes_rewrite_a_file(tmp_path):
    target = tmp_path / "shared.bin"
    write_bytes_atomic(target, b"a" * (1 << 18))
    wholes = {b"a" * (1 << 18), b"b" * (1 << 18)}
    writers = [FORK.Process(target=_write_many, args=(target, f, 150)) for f in (b"a", b"b")]
    for writer in writers:
        writer.start()
    reads = 0
    while any(w.is_alive() for w in writers) or reads == 0:
        assert target.read_bytes() in wholes  # never empty, short or mixed
        reads += 1
    for writer in writers:
        writer.join(GUARD)
    assert [w.exitcode for w in writers] == [0, 0]
    assert target.read_bytes() in wholes
    assert _temporaries(tmp_path) == []


def test_a_write_keeps_a_live_process_temporary_and_removes_a_dead_one(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead, live = int(done.stdout), os.getppid()
    target = tmp_path / "file.txt"
    for pid in (dead, live):
        (tmp_path / f".file.txt.{pid}.abcd1234.tmp").write_bytes(b"partial")
    (tmp_path / ".file.txt.tmp").write_bytes(b"left by an older briefmap")
    (tmp_path / ".file.txt.map.4242.abcd1234.tmp").write_bytes(b"another target's")
    write_bytes_atomic(target, b"new")
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted(
        ["file.txt", f".file.txt.{live}.abcd1234.tmp", ".file.txt.map.4242.abcd1234.tmp"]
    )


def test_a_failed_callback_leaves_the_target_and_no_temporary(tmp_path):
    target = tmp_path / "kept.txt"
    target.write_text("old")

    def fail(tmp: Path) -> None:
        tmp.write_text("half")
        raise RuntimeError("stopped")

    with pytest.raises(RuntimeError):
        write_with_atomic(target, fail)
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.txt"]


# --- the rule: renames only in layers/atomic.py ---------------------------------------------

ALLOWED: dict[str, str] = {}  # "path": why this module may rename a file itself (none today)


def _renames(tree: ast.AST) -> list[int]:
    """Lines calling os.replace / os.rename / shutil.move, or a one-argument .replace(x) or
    .rename(x) (Path's; str.replace takes two, DataFrame.rename takes keywords)."""
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name, owner = node.func.attr, ast.unparse(node.func.value)
        if (owner, name) in {("os", "replace"), ("os", "rename"), ("shutil", "move")}:
            found.append(node.lineno)
        elif name in ("replace", "rename") and len(node.args) == 1 and not node.keywords:
            found.append(node.lineno)
    return found


def test_no_module_renames_a_file_but_the_atomic_writer():
    offenders = []
    for folder in ("layers", "dashboard"):
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            rel = path.relative_to(PROJECT_ROOT).as_posix()
            if rel == "layers/atomic.py" or rel in ALLOWED:
                continue
            lines = _renames(ast.parse(path.read_text(encoding="utf-8")))
            offenders += [f"{rel}:{n}" for n in lines]
    assert offenders == [], "rename through layers.atomic instead: " + ", ".join(offenders)


def test_the_rename_check_sees_each_form():
    code = "os.replace(a, b)\nos.rename(a, b)\nshutil.move(a, b)\np.replace(t)\np.rename(t)\n"
    quiet = "s.replace('a', 'b')\nd.replace(second=0)\ndf.rename(columns={})\n"
    assert _renames(ast.parse(code)) == [1, 2, 3, 4, 5]
    assert _renames(ast.parse(quiet)) == []
