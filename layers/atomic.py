"""Atomic file writes that cannot harm the file system.

A reader sees the old file or the new one, never half of one: data goes to a temporary file in
the same folder, is flushed to disk, then renamed over the target. The target is checked first:

- a directory, a device, a FIFO or a socket is refused (only regular files are replaced);
- a symbolic link is refused, never followed: the rename would replace the link itself, and
  writing through it would change a file somewhere else. Give the real path instead;
- a missing folder is an error unless the caller asks for it to be made (`make_parents`);
- an existing file keeps its permission bits; a new one gets the usual 0666 less the umask.

A write that runs out of space raises `DiskFull` ("disk full writing <path>").
Temporary files are named ".<target>.<process id>.<unique>.tmp": unique to the process and to
the call, so two processes (or threads) writing one target never write into, rename or remove
each other's file; the last rename wins and the target is always one whole version. They are
removed on failure, and any left by a killed run are removed on the next write to the same
target. Every rename of a file in briefmap goes through here (a test holds the code to it):
bytes, text, chunks, or a file a callback makes (`write_with_atomic`: a copy, a link, a
library's own writer).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from layers.errors import StorageError

_STALE_SECONDS = 24 * 3600  # a temporary file this old is stale whoever made it


class UnsafeTarget(StorageError, ValueError):
    """A path briefmap will not write to; the message says why and what to do."""

    exit_code = 2  # the target named on the command line is refused: give another


FULL = (errno.ENOSPC, errno.EDQUOT)  # no space left, or the user's quota spent


class DiskFull(StorageError, OSError):
    """A write that ran out of disk space: "disk full writing <path>" (an OSError, so every
    surface that reports file system errors reports it; its errno is ENOSPC)."""

    def __init__(self, path: Path | str):
        super().__init__(f"disk full writing {path}")
        self.errno, self.filename = errno.ENOSPC, str(path)

    def __str__(self) -> str:
        return f"disk full writing {self.filename}"


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in FULL


def write_error(exc: OSError, path: Path | str) -> str:
    """A failed write of `path` in one line: "disk full writing <path>", or "cannot write
    <path>: <reason>" (the path given, as an error from a write has no file name)."""
    if is_disk_full(exc):
        return f"disk full writing {path}"
    return f"cannot write {path}: {exc.strerror or exc}"


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


def write_bytes_atomic(
    path: Path, data: bytes, make_parents: bool = False, mode: int | None = None
) -> None:
    write_chunks_atomic(path, (data,), make_parents, mode)


def write_text_atomic(
    path: Path, text: str, make_parents: bool = False, mode: int | None = None
) -> None:
    """`mode`: the new file's permission bits (e.g. 0o600 for a secret; the temporary file is
    0600 while it is written); default: the target's own, or what open() would give."""
    write_bytes_atomic(path, text.encode("utf-8"), make_parents, mode)


def write_chunks_atomic(
    path: Path, chunks: Iterable[bytes], make_parents: bool = False, mode: int | None = None
) -> None:
    """Like `write_bytes_atomic`, for data made piece by piece (never all in memory)."""
    with _staged(path, make_parents) as (fd, _tmp, own):
        mode = own if mode is None else mode
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())


def write_with_atomic(
    path: Path,
    write: Callable[[Path], None],
    make_parents: bool = False,
    ready: Callable[[], None] | None = None,
) -> None:
    """Like `write_bytes_atomic`, for a file that `write` makes at the temporary path it is
    given (a copy, a hard link, a library's own writer). The path exists, empty, when `write`
    is called: a writer that must create the file itself (`os.link`) removes it first.
    `ready` is called once the data is on disk, just before the rename."""
    with _staged(path, make_parents) as (fd, tmp, mode):
        os.close(fd)
        write(tmp)
        with tmp.open("rb") as handle:
            if os.fstat(handle.fileno()).st_nlink == 1:  # never chmod a linked source
                os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        if ready is not None:
            ready()


def temporary_name(path: Path) -> str:
    """The prefix of this process's temporary files for `path` (each write adds a unique
    part and ".tmp"): another process writing the same target never touches them."""
    return f".{path.name}.{os.getpid()}."


@contextlib.contextmanager
def _staged(path: Path, make_parents: bool) -> Iterator[tuple[int, Path, int]]:
    """A new temporary file beside `path` (its descriptor, path and the mode the target
    gets), renamed over `path` when the body returns, removed if it raises."""
    path = check_target(path, make_parents)
    _remove_stale(path)
    mode = _mode_for(path)
    try:
        fd, name = tempfile.mkstemp(prefix=temporary_name(path), suffix=".tmp", dir=path.parent)
    except OSError as exc:  # no room for even an empty file (or no inode left)
        if is_disk_full(exc):
            raise DiskFull(path) from exc
        raise
    tmp = Path(name)
    try:
        yield fd, tmp, mode
        os.replace(tmp, path)
        tmp.unlink(missing_ok=True)  # still there if both were links to one file (a no-op rename)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)  # nothing half-written is left; the target is as it was
        if is_disk_full(exc) and not isinstance(exc, DiskFull):
            raise DiskFull(path) from exc
        raise
    _sync_folder(path.parent)


def _temporary_parts(name: str) -> tuple[str | None, str]:
    """(target name, process id) of a temporary file named by `_staged`, or by the older
    fixed ".<target>.tmp" form (process id ""); (None, "") for any other name."""
    if not (name.startswith(".") and name.endswith(".tmp")):
        return None, ""
    parts = name[1:-4].rsplit(".", 2)
    if len(parts) == 3 and parts[1].isdigit():
        return parts[0], parts[1]
    return name[1:-4], ""


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
    with contextlib.suppress(OSError):
        for candidate in path.parent.iterdir():
            target, pid = _temporary_parts(candidate.name)
            if target == path.name and _stale(candidate, pid):
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
