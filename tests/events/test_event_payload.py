"""What the events payload tells the browser beyond its shapes: imprecise events as one
counted entry per admin centre (whatever their precision level), and what the payload covers
(the box and the zooms within which a pan or zoom needs no new payload)."""

from __future__ import annotations

import numpy as np

from layers.events import grid
from layers.events import payload as payload_module
from layers.events.importer import import_file
from layers.events.index import load_index
from layers.events.payload import padded, payload, points_payload
from layers.events.store import open_store
from tests.events.helpers import rows, write


def _event(i: int, **values: str) -> dict[str, str]:
    base = rows(1, seed=1)[0]
    base.update(
        event_id_cnty=f"IRQ{7000 + i}",
        latitude="33.3",
        longitude="44.4",
        geo_precision="1",
        time_precision="1",
        event_type="Battles",
        event_date="2024-01-01",
        year="",
    )
    base.update(values)
    return base


def _index(tmp_path, events):
    store = open_store(tmp_path / "s")
    import_file(store, write(tmp_path / "e.csv", events))
    return load_index(store)


def test_one_centre_is_one_counted_entry_whatever_the_precision(tmp_path):
    centre = {"latitude": "33.34", "longitude": "44.40"}
    other = {"latitude": "36.34", "longitude": "43.13"}
    events = (
        [_event(i, geo_precision="2", **centre) for i in range(30)]
        + [_event(100 + i, geo_precision="3", **centre) for i in range(12)]
        + [_event(200 + i, geo_precision="3", **other) for i in range(5)]
        + [_event(300 + i, latitude=f"{33.0 + i / 100:.2f}") for i in range(7)]
    )
    index = _index(tmp_path, events)
    data = points_payload(index, np.ones(index.size, dtype=bool), "en")
    assert len(data["dlat"]) == 7
    by_place = {(a[0], a[1]): a for a in data["areas"]}
    assert len(by_place) == len(data["areas"]) == 2  # never two circles on one centre
    here = by_place[(3334000, 4440000)]
    assert here[3] == 42 and here[2] == 75_000  # the count, and the widest area it may lie in
    assert "42 incidents" in here[4]
    assert by_place[(3634000, 4313000)][3] == 5
    assert "{n}" in data["words"]["cluster"]


def test_a_payload_says_what_it_covers(tmp_path, monkeypatch):
    monkeypatch.setattr(payload_module, "POINT_LIMIT", 50)  # hexagons above 50 in view
    events = [
        _event(i, latitude=f"{33.0 + (i % 20) / 10:.3f}", longitude=f"{43.0 + i // 20 / 10:.3f}")
        for i in range(400)
    ]
    index = _index(tmp_path, events)
    every = np.ones(index.size, dtype=bool)
    bounds = (42.0, 32.0, 46.0, 36.0)
    hexes = payload(index, every, bounds, 7.0, "en")
    assert hexes["mode"] == "hex"
    w, s, e, n = hexes["box"]
    assert w < bounds[0] and s < bounds[1] and e > bounds[2] and n > bounds[3]
    lo, hi = hexes["zooms"]
    assert lo <= 7 <= hi
    assert {grid.resolution(z) for z in range(lo, hi + 1)} == {grid.resolution(7)}
    assert grid.resolution(lo - 1) != grid.resolution(7) != grid.resolution(hi + 1)
    town = (43.0, 33.0, 43.25, 33.25)  # 9 events
    points = payload(index, every, town, 11.0, "en")
    assert points["mode"] == "points"
    assert points["box"] == [round(v, 5) for v in padded(town)]
