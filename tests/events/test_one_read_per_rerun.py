"""One run of the page reads the event store once: the map, its popup, the sidebar's type
counts, the summary and the layer's switch all answer from one snapshot and one query
(`dashboard.events_panel`), counted here by wrapping the Parquet store's own reads."""

from __future__ import annotations

from collections import Counter

import pytest

from layers.events import synth
from layers.events.store import ParquetStore, Source, open_store
from tests.conftest import run_app


@pytest.fixture
def reads(monkeypatch) -> Counter:
    """How often each read of a Parquet store ran (the manifest, the columns, rows)."""
    seen: Counter = Counter()
    for name in ("_manifest", "scan", "details", "take"):
        real = getattr(ParquetStore, name)

        def counted(self, *args, _real=real, _name=name, **kw):
            seen[_name] += 1
            return _real(self, *args, **kw)

        monkeypatch.setattr(ParquetStore, name, counted)
    return seen


def test_a_rerun_reads_the_store_once(app_env, tmp_path, reads):
    table = synth.table(600, seed=3)
    open_store(tmp_path).upsert(table, Source("e.csv", "0" * 64, table.num_rows, "acled"))
    reads.clear()
    app_env(BRIEFMAP_STORE=tmp_path)
    at = run_app()
    assert "bm_events_frame" in at.session_state  # the map drew the events layer
    assert any("600" in str(t.label) for t in at.toggle)  # the switch counts the store's events
    assert reads["_manifest"] == 1 and reads["scan"] <= 1, reads
    # a click on an event's place: the popup's rows come with the same one query
    lat, lon = table["latitude"][0].as_py(), table["longitude"][0].as_py()
    at.session_state["map"] = {
        "center": {"lat": 34.4, "lng": 43.2},
        "zoom": 6,
        "bounds": None,
        "last_object_clicked": {"lat": lat, "lng": lon},
        "last_object_clicked_count": 1,
    }
    reads.clear()
    at.run()
    assert not at.exception, at.exception
    assert reads == Counter({"_manifest": 1, "details": 1}), reads  # columns cached
    at.run()
    assert reads["_manifest"] == 2 and reads["scan"] == 0, reads
