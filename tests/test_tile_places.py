"""Places read from the archive's own tiles (what print labels): the pure-Python MVT reader
agrees with tippecanoe's decoder, and the set follows the web map's zoom rule."""

from __future__ import annotations

import pytest

from layers.tiles.mvt import TileError, point_layer
from layers.tiles.places import places, tile_zoom, tiles_over
from tests.test_tiles import ARCHIVE, decoded, tile_of


def _ours(z: int, x: int, y: int) -> list[tuple]:
    from layers.tiles.places import _tile_places

    stat = ARCHIVE.stat()
    found = _tile_places(str(ARCHIVE), stat.st_size, stat.st_mtime_ns, z, x, y)
    return sorted(
        (p.props["name"], round(p.lon, 4), round(p.lat, 4), p.props.get("min_zoom"))
        for p in found
        if p.props["layer"] == "places"
    )


def _theirs(z: int, x: int, y: int) -> list[tuple]:
    """tippecanoe-decode's reading of the same tile, buffer points left out as we do."""
    n = 2**z
    west, east = x / n * 360 - 180, (x + 1) / n * 360 - 180
    out = []
    for f in decoded(ARCHIVE, z, x, y).get("places", []):
        lon, lat = f["geometry"]["coordinates"]
        if tile_of(lon, lat, z) != (x, y) or not west <= lon < east:
            continue
        props = f["properties"]
        out.append((props["name"], round(lon, 4), round(lat, 4), props.get("min_zoom")))
    return sorted(out)


@pytest.mark.parametrize(("lon", "lat", "z"), [(40.95, 34.42, 9), (42, 34, 4), (36.3, 33.5, 6)])
def test_the_tile_reader_agrees_with_tippecanoe_decode(lon, lat, z):
    x, y = tile_of(lon, lat, z)
    ours, theirs = _ours(z, x, y), _theirs(z, x, y)
    assert ours and [o[0] for o in ours] == [t[0] for t in theirs]
    for a, b in zip(ours, theirs, strict=True):
        assert a[1:3] == pytest.approx(b[1:3], abs=2e-4) and a[3] == b[3]


def test_places_follow_the_web_maps_zoom_rule():
    """Leaflet zoom Z draws tile zoom Z - 1: a place shows from `min_zoom + 1` on."""
    frame = (39.5, 33.5, 43.0, 35.8)
    for zoom in (6, 8, 10):
        got = places(ARCHIVE, frame, zoom)
        towns = [p for p in got if p.props.get("kind") == "locality"]
        assert towns and all(p.props["min_zoom"] + 1 <= zoom for p in towns)
        assert all(frame[0] <= p.lon <= frame[2] and frame[1] <= p.lat <= frame[3] for p in got)
    names = {p.props["name"] for p in places(ARCHIVE, frame, 10)}
    assert {"Albu Kamal", "al-Qa'im"} <= names
    assert len(places(ARCHIVE, frame, 10)) > len(places(ARCHIVE, frame, 7))


def test_zoom_and_tile_range():
    assert tile_zoom(5.6, 9) == 5 and tile_zoom(12.2, 9) == 9 and tile_zoom(0.2, 9) == 0
    assert tiles_over((-180, -85, 180, 85), 1) == [(0, 0), (0, 1), (1, 0), (1, 1)]


@pytest.mark.parametrize("bad", [b"\x1a\x05\x0a\x03ab", b"\x1a\xff", b"\x1f\x00"])
def test_a_malformed_tile_is_a_clear_error(bad):
    with pytest.raises(TileError):
        point_layer(bad, "places")
