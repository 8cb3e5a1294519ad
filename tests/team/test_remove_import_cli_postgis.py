"""`briefmap store remove-import ID --store postgresql://…`: the team's store, through the same
command as the laptop's: the listing's ids, the removal and its record."""

from __future__ import annotations

import pyarrow.compute as pc

from layers.cli import main
from layers.events import synth
from layers.events.store import Source
from layers.team.eventstore import PostgisStore


def test_remove_import_on_the_team_store(database, capsys):
    store = PostgisStore(database, user="nadia")
    store.apply(synth.table(12, seed=1), None, Source("a.csv", "0" * 64, 12, "acled"))
    red = synth.table(7, seed=2)
    ids = pc.binary_join_element_wise("R", red.column("event_id_cnty"), "")
    red = red.set_column(red.schema.get_field_index("event_id_cnty"), "event_id_cnty", ids)
    amber = Source("amber.csv", "0" * 64, 7, "acled", marking="TLP:AMBER")
    store.apply(red, None, amber, may_raise_marking=True)
    ident = store.describe().imports[-1]["id"]
    capsys.readouterr()
    assert main(["store", "--store", database]) == 0
    assert f"  id {ident}  by nadia  amber.csv  " in capsys.readouterr().out
    assert main(["store", "remove-import", str(ident), "--store", database]) == 0
    out = capsys.readouterr().out
    assert "7 events removed" in out and "marking TLP:AMBER → TLP:CLEAR" in out
    info = store.describe()
    assert (info.rows, info.marking().label, [e["file"] for e in info.imports]) == (
        12,
        "TLP:CLEAR",
        ["a.csv"],
    )
    assert main(["store", "remove-import", str(ident), "--store", database]) == 2
    assert f"no import {ident} in the store" in capsys.readouterr().err
    assert store.describe().generation == info.generation
