"""Running a server as an unprivileged user: PostgreSQL refuses root, and nginx and the
sign-in portal have no need of it. When briefmap runs as root (CI, a fresh machine), each
server command runs as `nobody` (`setpriv`) in a folder handed to that user; otherwise as the
current user, unchanged."""

from __future__ import annotations

import os
import pwd
from pathlib import Path

from layers.errors import StorageError

USER = "nobody"
GROUP = "nogroup"


class FolderError(StorageError):
    """A folder the unprivileged server could not use."""


def as_owner(command: list[str]) -> list[str]:
    """The command as the unprivileged user when we are root."""
    if os.geteuid() != 0:
        return command
    return ["setpriv", f"--reuid={USER}", f"--regid={GROUP}", "--clear-groups", *command]


def hand_over(folder: Path, what: str = "the server") -> None:
    """Give the folder and everything in it to the unprivileged user when we are root; it stays
    closed to everyone else. Its parents must let that user through: we never widen them."""
    if os.geteuid() != 0:
        return
    for parent in Path(folder).resolve().parents:
        if not parent.stat().st_mode & 0o001:
            raise FolderError(
                f"{folder}: {what} runs as {USER!r}, which cannot pass through {parent} "
                f"(mode {parent.stat().st_mode & 0o777:o}); choose a folder under /tmp or /var/tmp"
            )
    user = pwd.getpwnam(USER)
    for path in (folder, *Path(folder).rglob("*")):
        os.chown(path, user.pw_uid, user.pw_gid)
    Path(folder).chmod(0o700)
