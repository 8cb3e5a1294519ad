"""The vector-tile basemap: built reproducibly from the shipped inputs, whole world, towns at
crossing scale with their Arabic names, and user archives checked at the boundary."""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from shapely.geometry import Point

from layers.paths import PROJECT_ROOT
from layers.tiles import sources
from layers.tiles.archive import ArchiveError, embedded_tiles, inspect_archive
from layers.tiles.build import ARCHIVE_NAME, build, run_tippecanoe, write_features
from layers.tiles.towns import arabic_name, ascii_name

ARCHIVE = PROJECT_ROOT / "geodata" / "basemap" / ARCHIVE_NAME
DECODE = str(Path(sys.executable).parent / "tippecanoe-decode")


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return int((lon + 180) / 360 * n), int(y)


def decoded(path: Path, z: int, x: int, y: int) -> dict[str, list[dict]]:
    out = subprocess.run(
        [DECODE, str(path), str(z), str(x), str(y)], capture_output=True, text=True, check=True
    ).stdout
    return {
        layer["properties"]["layer"]: layer["features"] for layer in json.loads(out)["features"]
    }


def names_near(lon: float, lat: float, z: int = 9) -> dict[str, str | None]:
    places = decoded(ARCHIVE, z, *tile_of(lon, lat, z)).get("places", [])
    return {f["properties"]["name:en"]: f["properties"].get("name:ar") for f in places}


def test_the_committed_archive_is_the_build_of_the_shipped_inputs(tmp_path):
    rebuilt = build(tmp_path / ARCHIVE_NAME)
    digest = hashlib.sha256(rebuilt.read_bytes()).hexdigest()
    assert digest == hashlib.sha256(ARCHIVE.read_bytes()).hexdigest(), "run `make basemap`"
    recorded = (ARCHIVE.parent / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert f"{digest}  {ARCHIVE_NAME}" in recorded
    assert ARCHIVE.stat().st_size < 15_000_000


def test_towns_of_the_crossing_are_named_at_zoom_10_in_both_languages():
    # Leaflet zoom 10 draws tile zoom 9 (512-px tiles)
    crossing = names_near(40.95, 34.42)
    assert crossing["Albu Kamal"] == "البوكمال"
    assert crossing["al-Qa'im"] == "القائم"
    assert names_near(41.15, 36.39)["al-Hol"] == "الهول"
    assert names_near(36.58, 34.51)["Qusayr"] == "القصير"
    # spellings agree with the alias table, not with the sources' own
    assert "Abu Kamal" not in crossing and "Ālbū Kamāl" not in crossing


def test_capitals_come_first_and_small_towns_by_zoom_10():
    region = decoded(ARCHIVE, 4, *tile_of(42, 34, 4))["places"]
    early = {f["properties"]["name:en"] for f in region if f["properties"]["kind"] == "locality"}
    assert {"Baghdad", "Damascus"} <= early
    assert "al-Hol" not in early  # a village waits for the crossing scale
    hol = [f for f in region if f["properties"].get("bm_key") == "al-hol"]
    assert hol == []


def test_the_whole_world_is_drawn_at_low_zoom_with_no_detail_box():
    world = decoded(ARCHIVE, 0, 0, 0)
    assert len(world["earth"]) == 1 and world["boundaries"]
    countries = {
        f["properties"]["name"]
        for x in range(4)
        for y in range(4)
        for f in decoded(ARCHIVE, 2, x, y).get("places", [])
        if f["properties"]["kind"] == "country"
    }
    assert {"Brazil", "Australia", "Saudi Arabia", "Iran"} <= countries
    merged = list(sources.earth())[1]
    assert merged["tippecanoe"]["minzoom"] == sources.DETAIL_ZOOM
    land = sources.shape(merged["geometry"])
    # inland points on the edge of the 1:10m box lie inside one land polygon
    for lon, lat in ((33.0, 37.5), (45.0, 28.0), (53.0, 33.0), (40.0, 40.5)):
        assert land.contains(Point(lon, lat))
        assert land.boundary.distance(Point(lon, lat)) > 0.05  # no seam along the edge


@pytest.mark.parametrize(
    ("alternates", "expected"),
    [
        (["دبئی", "دبى", "دبي", "دبی"], "دبي"),  # Persian and Urdu forms refused
        (["حمص", "مدينة حمص"], "حمص"),
        (["دير حنا\u200e"], "دير حنا"),  # bidi marks dropped
        (["تبریز", "تەورێز"], None),  # only Persian or Kurdish letters: no Arabic name
        (["Al Hawl"], None),
    ],
)
def test_arabic_names_from_geonames_alternates(alternates, expected):
    assert arabic_name(alternates) == expected


def test_ascii_names_follow_geonames():
    assert ascii_name("Ālbū Kamāl") == "Albu Kamal"
    assert ascii_name("Al Ḩawl") == "Al Hawl"


def small_archive(tmp: Path, layer: str = "places", name: str = "Testville") -> Path:
    """A one-town PMTiles made by tippecanoe from a two-line fixture."""
    source = tmp / "fixture.geojsonl"
    feature = {
        "type": "Feature",
        "tippecanoe": {"layer": layer},
        "properties": {"kind": "locality", "name": name, "min_zoom": 0},
        "geometry": {"type": "Point", "coordinates": [40.0, 34.0]},
    }
    write_features([feature], source)
    target = tmp / "fixture.pmtiles"
    run_tippecanoe(source, target, 6, name="fixture")
    return target


def test_a_user_archive_is_read_with_its_attribution(tmp_path):
    info = inspect_archive(small_archive(tmp_path))
    assert info.kind == "pmtiles" and info.max_zoom == 6 and info.layers == ("places",)
    assert "Natural Earth" in info.attribution
    tiles = embedded_tiles(info.path, max_zoom=2)
    assert set(tiles["tiles"]) == {"0/0/0", "1/1/0", "2/2/1"}


def test_bad_archives_are_refused_with_the_reason(tmp_path):
    junk = tmp_path / "junk.pmtiles"
    junk.write_bytes(b"not tiles at all")
    with pytest.raises(ArchiveError, match="junk.pmtiles: not a PMTiles or MBTiles"):
        inspect_archive(junk)
    with pytest.raises(ArchiveError, match="no such file"):
        inspect_archive(tmp_path / "missing.pmtiles")
    other = small_archive(tmp_path, layer="buildings_only")
    with pytest.raises(ArchiveError, match="'buildings_only'.* fit no schema briefmap draws"):
        inspect_archive(other)
    raster = tmp_path / "raster.mbtiles"
    with sqlite3.connect(raster) as db:
        db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        db.execute("CREATE TABLE tiles (zoom_level INT, tile_column INT, tile_row INT, d BLOB)")
        db.execute("INSERT INTO metadata VALUES ('format', 'png')")
    with pytest.raises(ArchiveError, match="raster.mbtiles: the archive holds no tiles"):
        inspect_archive(raster)
