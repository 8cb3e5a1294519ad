"""Opening a file a user names, safely: only a regular file is opened (a FIFO would block the
read forever, `/dev/zero` never ends, a device may do anything on open), checked before and
after opening without blocking, and whole-file reads stop at a size limit.

Every reader of a user's file (geodata, walkthroughs, incident data, deletions lists) opens it
here. The errors are `OSError`s, so a caller's existing `except OSError` reports them, and
their text names the file and what it is.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from layers.errors import InputError

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class FileRefused(InputError, OSError):
    """A path that is not a regular file, or a file over the size limit."""

    def __init__(self, path: Path | str, reason: str):
        super().__init__(None, reason, str(path))

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _check(path: Path | str, mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise FileRefused(path, f"is {_kind(mode)}, not a regular file")


def open_regular(path: Path | str) -> BinaryIO:
    """`path` opened for binary reading if it is a regular file (symbolic links followed);
    FileRefused if it is anything else, OSError if it cannot be opened. Never blocks."""
    _check(path, os.stat(path).st_mode)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        _check(path, os.fstat(fd).st_mode)  # swapped for a FIFO between stat and open
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bounded(path: Path | str, max_bytes: int) -> bytes:
    """The whole of a regular file of at most `max_bytes`; FileRefused past that (without
    reading more than `max_bytes` + 1 bytes, however the file grows) or if not a file."""
    with open_regular(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_bytes:
            raise FileRefused(path, f"is {size:,} bytes (at most {max_bytes:,})")
        # sized by the file (a read of max_bytes + 1 would reserve all of that at once), and
        # on past its size only if it grew meanwhile
        data = handle.read(size + 1)
        if len(data) > size:
            data += handle.read(max_bytes + 1 - len(data))
    if len(data) > max_bytes:
        raise FileRefused(path, f"is over {max_bytes:,} bytes")
    return data
