"""Re-importing: each event stored once, revisions replace, deletions remove, monadic exports
fold, and the counts say what happened. Also the shapes of ACLED files met in the wild."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from layers.events.importer import import_file
from layers.events.problems import EventDataError
from layers.events.store import open_store
from tests.events.helpers import csv_text, rows, snapshot, write


def _ids(store) -> list[str]:
    return store.table().column("event_id_cnty").to_pylist()


def test_same_file_twice_stores_each_event_once(tmp_path):
    store = open_store(tmp_path / "s")
    path = write(tmp_path / "a.csv", rows(50))
    first = import_file(store, path)
    second = import_file(store, path)
    assert (first.counts.new, first.counts.unchanged) == (50, 0)
    assert (second.counts.new, second.counts.revised, second.counts.unchanged) == (0, 0, 50)
    ids = _ids(store)
    assert len(ids) == 50 == len(set(ids))
    info = store.describe()
    assert [e["file"] for e in info.imports] == ["a.csv", "a.csv"]
    assert info.imports[0]["sha256"] == info.imports[1]["sha256"]
    assert info.rows == 50


def test_revised_event_replaces_its_older_version(tmp_path):
    store = open_store(tmp_path / "s")
    data = rows(10)
    import_file(store, write(tmp_path / "a.csv", data))
    revised = [dict(r) for r in data]
    revised[3]["fatalities"] = "42"
    revised[3]["timestamp"] = str(int(revised[3]["timestamp"]) + 3600)
    older = dict(revised[5], timestamp=str(int(revised[5]["timestamp"]) - 10), fatalities="9")
    revised[5] = older
    result = import_file(store, write(tmp_path / "b.csv", revised))
    c = result.counts
    assert (c.new, c.revised, c.unchanged, c.stale) == (0, 1, 8, 1)
    table = store.table().to_pylist()
    by_id = {r["event_id_cnty"]: r for r in table}
    assert len(table) == 10
    assert by_id[data[3]["event_id_cnty"]]["fatalities"] == 42
    assert by_id[data[5]["event_id_cnty"]]["fatalities"] == int(data[5]["fatalities"])


def test_deletions_remove_events_and_counts_say_so(tmp_path):
    store = open_store(tmp_path / "s")
    data = rows(10)
    import_file(store, write(tmp_path / "a.csv", data))
    gone = tmp_path / "deleted.csv"
    with gone.open("w", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(["event_id_cnty", "deleted_timestamp"])
        w.writerow([data[0]["event_id_cnty"], int(data[0]["timestamp"]) + 5])
        w.writerow([data[1]["event_id_cnty"], int(data[1]["timestamp"])])
        w.writerow([data[2]["event_id_cnty"], int(data[2]["timestamp"]) - 5])  # revised since
        w.writerow(["SYR999999", 1700000000])
    result = import_file(store, None, deletions=gone)
    assert (result.counts.removed, result.counts.not_found) == (2, 1)
    ids = set(_ids(store))
    assert len(ids) == 8
    assert data[0]["event_id_cnty"] not in ids and data[2]["event_id_cnty"] in ids
    assert store.describe().imports[-1]["deletions"]["rows"] == 4


def test_import_with_deletions_in_one_step(tmp_path):
    store = open_store(tmp_path / "s")
    data = rows(6)
    gone = tmp_path / "deleted.csv"
    gone.write_text(f"event_id_cnty,deleted_timestamp\n{data[0]['event_id_cnty']},9999999999\n")
    result = import_file(store, write(tmp_path / "a.csv", data), deletions=gone)
    assert (result.counts.new, result.counts.removed) == (6, 1)
    assert len(_ids(store)) == 5


def test_bad_deletions_file_changes_nothing(tmp_path):
    store = open_store(tmp_path / "s")
    import_file(store, write(tmp_path / "a.csv", rows(4)))
    before = snapshot(tmp_path / "s")
    gone = tmp_path / "deleted.csv"
    gone.write_text("event_id_cnty,deleted_timestamp\nSYR1,soon\n")
    with pytest.raises(EventDataError, match=r"line 2, column 'deleted_timestamp'"):
        import_file(store, None, deletions=gone)
    assert snapshot(tmp_path / "s") == before


def test_monadic_export_is_folded_not_double_counted(tmp_path):
    data = [r for r in rows(8) if r["actor2"]]
    assert len(data) >= 3
    monadic = []
    for r in data:
        monadic.append(r)
        swapped = dict(r)
        for a, b in (
            ("actor1", "actor2"),
            ("assoc_actor_1", "assoc_actor_2"),
            ("inter1", "inter2"),
        ):
            swapped[a], swapped[b] = r[b], r[a]
        monadic.append(swapped)
    store = open_store(tmp_path / "s")
    result = import_file(store, write(tmp_path / "monadic.csv", monadic))
    assert result.folded == len(data)
    assert result.counts.new == len(data) == len(_ids(store))
    fat = sum(int(r["fatalities"]) for r in data)
    assert sum(store.table().column("fatalities").to_pylist()) == fat


def test_skip_invalid_stores_the_rest_and_writes_rejects(tmp_path):
    data = rows(6)
    data[2]["latitude"] = "95"
    data[4]["event_date"] = "someday"
    data[4]["notes"] = '=HYPERLINK("http://x")'
    path = write(tmp_path / "mixed.csv", data)
    store = open_store(tmp_path / "s")
    result = import_file(store, path, skip_invalid=True)
    assert (result.counts.new, result.rejected) == (4, 2)
    assert result.rejects_file == tmp_path / "mixed.csv.rejected.csv"
    with result.rejects_file.open() as handle:
        rejected = list(csv.DictReader(handle))
    assert [r["where"] for r in rejected] == ["line 4", "line 6"]
    assert "latitude: expected latitude from -90 to 90" in rejected[0]["reasons"]
    assert rejected[1]["notes"].startswith("'=")  # formula neutralised
    assert store.describe().imports[-1]["rejected"] == 2


def test_tolerates_the_shapes_seen_in_the_wild(tmp_path):
    """Column order, missing optional and extra columns, BOM + CRLF, Arabic, a day-first date
    form, numeric and text actor types, ';'-separated associated actors. (Every date form
    real files carry: tests/events/test_eras.py; a file keeps to one.)"""
    data = rows(3)
    for r in data:
        r["event_date"] = "16-05-2025"
    for r in data:
        r["year"] = "2025"
    data[0].update(inter1="2", inter2="1", interaction="12", location="دير الزور")
    data[1].update(assoc_actor_1="Tribe A ;Tribe B;", notes="سطر\nثان")
    columns = [
        "notes",
        "longitude",
        "latitude",
        "event_id_cnty",
        "extra",
        "event_date",
        "year",
        "event_type",
        "actor1",
        "actor2",
        "assoc_actor_1",
        "inter1",
        "inter2",
        "interaction",
        "location",
        "timestamp",
        "fatalities",
    ]
    text = csv_text([{**r, "extra": "x"} for r in data], columns=columns)
    path = tmp_path / "wild.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    store = open_store(tmp_path / "s")
    assert import_file(store, path).counts.new == 3
    by_id = {r["event_id_cnty"]: r for r in store.table().to_pylist()}
    first, second = by_id[data[0]["event_id_cnty"]], by_id[data[1]["event_id_cnty"]]
    assert {str(r["event_date"]) for r in by_id.values()} == {"2025-05-16"}
    assert (first["inter1"], first["interaction"]) == ("Rebel group", "State forces-Rebel group")
    assert first["location"] == "دير الزور"
    assert second["assoc_actor_1"] == "Tribe A; Tribe B"
    assert second["notes"] == "سطر\r\nثان" or second["notes"] == "سطر\nثان"
    assert second["geo_precision"] == 1 and second["sub_event_type"] == ""


def test_geojson_points_import(tmp_path):
    import json

    features = []
    for r in rows(4):
        props = {k: v for k, v in r.items() if k not in ("latitude", "longitude")}
        props["fatalities"] = int(props["fatalities"])
        geometry = {"type": "Point", "coordinates": [float(r["longitude"]), float(r["latitude"])]}
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    path = tmp_path / "events.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    store = open_store(tmp_path / "s")
    result = import_file(store, path)
    assert (result.counts.new, store.describe().imports[0]["format"]) == (4, "geojson")


def test_store_is_geoparquet(tmp_path):
    import geopandas

    store = open_store(tmp_path / "s")
    import_file(store, write(tmp_path / "a.csv", rows(5)))
    frame = geopandas.read_parquet(Path(store.root) / store.describe().data_file)
    assert len(frame) == 5 and frame.geometry.geom_type.unique().tolist() == ["Point"]
    assert frame.crs is not None and frame.crs.to_string() == "OGC:CRS84"


def test_a_coastal_point_with_latitude_near_longitude_is_not_called_swapped(tmp_path):
    """Found by the benchmark: 35.49 N, 35.19 E is off the Syrian coast, not swapped."""
    data = rows(2)
    data[0].update(latitude="35.4877", longitude="35.1854", iso="760", country="Syria")
    store = open_store(tmp_path / "s")
    assert import_file(store, write(tmp_path / "coast.csv", data)).counts.new == 2


def test_upsert_and_delete_through_the_store_interface(tmp_path):
    from layers.events import synth
    from layers.events.merge import Deletions
    from layers.events.store import Source

    store = open_store(tmp_path / "s")
    table = synth.table(30, seed=4)
    counts = store.upsert(table, Source("a.csv", "0" * 64, 30, "acled"))
    assert counts.new == 30
    ids = table.column("event_id_cnty").to_pylist()[:3]
    gone = Deletions(tuple(ids), (10**10,) * 3)
    assert store.delete(gone, Source("", "", 0, "", deletions_file="d.csv")).removed == 3
    assert store.describe().rows == 27


def test_an_import_leaves_garbage_collection_as_it_was(tmp_path):
    import gc

    store = open_store(tmp_path / "s")
    assert gc.isenabled()
    import_file(store, write(tmp_path / "a.csv", rows(3)))
    assert gc.isenabled()
    bad = rows(3)
    bad[0]["latitude"] = "x"
    with pytest.raises(EventDataError):
        import_file(store, write(tmp_path / "b.csv", bad))
    assert gc.isenabled()


def test_a_reimport_reads_the_stored_data_file_once(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    store = open_store(tmp_path / "store")
    path = write(tmp_path / "a.csv", rows(6))
    import_file(store, path)
    reads: list[str] = []
    real = pq.read_table

    def counted(source, *args, **kwargs):
        if str(source).endswith(".parquet"):
            reads.append(str(source))
        return real(source, *args, **kwargs)

    monkeypatch.setattr(pq, "read_table", counted)
    result = import_file(store, path)
    assert result.counts.unchanged == 6
    assert len(reads) == 1
