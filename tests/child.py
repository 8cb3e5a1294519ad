"""Run a function in a forked child with a memory cap and a CPU-time cap, and report the CPU
time it used. Tests bound work by CPU seconds (what the code spent), never by wall-clock time
(what a loaded machine gave it): a child that keeps computing past `cpu_seconds` is killed and
the test fails; a child that is merely waiting for a core is not."""

from __future__ import annotations

import json
import os
import resource
import time

# A bound on a hang (a child blocked without computing), not a statement about speed: large
# enough to survive a machine with a load average of 20+.
HANG_SECONDS = 1800.0


def _vm_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmSize")


def _cpu_of(pid: int) -> float:
    """User + system CPU seconds the (still running) child has used so far."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _kill(pid: int, why: str):
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    raise AssertionError(why)


def in_child(fn, growth_mb: int, cpu_seconds: float):
    """`fn()` in a forked child whose address space may grow by `growth_mb` at most; return
    (its JSON-able result, the CPU seconds the child used) or raise with what went wrong."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: limit its memory, run, report, leave without cleanup
        try:
            os.close(read_end)
            size = _vm_bytes() + growth_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (size, size))
            report = {"result": fn()}
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            report = {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
        os.write(write_end, json.dumps(report).encode())
        os._exit(0)
    os.close(write_end)
    hang = time.monotonic() + HANG_SECONDS
    while True:
        done, _status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if _cpu_of(pid) > cpu_seconds:
            _kill(pid, f"still computing after {cpu_seconds} s of CPU time")
        if time.monotonic() > hang:
            _kill(pid, f"hung: no result after {HANG_SECONDS} s")
        time.sleep(0.02)  # a polling interval, not a wait for anything to happen
    with os.fdopen(read_end, "rb") as pipe:
        report = json.loads(pipe.read() or b'{"error": "no report"}')
    assert "error" not in report, report["error"]
    return report["result"], usage.ru_utime + usage.ru_stime
