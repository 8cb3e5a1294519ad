"""Writing the PostGIS event store, inside the transaction of an import or a removal
(`layers.team.eventstore`): deletions, the generation bump that ends every write that changed
the events (store counts, versions no snapshot reads dropped, the density rollup), and the
record of a removed import."""

from __future__ import annotations

import json
from typing import Any

from layers.events.merge import Deletions
from layers.team.eventschema import CHANNEL, SCHEMA_VERSION


def delete(conn, deletions: Deletions, generation: int) -> tuple[int, int]:
    """`deletions` applied (the versions they end, end with `generation`): how many events
    were removed and how many deletions name an event the store does not hold."""
    if not deletions.ids:
        return 0, 0
    conn.execute(
        "CREATE TEMP TABLE briefmap_gone (event_id_cnty text, timestamp bigint) ON COMMIT DROP"
    )
    with conn.cursor().copy("COPY briefmap_gone FROM STDIN") as copy:
        for ident, stamp in zip(deletions.ids, deletions.timestamps, strict=True):
            copy.write_row((ident, stamp))
    (missing,) = conn.execute(
        "SELECT count(*) FROM briefmap_gone g "
        "WHERE NOT EXISTS (SELECT 1 FROM briefmap_event e "
        "WHERE e.event_id_cnty = g.event_id_cnty AND e.gen_to IS NULL)"
    ).fetchone()
    removed = conn.execute(
        "UPDATE briefmap_event e SET gen_to = %s FROM briefmap_gone g "
        "WHERE e.event_id_cnty = g.event_id_cnty AND e.gen_to IS NULL "
        "AND e.timestamp <= g.timestamp",
        (generation,),
    ).rowcount
    return removed, missing


def bump(conn, changed: bool) -> int:
    """The generation after this write: the next one when the events changed (or the
    store had none), with the store's counts, the versions no snapshot reads dropped and
    the density rollup brought up to it."""
    (generation,) = conn.execute("SELECT generation FROM briefmap_store").fetchone()
    if changed or generation == 0:
        generation += 1
        conn.execute(
            "UPDATE briefmap_store SET generation = %s, schema_version = %s, "
            "(rows, first_date, last_date) = (SELECT count(*), min(event_date), "
            "max(event_date) FROM briefmap_event WHERE gen_to IS NULL)",
            (generation, SCHEMA_VERSION),
        )
        # versions that ended before the previous generation: no snapshot reads them
        conn.execute(
            "DELETE FROM briefmap_event WHERE gen_to IS NOT NULL AND gen_to < %s",
            (generation,),
        )
        roll_up(conn, generation)
    return generation


def roll_up(conn, generation: int) -> None:
    """The density rollup (events per H3 cell at H3_RES, month and type) brought up to
    `generation`: the versions it begins counted in, the versions it ends counted out
    (work in proportion to the import, not to the store)."""
    conn.execute(
        "INSERT INTO briefmap_density AS d (h3, month, event_type, events) "
        "SELECT h3, date_trunc('month', date_start)::date, coalesce(event_type, ''), "
        "sum(n) FROM ("
        "SELECT h3, date_start, event_type, 1 AS n FROM briefmap_event "
        "WHERE gen_from = %(g)s AND date_start IS NOT NULL UNION ALL "
        "SELECT h3, date_start, event_type, -1 FROM briefmap_event "
        "WHERE gen_to = %(g)s AND gen_from <> %(g)s AND date_start IS NOT NULL) AS v "
        "GROUP BY 1, 2, 3 ON CONFLICT (h3, month, event_type) "
        "DO UPDATE SET events = d.events + excluded.events",
        {"g": generation},
    )
    conn.execute("DELETE FROM briefmap_density WHERE events = 0")


def record_removal(conn, generation: int, record: dict[str, Any]) -> None:
    """The record of a removed import kept, and the generation announced (NOTIFY)."""
    conn.execute(
        "INSERT INTO briefmap_removal (generation, entry, removed_by) VALUES (%s, %s, %s)",
        (generation, json.dumps(record, ensure_ascii=False), record["by"]),
    )
    conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(generation)))
