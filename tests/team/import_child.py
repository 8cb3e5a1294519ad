"""A child process for the kill tests: imports synthetic events into a PostGIS store and, once
the COPY has begun, says so on stdout and waits there to be killed; or (`remove ID`) removes
import ID and waits, once its events are ended inside the transaction, to be killed."""

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


def remove(dsn: str, ident: int) -> None:
    def stage(name: str) -> None:
        if name == "merged":
            print("removing", flush=True)
            threading.Event().wait()  # killed here, before the transaction commits

    PostgisStore(dsn, stage=stage).remove_import(ident, by="test")


if __name__ == "__main__":
    if sys.argv[2] == "remove":
        remove(sys.argv[1], int(sys.argv[3]))
    else:
        main(sys.argv[1], int(sys.argv[2]))
