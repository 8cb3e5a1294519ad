"""Time and memory of the walkthrough boundary on the worst files an upload can be.

    python bench/boundary.py [--runs 5]

Each case runs in a forked child (so memory is its own): the time to accept or refuse the file
(median and worst of the runs) and the growth of the child's peak resident memory. Targets: at
most 2 s and 200 MB for any file up to the size limit.
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
    args = parser.parse_args()
    geodata = load_geodata()
    shipped = dump_walkthrough(geodata.walkthroughs["iraq-syria-2025"])
    print(f"{'case':<38} {'bytes':>8} {'median s':>9} {'max s':>7} {'+MB':>6}  result")
    worst_s = worst_mb = 0.0
    for name, data in cases(shipped).items():
        runs = [measure(data, geodata) for _ in range(args.runs)]
        times = [r["s"] for r in runs]
        mb = max(r["mb"] for r in runs)
        result = "accepted" if runs[0]["ok"] else f"refused ({runs[0]['n']} problem)"
        print(
            f"{name:<38} {len(data):>8,} {statistics.median(times):>9.3f} {max(times):>7.3f} "
            f"{mb:>6.1f}  {result}"
        )
        worst_s, worst_mb = max(worst_s, max(times)), max(worst_mb, mb)
    verdict = "met" if worst_s <= 2 and worst_mb <= 200 else "MISSED"
    print(f"worst: {worst_s:.3f} s, +{worst_mb:.1f} MB (targets 2 s, 200 MB: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
