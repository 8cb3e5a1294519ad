"""Atomic file writes that cannot harm the file system.

A reader sees the old file or the new one, never half of one: data goes to a temporary file in
the same folder, is flushed to disk, then renamed over the target. The target is checked first:

- a directory, a device, a FIFO or a socket is refused (only regular files are replaced);
- a symbolic link is refused, never followed: the rename would replace the link itself, and
  writing through it would change a file somewhere else. Give the real path instead;
- a missing folder is an error unless the caller asks for it to be made (`make_parents`);
- an existing file keeps its permission bits; a new one gets the usual 0666 less the umask.

Temporary files are removed on failure, and any left by a killed run (named after its process
id) are removed on the next write to the same target.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

_STALE_SECONDS = 24 * 3600  # a temporary file this old is stale whoever made it


class UnsafeTarget(ValueError):
    """A path briefmap will not write to; the message says why and what to do."""


def check_target(path: Path, make_parents: bool = False) -> Path:
    """Refuse a target that is not (or would not be) a regular file in an existing folder."""
    path = Path(path)
    if path.is_symlink():
        raise UnsafeTarget(f"{path} is a symbolic link; briefmap does not write through links")
    if path.exists():
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise UnsafeTarget(f"{path} is a folder; give a file name")
        if not stat.S_ISREG(mode):
            raise UnsafeTarget(f"{path} is not a regular file (a device, FIFO or socket)")
    parent = path.parent
    if not parent.exists():
        if not make_parents:
            raise UnsafeTarget(f"folder {parent} does not exist (create it first)")
        parent.mkdir(parents=True, exist_ok=True)
    elif not parent.is_dir():
        raise UnsafeTarget(f"{parent} is not a folder")
    return path


def write_bytes_atomic(path: Path, data: bytes, make_parents: bool = False) -> None:
    write_chunks_atomic(path, (data,), make_parents)


def write_chunks_atomic(path: Path, chunks: Iterable[bytes], make_parents: bool = False) -> None:
    """Like `write_bytes_atomic`, for data made piece by piece (never all in memory)."""
    path = check_target(path, make_parents)
    _remove_stale(path)
    mode = _mode_for(path)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def write_text_atomic(path: Path, text: str, make_parents: bool = False) -> None:
    write_bytes_atomic(path, text.encode("utf-8"), make_parents)


def _mode_for(path: Path) -> int:
    """The target's own permission bits, or what a plain open() would give a new file."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _remove_stale(path: Path) -> None:
    """Remove temporary files of earlier writes to `path` whose process has gone."""
    prefix = f".{path.name}."
    with contextlib.suppress(OSError):
        for candidate in path.parent.iterdir():
            name = candidate.name
            if not (name.startswith(prefix) and name.endswith(".tmp")):
                continue
            pid = name[len(prefix) :].split(".", 1)[0]
            if _stale(candidate, pid):
                candidate.unlink(missing_ok=True)


def _stale(candidate: Path, pid: str) -> bool:
    """Left by a process that is gone (or too old to belong to a write still under way)."""
    try:
        if candidate.stat().st_mtime < time.time() - _STALE_SECONDS:
            return True
    except OSError:
        return False
    if not pid.isdigit():
        return True  # not named by this module's writes
    if int(pid) == os.getpid():
        return False  # another write of this process, maybe under way in another thread
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False
    return False


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every file system allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
