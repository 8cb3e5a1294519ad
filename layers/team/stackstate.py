"""What `briefmap team` remembers of a running stack, and how it looks at each part.

The state file (`team.json` in the stack's folder, written atomically, readable by its owner
only) lists each component: its name, port, process id, log and the marker its command line
carries. `status` never trusts it alone: it asks each component (a database connection, the
provider's discovery document, Streamlit's health route, the same route through nginx), and
a process id is only acted on when the process's command line still carries our marker (a
pid reused by another program is left alone).
"""

from __future__ import annotations

import json
import os
import signal
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from layers.atomic import write_text_atomic
from layers.errors import StorageError

STATE_FILE = "team.json"
PROBE_SECONDS = 3
STOP_SECONDS = 20


class StackError(StorageError):
    """A team stack that cannot be started, read or stopped; the message names the
    component, what went wrong and its log."""


@dataclass(frozen=True)
class Part:
    """One running component of the stack."""

    name: str  # postgresql, oidc, app-1 … app-N, nginx
    port: int
    pid: int | None
    log: str
    marker: str  # a string the process's command line holds (its folder, its port)
    probe: str  # "postgresql", or the URL that answers when it is up


@dataclass(frozen=True)
class State:
    folder: str
    url: str
    parts: tuple[Part, ...]
    users: tuple[dict, ...] = ()

    def to_json(self) -> str:
        data = asdict(self)
        return json.dumps(data, indent=1)

    @classmethod
    def from_json(cls, text: str) -> State:
        data = json.loads(text)
        parts = tuple(Part(**part) for part in data["parts"])
        return cls(data["folder"], data["url"], parts, tuple(data.get("users", ())))


def write_state(folder: Path, state: State) -> None:
    write_text_atomic(folder / STATE_FILE, state.to_json(), mode=0o600)


def read_state(folder: Path) -> State | None:
    """The recorded stack, or None when none was ever started in this folder."""
    path = folder / STATE_FILE
    if not path.exists():
        return None
    try:
        return State.from_json(path.read_text(encoding="utf-8"))
    except (ValueError, KeyError, TypeError) as exc:
        raise StackError(f"{path}: not a state file written by briefmap team ({exc})") from None


# -- processes ----------------------------------------------------------------------------
def alive(pid: int | None) -> bool:
    """Whether the process runs (a zombie, ended but not yet reaped, does not)."""
    if not pid:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


def ours(part: Part) -> bool:
    """Whether the recorded pid is still our component: its command line holds the marker,
    or its working folder is the marker (a program that rewrites its process title, as
    plackup does)."""
    if not alive(part.pid):
        return False
    proc = Path(f"/proc/{part.pid}")
    try:
        cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ")
        if part.marker.encode() in cmdline:
            return True
        return os.readlink(proc / "cwd") == os.path.realpath(part.marker)
    except OSError:
        return False


def descendants(pid: int) -> set[int]:
    """The processes started by `pid`, at any depth (read from /proc)."""
    children: dict[int, set[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[-1].split()[2])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, set()).add(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def terminate(part: Part) -> None:
    """SIGTERM to the component's process group (it leads its own session), SIGKILL after
    STOP_SECONDS; reaps it when it is our child. A pid that is no longer ours is left."""
    if not ours(part):
        _reap(part.pid)
        return
    assert part.pid is not None
    _signal_group(part.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    while alive(part.pid) and time.monotonic() < deadline:
        _reap(part.pid)
        time.sleep(0.05)  # polling a condition, bounded by the deadline
    if alive(part.pid):
        _signal_group(part.pid, signal.SIGKILL)
    _reap(part.pid)


def _signal_group(pid: int, signum: int) -> None:
    try:
        if os.getpgid(pid) == pid:
            os.killpg(pid, signum)
        else:
            os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _reap(pid: int | None) -> None:
    if not pid:
        return
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass  # not our child: its parent (or init) reaps it


# -- probes -------------------------------------------------------------------------------
def http_ok(url: str, want: str | None = None, timeout: float = PROBE_SECONDS) -> bool:
    """Whether `url` answers 200 (and its body holds `want` when given); loopback only, no
    proxy. An https URL is our own front: answering is what is asked, not who signed it."""
    handlers: list = [urllib.request.ProxyHandler({})]
    if url.startswith("https://"):  # our own front with the operator's (internal) CA
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        handlers.append(urllib.request.HTTPSHandler(context=context))
    opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(url, timeout=timeout) as answer:
            body = answer.read(65536).decode("utf-8", "replace")
            return answer.status == 200 and (want is None or want in body)
    except (OSError, urllib.error.HTTPError, ValueError):
        return False


def log_tail(path: Path | str, lines: int = 12) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log written)"
    kept = [line for line in text.splitlines() if line.strip()][-lines:]
    return "\n".join(kept)[-2500:] or "(empty log)"
