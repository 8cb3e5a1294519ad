"""A full disk is named as such, with the path, and leaves nothing half-written.

The real disk is never filled: the test points the write at /dev/full, the kernel's device on
which every write fails with ENOSPC (the temporary file of an atomic write is opened there;
the event store's Parquet writer is handed /dev/full). The product code is what runs."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from layers.atomic import DiskFull, write_bytes_atomic, write_text_atomic
from layers.cli import main
from layers.events import store as store_module
from layers.events.importer import import_file
from layers.events.store import StoreError, open_store
from tests.events.helpers import rows, snapshot, write

FULL = "/dev/full"
pytestmark = pytest.mark.skipif(not os.path.exists(FULL), reason="no /dev/full on this system")


@pytest.fixture(autouse=True)
def _device_kept():
    """pyarrow removes the path it was given when a write fails: as root, handed "/dev/full"
    by name it would delete the device. These tests hand it an open file instead."""
    yield
    assert os.path.exists(FULL), "/dev/full was removed"


@pytest.fixture
def full_disk(monkeypatch):
    """Atomic writes get their temporary file as usual, but their bytes go to /dev/full."""
    real_mkstemp, real_fchmod = tempfile.mkstemp, os.fchmod
    device = os.stat(FULL).st_rdev
    made: list[str] = []

    def mkstemp(*args, **kwargs):
        fd, name = real_mkstemp(*args, **kwargs)
        os.close(fd)
        made.append(name)
        return os.open(FULL, os.O_WRONLY), name

    def fchmod(fd, mode):  # never change the device's own mode, whatever happens
        assert os.fstat(fd).st_rdev != device, "wrote on past a full disk"
        real_fchmod(fd, mode)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    monkeypatch.setattr(os, "fchmod", fchmod)
    return made


@pytest.mark.parametrize("size", [10, 5_000_000], ids=["small", "5-MB"])
def test_an_atomic_write_on_a_full_disk_says_so_and_leaves_the_old_file(tmp_path, full_disk, size):
    target = tmp_path / "out.png"
    target.write_bytes(b"the old file")
    with pytest.raises(DiskFull) as caught:
        write_bytes_atomic(target, b"x" * size)
    assert str(caught.value) == f"disk full writing {target}"
    assert caught.value.errno == errno.ENOSPC and isinstance(caught.value, OSError)
    assert target.read_bytes() == b"the old file"
    assert full_disk and not any(Path(name).exists() for name in full_disk)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.png"]


def test_a_new_file_on_a_full_disk_is_not_made(tmp_path, full_disk):
    target = tmp_path / "new.geojson"
    with pytest.raises(DiskFull, match=f"^disk full writing {target}$"):
        write_text_atomic(target, "{}")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["png", "pdf", "svg", "html"])
def test_an_export_on_a_full_disk_is_one_clear_line(tmp_path, full_disk, capsys, fmt):
    out = tmp_path / f"scene.{fmt}"
    dpi = ["--dpi", "60"] if fmt != "html" else []
    assert main(["export", "--format", fmt, "--scene", "4", *dpi, "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == f"briefmap export: disk full writing {out}", err
    assert "None" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_geojson_export_on_a_full_disk_is_one_clear_line(tmp_path, full_disk, capsys):
    out = tmp_path / "features.geojson"
    assert main(["export", "--format", "geojson", "--out", str(out)]) == 1
    assert capsys.readouterr().err.strip() == f"briefmap export: disk full writing {out}"
    assert list(tmp_path.iterdir()) == []


def test_the_event_store_on_a_full_disk_is_a_store_error_and_unchanged(tmp_path, monkeypatch):
    root = tmp_path / "store"
    import_file(open_store(root), write(tmp_path / "first.csv", rows(5, seed=3)))
    before = snapshot(root)
    real = pq.write_table

    def to_a_full_disk(table, where, **kwargs):
        Path(where).write_bytes(b"PAR1 half a file")  # what a write cut short leaves
        with open(
            FULL, "wb"
        ) as sink:  # a file object: pyarrow never removes a path it was not given
            real(table, sink, **kwargs)  # pyarrow's own write, failing with the kernel's ENOSPC

    monkeypatch.setattr(store_module.pq, "write_table", to_a_full_disk)
    with pytest.raises(StoreError) as caught:
        import_file(open_store(root), write(tmp_path / "second.csv", rows(8, seed=4)))
    assert str(caught.value).startswith(f"disk full writing {root / 'events-000002.parquet'}")
    assert snapshot(root) == before  # the manifest and data as they were; no temporary file


def test_the_import_command_on_a_full_disk_says_so(tmp_path, monkeypatch, capsys):
    root = tmp_path / "store"
    real = pq.write_table

    def to_a_full_disk(table, _where, **kwargs):
        with open(FULL, "wb") as sink:
            real(table, sink, **kwargs)

    monkeypatch.setattr(store_module.pq, "write_table", to_a_full_disk)
    csv = write(tmp_path / "first.csv", rows(5, seed=3))
    assert main(["import", str(csv), "--store", str(root)]) == 1
    err = capsys.readouterr().err
    assert f"disk full writing {root / 'events-000001.parquet'}" in err, err
    assert not [p for p in root.iterdir() if p.name.endswith(".tmp")]
