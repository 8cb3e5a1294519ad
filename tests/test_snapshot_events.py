"""Imported incidents on a snapshot: drawn as the map draws them at that scale (density
hexagons with their legend, or points), ACLED credited, the banner at least the data's own
marking, and an export asked for below it refused."""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.collections import PathCollection, PolyCollection
from pypdf import PdfReader

from layers.events import grid, synth
from layers.events.payload import POINT_LIMIT
from layers.events.shown import shown_events
from layers.events.store import Source, open_store
from layers.marking import MarkingError
from layers.snapshot import Snapshot, render, save
from layers.view import View

WIDE = {"center": (34.5, 41.0), "zoom": 6}  # the region: more than POINT_LIMIT events
NEAR = {"center": (34.45, 40.95), "zoom": 10}  # around Albu Kamal: points


@pytest.fixture(scope="module")
def amber(tmp_path_factory):
    """A store of synthetic ACLED-shaped events, imported as TLP:AMBER."""
    store = open_store(tmp_path_factory.mktemp("events") / "store")
    table = synth.table(POINT_LIMIT + 4_000, seed=5)
    amber = Source("amber.csv", "0" * 64, table.num_rows, "acled", marking="TLP:AMBER")
    store.upsert(table, amber, may_raise_marking=True)
    return store


def _gid(fig, cls, gid):
    return [c for c in fig.axes[0].collections if isinstance(c, cls) and c.get_gid() == gid]


def test_many_events_print_as_the_maps_density_hexagons(amber, geodata):
    view = View(**WIDE)
    shown = shown_events(amber, view, geodata)
    fig, contents = render(Snapshot(view, events=shown, dpi=60), geodata)
    drawn = contents.events
    assert drawn is not None and drawn.data["mode"] == "hex"
    assert drawn.in_view > POINT_LIMIT
    (hexes,) = _gid(fig, PolyCollection, "bm-events-hex")
    assert len(hexes.get_paths()) == len(drawn.data["classes"]) > 20
    faces = {tuple(np.round(f[:3], 3)) for f in hexes.get_facecolors()}
    assert len(faces) == len(drawn.data["colours"])  # every class of the ramp used
    events = [i for i in contents.legend if i.layer == "events"]
    assert events[0].count == drawn.in_view
    assert [i.label for i in events[1:]] == drawn.data["legend"]["labels"]
    assert all(i.symbols == ("hex",) for i in events[1:])
    assert drawn.data["legend"]["note"] in contents.keys
    assert contents.marking.label == "TLP:AMBER"
    text = PdfReader(io.BytesIO(save(fig, "pdf"))).pages[0].extract_text()
    assert text.count("TLP:AMBER") == 2 and "ACLED" in text
    assert "imported incidents" in text


def test_few_events_print_as_the_maps_points(amber, geodata):
    view = View(lang="ar", **NEAR)
    fig, contents = render(Snapshot(view, events=shown_events(amber, view, geodata)), geodata)
    drawn = contents.events
    assert drawn is not None and drawn.data["mode"] == "points"
    (dots,) = _gid(fig, PathCollection, "bm-events-points")
    assert len(dots.get_offsets()) == len(drawn.data["dlat"]) > 50
    types = [i for i in contents.legend if i.layer == "events" and i.symbols == ("event",)]
    assert {i.label for i in types} == {name for name, _ in drawn.data["legend"]["items"]}
    assert any("ACLED" in c for c in contents.credits)


def test_an_export_below_the_events_marking_is_refused(amber, geodata):
    view = View(**WIDE)
    shown = shown_events(amber, view, geodata)
    with pytest.raises(MarkingError, match="imported incidents"):
        render(Snapshot(view, events=shown, classification="TLP:CLEAR", dpi=60), geodata)
    _, contents = render(Snapshot(view, events=shown, classification="TLP:RED", dpi=60), geodata)
    assert contents.marking.label == "TLP:RED"


def test_events_filtered_away_leave_no_trace(amber, geodata):
    view = View(types=frozenset({"no such type"}), **WIDE)
    assert shown_events(amber, view, geodata) is None
    _, contents = render(Snapshot(view, dpi=60), geodata)
    assert contents.events is None and not any("ACLED" in c for c in contents.credits)
    assert contents.marking.label == "TLP:CLEAR"


def test_a_bent_hexagon_keeps_all_its_corners(amber, geodata):
    """At resolution 3 some cells cross an icosahedron edge and have 7 or 8 corners: the
    payload says how many, so neither the map nor the print runs one cell into the next."""
    shown = shown_events(amber, View(**WIDE), geodata)
    data = shown.payload((20.0, 20.0, 62.0, 45.0), 5.0)
    assert data["mode"] == "hex" and grid.resolution(5.0) == 3
    assert max(data["corners"]) > 6
    assert len(data["shapes"]) == sum(2 + 2 * c for c in data["corners"])
