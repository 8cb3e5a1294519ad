"""A child process for the kill tests: `python -m tests.events.stall_import STORE FILE STAGE`
imports FILE into STORE (as `briefmap import` does) with a `Stage` callback that, when the
import reaches STAGE, says so on stderr and then blocks until the test kills the process.
The seam lives here, in the test's own child, not in the product code."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from layers.events.importer import import_file
from layers.events.store import ParquetStore, check_location

# A bound on a child the test forgot to kill, not a wait for anything: the test kills it as
# soon as it reads the announcement.
FORGOTTEN = 1800.0


def stop_at(stage: str):
    def told(name: str) -> None:
        if name == stage:
            print(f"stalled at {name}", file=sys.stderr, flush=True)
            threading.Event().wait(FORGOTTEN)
            raise SystemExit(f"not killed at {name}")

    return told


def main(argv: list[str]) -> int:
    """FILE may be `remove:ID`: the removal of import ID instead of an import."""
    root, path, stage = Path(argv[0]), argv[1], argv[2]
    store = ParquetStore(check_location(root), stage=stop_at(stage))
    if path.startswith("remove:"):
        store.remove_import(int(path.removeprefix("remove:")), by="test")
    else:
        import_file(store, Path(path))
    print(f"finished without reaching {stage}", file=sys.stderr, flush=True)
    return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
