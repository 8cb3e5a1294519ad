"""Archive tiles unpacked within a bound (layers/tiles/bounds.py), and the attribution checked
as text.

A tile that unpacks far past the cap (a gzip bomb) is refused at open, naming the tile and the
cap, in a child whose memory may grow by 200 MB only (the bomb unpacked whole would not fit):
at each zoom, through the root or a leaf directory, in PMTiles and in MBTiles (gzip or zlib).
A bomb the sample at open does not reach is still stopped where Python unpacks tiles: the
MBTiles conversion (every tile of a served MBTiles), the offline page's embedded tiles and the
print labels."""

from __future__ import annotations

import gzip
import json
import sqlite3

import pytest

from layers.tiles import bounds
from layers.tiles.archive import embedded_tiles, inspect_archive, served_archive
from layers.tiles.archive_meta import ArchiveError
from layers.tiles.bounds import MAX_TILE_INFLATED, TileTooLarge, inflate, inflated_size
from layers.tiles.places import _tile_places
from tests.archive_bombs import bomb, bomb_mbtiles, bomb_pmtiles
from tests.archive_builders import GOOD_META, good_pmtiles, mbtiles
from tests.test_hostile_inputs import _in_child

CAP = f"more than {MAX_TILE_INFLATED:,} bytes"


def _opened(path) -> list:
    try:
        inspect_archive(path)
    except ArchiveError as exc:
        return ["refused", str(exc)]
    return ["accepted", ""]


PM_BOMBS = {
    "zoom-0": ((0, 0, 0), False),
    "zoom-2": ((2, 2, 1), False),
    "zoom-8": ((8, 161, 101), False),
    "zoom-8-in-a-leaf": ((8, 161, 101), True),
    "zoom-1-in-a-leaf": ((1, 1, 0), True),
}


@pytest.mark.parametrize("case", PM_BOMBS, ids=list(PM_BOMBS))
def test_a_pmtiles_bomb_is_refused_at_open_naming_the_tile(tmp_path, case):
    (z, x, y), leaves = PM_BOMBS[case]
    path = bomb_pmtiles(tmp_path / "bomb.pmtiles", 512, at=(z, x, y), leaves=leaves)
    (outcome, message), _took = _in_child(lambda: _opened(path))
    assert outcome == "refused", message
    assert message.startswith(f"{path}: tile {z}/{x}/{y} unpacks to {CAP}"), message


@pytest.mark.parametrize("wrapper", ["gzip", "zlib"])
def test_an_mbtiles_bomb_is_refused_at_open_naming_the_tile(tmp_path, wrapper):
    path = bomb_mbtiles(tmp_path / "bomb.mbtiles", 512, wrapper)
    (outcome, message), _took = _in_child(lambda: _opened(path))
    assert outcome == "refused", message
    assert message.startswith(f"{path}: tile 2/1/1 unpacks to {CAP}"), message


def test_archives_of_ordinary_tiles_are_accepted(tmp_path):
    for path in (
        good_pmtiles(tmp_path / "a.pmtiles"),
        mbtiles(tmp_path / "a.mbtiles"),
        bomb_pmtiles(tmp_path / "b.pmtiles", 15, leaves=True),  # 15 MB: under the cap
    ):
        assert inspect_archive(path).kind in ("pmtiles", "mbtiles")


def test_a_bomb_the_sample_misses_is_stopped_when_mbtiles_are_converted(tmp_path, monkeypatch):
    monkeypatch.setattr(bounds, "SAMPLE_PER_ZOOM", 0)  # the sample at open checks nothing
    path = bomb_mbtiles(tmp_path / "bomb.mbtiles", 64)
    info = inspect_archive(path)
    static = tmp_path / "static"
    with pytest.raises(TileTooLarge, match=f"tile 2/1/1 unpacks to {CAP}"):
        served_archive(info, static)
    assert list(static.iterdir()) == []  # nothing half-converted is served


def test_the_python_readers_of_tiles_stop_at_the_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(bounds, "SAMPLE_PER_ZOOM", 0)
    path = bomb_pmtiles(tmp_path / "bomb.pmtiles", 64, at=(2, 2, 1))
    inspect_archive(path)  # not refused: nothing sampled
    with pytest.raises(TileTooLarge, match="tile 2/2/1"):
        embedded_tiles(path, max_zoom=2)
    stat = path.stat()
    with pytest.raises(TileTooLarge, match="tile 2/2/1"):
        _tile_places(str(path), stat.st_size, stat.st_mtime_ns, 2, 2, 1)


def test_inflate_is_exact_under_the_cap_and_holds_little_memory():
    data = b"tile " * 1000
    assert inflate(None, gzip.compress(data), "0/0/0") == data
    two = gzip.compress(b"a" * 10) + gzip.compress(b"b" * 10)  # gzip of two members
    assert inflate(None, two, "0/0/0") == b"a" * 10 + b"b" * 10
    assert inflated_size(None, bomb(15), "0/0/0") == 15 << 20  # measured: it could pass
    assert inflated_size(None, bomb(15), "0/0/0", cap=40_000_000) == 0  # cannot pass: skipped
    with pytest.raises(TileTooLarge):
        inflate(None, gzip.compress(b"x" * 100) + bomb(2), "0/0/0", cap=1_000_000)
    with pytest.raises(ArchiveError, match="cut short"):
        inflate(None, bomb(2)[:-100], "0/0/0", cap=4_000_000)


ATTRIBUTIONS = {
    "lone-surrogate": ("© OSM \ud800", "holds U+D800, half of a surrogate pair"),
    "surrogate-in-a-link": ('<a href="x">\udfff</a>', "holds U+DFFF"),
    "bell": ("© OSM\x07", "holds the control character U+0007"),
    "nul": ("\x00© OSM", "holds the control character U+0000"),
    "c1-control": ("© OSM\x85", "holds the control character U+0085"),
    "html-too-long": ("<b></b>" * 5000 + "© OSM", "35,005 characters (at most 20,000"),
}


@pytest.mark.parametrize("case", ATTRIBUTIONS, ids=list(ATTRIBUTIONS))
def test_an_attribution_that_is_not_text_is_refused(tmp_path, case):
    text, says = ATTRIBUTIONS[case]
    path = good_pmtiles(tmp_path / "a.pmtiles", {**GOOD_META, "attribution": text})
    with pytest.raises(ArchiveError) as caught:
        inspect_archive(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: metadata 'attribution' ") and says in message, message
    message.encode("utf-8")  # the message itself can be printed and logged


def test_an_mbtiles_attribution_with_a_control_character_is_refused(tmp_path):
    path = mbtiles(tmp_path / "a.mbtiles")
    with sqlite3.connect(path) as db:
        db.execute("UPDATE metadata SET value = ? WHERE name = 'attribution'", ("© OSM\x1b[31m",))
    with pytest.raises(ArchiveError, match="'attribution' holds the control character U\\+001B"):
        inspect_archive(path)
    json_meta = json.dumps({"vector_layers": [{"id": "earth"}], "attribution": "\ud83d x"})
    with sqlite3.connect(path) as db:
        db.execute("UPDATE metadata SET value = 'ok' WHERE name = 'attribution'")
        db.execute("UPDATE metadata SET value = ? WHERE name = 'json'", (json_meta,))
    with pytest.raises(ArchiveError, match="holds U\\+D83D"):
        inspect_archive(path)


def test_an_attribution_with_tabs_line_breaks_and_arabic_is_read(tmp_path):
    text = '<a href="https://osm.org">© OpenStreetMap</a>\n\tمساهمو &amp; Natural Earth'
    path = good_pmtiles(tmp_path / "a.pmtiles", {**GOOD_META, "attribution": text})
    assert inspect_archive(path).attribution == "© OpenStreetMap مساهمو & Natural Earth"


def test_a_tile_too_large_as_stored_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = good_pmtiles(tmp_path / "a.pmtiles")
    monkeypatch.setattr(bounds, "MAX_STORED_TILE", 20)  # the fixture's tiles are ~30 bytes
    reads: list[int] = []
    real = bounds.inflated_size
    monkeypatch.setattr(bounds, "inflated_size", lambda *a, **k: reads.append(1) or real(*a, **k))
    with pytest.raises(ArchiveError, match=r"tile \d/\d/\d is \d\d bytes as stored \(at most 20\)"):
        inspect_archive(path)
    assert reads == []


def test_a_sample_out_of_time_ends_without_refusing(tmp_path, monkeypatch):
    """Past its CPU budget the sample stops (a large valid archive is not refused for its
    size); the bomb is then stopped where the tiles are read."""
    monkeypatch.setattr(bounds, "SAMPLE_SECONDS", 0.0)
    monkeypatch.setattr(bounds, "LEAF_SECONDS", 0.0)
    mb = bomb_mbtiles(tmp_path / "bomb.mbtiles", 64)
    pm = bomb_pmtiles(tmp_path / "bomb.pmtiles", 64, leaves=True)
    assert inspect_archive(pm).kind == "pmtiles"
    info = inspect_archive(mb)
    with pytest.raises(TileTooLarge, match="tile 2/1/1"):
        served_archive(info, tmp_path / "static")
