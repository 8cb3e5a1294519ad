"""Time and memory of the boundaries on the worst files a user can hand briefmap.

    python bench/boundary.py [--runs 5] [--bomb-mb 512] [--only walkthrough|files]

Walkthrough uploads: each case runs in a forked child (so memory is its own): the time to
accept or refuse the file (median and worst of the runs) and the growth of the child's peak
resident memory. Targets: at most 2 s and 200 MB for any file up to the size limit.

Files of issue 17 (`bench/boundary_files.py`): the 80,000-column CSV header, the date
extremes, the bomb tiles and the damaged store, each in a fresh interpreter: CPU seconds and
peak memory. Targets: each refused in at most 2 s of CPU and 200 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import boundary_files  # noqa: E402  (beside this file)

from layers.boundary import load_geodata, validate_walkthrough_upload  # noqa: E402
from layers.boundary.yamlio import MAX_BYTES  # noqa: E402
from layers.walkthrough import dump_walkthrough  # noqa: E402


def cases(shipped: str) -> dict[str, bytes]:
    chain = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    chain += [f"a{k}: &a{k} [" + ",".join([f"*a{k - 1}"] * 9) + "]" for k in range(1, 10)]
    padded = shipped + "#" * (MAX_BYTES - len(shipped.encode()) - 2) + "\n"
    return {
        "shipped walkthrough (accepted)": shipped.encode(),
        "alias bomb, 700 bytes": ("\n".join(chain) + "\nscenes: *a9\n").encode(),
        "flow nesting x5000": ("[" * 5000 + "]" * 5000).encode(),
        "block nesting x300": "".join("  " * i + f"k{i}:\n" for i in range(300)).encode(),
        "values at the limit (256 kB of 1,)": ("x: [" + "1," * (MAX_BYTES // 2 - 4) + "]").encode(),
        "long strings at the limit": ("x: '" + "a" * (MAX_BYTES - 10) + "'\n").encode(),
        "shipped + comment to the limit": padded.encode(),
        "1 byte over the limit": b"#" * (MAX_BYTES + 1),
    }


def measure(data: bytes, geodata) -> dict:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        walkthrough, problems = validate_walkthrough_upload("case.yaml", data, geodata)
        took = time.perf_counter() - start
        grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        report = {"s": took, "mb": grew / 1024, "ok": walkthrough is not None, "n": len(problems)}
        os.write(write_end, json.dumps(report).encode())
        os._exit(0)
    os.close(write_end)
    os.waitpid(pid, 0)
    with os.fdopen(read_end, "rb") as pipe:
        return json.loads(pipe.read())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--bomb-mb", type=int, default=512, help="what a bomb tile unpacks to")
    parser.add_argument("--only", choices=("walkthrough", "files"))
    args = parser.parse_args()
    if args.only != "files":
        walkthroughs(args.runs)
    if args.only != "walkthrough":
        boundary_files.report(args.bomb_mb)
    return 0


def walkthroughs(runs: int) -> None:
    geodata = load_geodata()
    shipped = dump_walkthrough(geodata.walkthroughs["iraq-syria-2025"])
    print(f"{'case':<38} {'bytes':>8} {'median s':>9} {'max s':>7} {'+MB':>6}  result")
    worst_s = worst_mb = 0.0
    for name, data in cases(shipped).items():
        measured = [measure(data, geodata) for _ in range(runs)]
        times = [r["s"] for r in measured]
        mb = max(r["mb"] for r in measured)
        result = "accepted" if measured[0]["ok"] else f"refused ({measured[0]['n']} problem)"
        print(
            f"{name:<38} {len(data):>8,} {statistics.median(times):>9.3f} {max(times):>7.3f} "
            f"{mb:>6.1f}  {result}"
        )
        worst_s, worst_mb = max(worst_s, max(times)), max(worst_mb, mb)
    verdict = "met" if worst_s <= 2 and worst_mb <= 200 else "MISSED"
    print(f"worst: {worst_s:.3f} s, +{worst_mb:.1f} MB (targets 2 s, 200 MB: {verdict})")


if __name__ == "__main__":
    sys.exit(main())
