"""CPU time and memory of the file boundary (issue 17) on its hostile inputs, each in a fresh
Python process: the 80,000-column CSV header, the date extremes, the bomb tiles and the
damaged store. Run through `python bench/boundary.py` (or this file alone).

The inputs are built first, unmeasured, in a temporary folder. Then each case runs in its own
interpreter (`--child CASE`): after the imports, it reads its own CPU time (user + system) and
peak resident memory (VmHWM), meets the input as the CLI would, and reads them again. Printed
per case: CPU seconds of the case, growth of the peak memory during it, the process's whole
peak (interpreter and libraries included), and the outcome with its message. Targets: each
refused in at most 2 s of CPU and 200 MB. The baseline row, measured the same way, is what the
cap spares: the bomb tile unpacked whole, as `gzip.decompress` would.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DATES = {  # event_date: with time_precision 2 and an empty year
    "date 0001-01-01": "0001-01-01",
    "date 9999-12-31": "9999-12-31",
    "date 1650-06-01": "1650-06-01",
    "date 2150-06-01": "2150-06-01",
}
DAMAGE = ("truncated", "empty", "foreign Parquet", "deleted")
HEADER_COLUMNS = 80_000
BASELINE = "baseline: the bomb tile unpacked whole"


def case_names() -> list[str]:
    return [
        f"CSV header, {HEADER_COLUMNS:,} columns",
        *DATES,
        "PMTiles tile inflating to {mb} MB",
        "MBTiles gzip bomb tile ({mb} MB)",
        *(f"store data file {d}" for d in DAMAGE),
        BASELINE + " ({mb} MB)",
    ]


# -- inputs (built by the parent, not measured) -------------------------------------------
def build(folder: Path, bomb_mb: int) -> None:
    from layers.events import synth
    from layers.events.store import Source, open_store
    from tests.archive_bombs import bomb_mbtiles, bomb_pmtiles
    from tests.events.helpers import rows, write

    names = ",".join(f"c{i}" for i in range(HEADER_COLUMNS))
    (folder / "header.csv").write_text(names + "\n" + "1," * 10 + "\n", encoding="utf-8")
    for name, day in DATES.items():
        row = {**rows(1, seed=3)[0], "event_date": day, "time_precision": "2", "year": ""}
        write(folder / f"{_slug(name)}.csv", [row])
    (folder / "bomb-mb").write_text(str(bomb_mb))
    bomb_pmtiles(folder / "bomb.pmtiles", bomb_mb)
    bomb_mbtiles(folder / "bomb.mbtiles", bomb_mb)
    good = folder / "store-good"
    table = synth.table(2_000, seed=4)
    open_store(good).upsert(table, Source("events.csv", "0" * 64, table.num_rows, "acled"))
    write(folder / "more.csv", rows(2, seed=9))
    for damage in DAMAGE:
        root = folder / f"store-{_slug(damage)}"
        shutil.copytree(good, root)
        _damage(root, damage)


def _damage(root: Path, damage: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    data = root / json.loads((root / "manifest.json").read_text(encoding="utf-8"))["data"]
    if damage == "truncated":
        data.write_bytes(data.read_bytes()[: data.stat().st_size // 2])
    elif damage == "empty":
        data.write_bytes(b"")
    elif damage == "foreign Parquet":
        pq.write_table(pa.table({"a": list(range(2_000))}), data)
    else:
        data.unlink()


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower())


# -- one case, in the child ---------------------------------------------------------------
def _import(folder: Path, name: str) -> Callable[[], object]:
    from layers.events.importer import import_file
    from layers.events.store import open_store

    return lambda: import_file(open_store(folder / f"s-{_slug(name)}"), folder / name)


def _damaged_store(folder: Path, damage: str) -> Callable[[], object]:
    from layers.events.importer import import_file
    from layers.events.store import StoreError, open_store

    def run() -> object:
        store = open_store(folder / f"store-{_slug(damage)}")
        try:
            store.check()  # what `briefmap store` does
        except StoreError:
            pass
        else:
            return "store.check() passed"
        return import_file(store, folder / "more.csv")  # and an import into it

    return run


def _unpacked_whole(folder: Path) -> Callable[[], object]:
    import gzip

    from tests.archive_bombs import bomb

    tile = bomb(int(folder.joinpath("bomb-mb").read_text()))
    return lambda: f"{len(gzip.decompress(tile)):,} bytes unpacked"


def _work(case: str, folder: Path) -> Callable[[], object]:
    from layers.tiles.archive import inspect_archive

    if case.startswith(BASELINE):
        return _unpacked_whole(folder)

    if case.startswith("CSV header"):
        return _import(folder, "header.csv")
    if case in DATES:
        return _import(folder, f"{_slug(case)}.csv")
    if case.startswith("PMTiles"):
        return lambda: inspect_archive(folder / "bomb.pmtiles")
    if case.startswith("MBTiles"):
        return lambda: inspect_archive(folder / "bomb.mbtiles")
    return _damaged_store(folder, case.removeprefix("store data file "))


def _hwm_mb() -> float:
    """The process's peak resident memory (VmHWM). Not `ru_maxrss`: Linux carries that over
    from the process that started this one (across exec), so it reports the parent's peak."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def _cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


def child(case: str, folder: Path) -> None:
    from layers.events.problems import EventDataError
    from layers.events.store import StoreError
    from layers.tiles.archive_meta import ArchiveError

    work = _work(case, folder)  # imports done before the clock starts
    peak0, cpu0 = _hwm_mb(), _cpu()
    try:
        result = work()
        outcome = "baseline" if case.startswith(BASELINE) else "ACCEPTED"
        message = str(result)[:200]
    except (EventDataError, StoreError, ArchiveError) as exc:
        outcome, message = "refused", str(exc)
    cpu = _cpu() - cpu0
    peak = _hwm_mb()
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    shown = lines[-1] if outcome == "refused" and len(lines) > 1 else " ".join(lines)
    shown = shown.replace(str(folder) + "/", "")
    print(
        json.dumps(
            {
                "cpu": cpu,
                "grew": peak - peak0,
                "peak": peak,
                "outcome": outcome,
                "message": shown[:150],
            }
        )
    )


# -- the parent ---------------------------------------------------------------------------
def run(bomb_mb: int) -> tuple[float, float, bool]:
    """Print the table; return the worst CPU seconds, the worst whole peak (MB) and whether
    every case was refused."""
    worst_cpu = worst_peak = 0.0
    all_refused = True
    with tempfile.TemporaryDirectory(prefix="briefmap-bench-") as tmp:
        folder = Path(tmp)
        build(folder, bomb_mb)
        print(f"{'file boundary case':<44} {'CPU s':>6} {'+MB':>6} {'peak MB':>8}  outcome")
        for template in case_names():
            case = template.format(mb=bomb_mb)
            done = subprocess.run(
                [sys.executable, __file__, "--child", template, "--dir", str(folder)],
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            if done.returncode != 0 or not done.stdout.strip():
                print(f"{case:<44} crashed: {done.stderr.strip().splitlines()[-1:]}")
                all_refused = False
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            print(
                f"{case:<44} {r['cpu']:>6.2f} {r['grew']:>6.1f} {r['peak']:>8.1f}  "
                f"{r['outcome']}: {r['message']}"
            )
            if case.startswith(BASELINE):
                continue
            worst_cpu, worst_peak = max(worst_cpu, r["cpu"]), max(worst_peak, r["peak"])
            all_refused = all_refused and r["outcome"] == "refused"
    return worst_cpu, worst_peak, all_refused


def report(bomb_mb: int) -> None:
    cpu, peak, refused = run(bomb_mb)
    met = cpu <= 2 and peak <= 200 and refused
    verdict = "met" if met else "MISSED"
    print(f"worst: {cpu:.2f} s CPU, {peak:.1f} MB peak (targets 2 s, 200 MB: {verdict})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bomb-mb", type=int, default=512, help="what a bomb tile unpacks to")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.dir)
        return 0
    report(args.bomb_mb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
