"""A child process for the kill test: imports synthetic events into a PostGIS store and, once
the COPY has begun, says so on stdout and waits there to be killed."""

from __future__ import annotations

import sys
import threading

from layers.events import synth
from layers.events.store import Source
from layers.team.eventstore import PostgisStore


def main(dsn: str, rows: int) -> None:
    def stage(name: str) -> None:
        if name == "copying":
            print("copying", flush=True)
            threading.Event().wait()  # killed here, mid-COPY

    batch = synth.table(rows, seed=99)
    PostgisStore(dsn, stage=stage).upsert(batch, Source("big.csv", "0" * 64, rows, "acled"))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
