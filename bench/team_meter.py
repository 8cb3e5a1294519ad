"""What the team benches print beside their latencies: percentiles against a target, CPU per
part of the stack and the load average over a phase (from /proc), and the websocket sessions
each app server took (from nginx's access log, `upstream=`)."""

from __future__ import annotations

import os
import statistics
import time
from collections import Counter
from pathlib import Path

from layers.team.stackstate import descendants


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def figure(name: str, values: list[float], target: float | None = None, missed: int = 0) -> str:
    if not values:
        return f"  {name:<34} no value (missed {missed})"
    line = (f"  {name:<34} p50 {statistics.median(values):6.3f} s  p95 {_pct(values, .95):6.3f} s"
            f"  max {max(values):6.3f} s  n={len(values)}  missed={missed}")  # fmt: skip
    if target is not None:
        met = "met" if _pct(values, 0.95) <= target else "NOT met"
        line += f"  (target p95 <= {target:.1f} s: {met})"
    return line


def _ticks(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def cpu(parts: dict[str, int]) -> dict[str, float]:
    """CPU seconds used so far by each named process and everything it started; "client" is
    this process and its children but the stack's parts (started from here too)."""
    trees = {name: {pid, *descendants(pid)} for name, pid in parts.items()}
    for name, tree in trees.items():
        if name != "client":
            trees["client"] -= tree
    return {name: sum(_ticks(p) for p in tree) for name, tree in trees.items()}


class Meter:
    """Wall time, load average and CPU per part over one phase."""

    def __init__(self, parts: dict[str, int]):
        self.parts, self.t0, self.cpu0 = parts, time.monotonic(), cpu(parts)
        self.load0 = os.getloadavg()

    def report(self) -> str:
        wall = time.monotonic() - self.t0
        used = cpu(self.parts)
        share = "  ".join(
            f"{n} {used[n] - self.cpu0[n]:.0f} s ({(used[n] - self.cpu0[n]) / wall:.0%})"
            for n in self.parts
        )
        load = " -> ".join("/".join(f"{x:.1f}" for x in la) for la in (self.load0, os.getloadavg()))
        return (f"  over {wall:.0f} s: CPU (share of one core) {share}\n"
                f"  load average (1/5/15 min) {load}, on {os.cpu_count()} cores")  # fmt: skip


class Streams:
    """Websocket sessions per app server, from nginx's access log (a line when one closes)."""

    def __init__(self, log: Path, ports: dict[int, str]):
        self.log, self.ports, self.offset = log, ports, log.stat().st_size

    def since_mark(self) -> str:
        time.sleep(1.0)  # nginx writes the line once the closed connection is torn down
        counts: Counter = Counter()
        with self.log.open("rb") as handle:
            handle.seek(self.offset)
            for line in handle.read().decode(errors="replace").splitlines():
                if "/_stcore/stream" in line and " 101 " in line and "upstream=" in line:
                    last = line.rsplit("upstream=", 1)[1].split(",")[-1].strip()
                    counts[self.ports.get(int(last.rsplit(":", 1)[1]), last)] += 1
        return f"  sessions per server (nginx's log): {dict(sorted(counts.items()))}"
