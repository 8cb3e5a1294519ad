"""The schema of a user's basemap is read from the archive (its tile type, declared layers and
their fields, else one of its tiles), never from one layer name it shares with ours: each
schema briefmap draws is recognised in PMTiles and MBTiles alike, and any other vector
archive is refused naming its layers and the schemas we read (tests/schema_archives.py)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from pmtiles.reader import MmapSource, Reader, all_tiles
from pmtiles.tile import TileType, zxy_to_tileid
from pmtiles.writer import Writer

from layers.tiles import schemas
from layers.tiles.archive import ArchiveError, inspect_archive, served_archive
from layers.tiles.build import run_tippecanoe, write_features
from layers.tiles.places import places
from layers.tiles.schemas import openmaptiles, protomaps_v3
from tests.schema_archives import (
    NAMES,
    RASTER_RGB,
    raster_mbtiles,
    raster_pmtiles,
    tile_image,
    vector_archive,
)

VECTOR = ["protomaps-v4", "protomaps-v3", "openmaptiles"]


@pytest.mark.parametrize("suffix", [".pmtiles", ".mbtiles"])
@pytest.mark.parametrize("schema", VECTOR)
def test_each_vector_schema_is_recognised_in_either_container(tmp_path, schema, suffix):
    info = inspect_archive(vector_archive(tmp_path, schema, suffix))
    assert (info.schema, info.tile_format) == (schema, "mvt")
    assert info.browser_spec("/x")["schema"] == schema


@pytest.mark.parametrize(
    ("make", "fmt"),
    [
        (lambda p: raster_mbtiles(p / "qgis.mbtiles"), "png"),
        (lambda p: raster_mbtiles(p / "no-format.mbtiles", format_row=False), "png"),
        (lambda p: raster_pmtiles(p / "r.pmtiles", "WEBP"), "webp"),
        (lambda p: raster_pmtiles(p / "r.pmtiles", "JPEG"), "jpeg"),
    ],
    ids=["mbtiles-png", "mbtiles-png-no-format-row", "pmtiles-webp", "pmtiles-jpeg"],
)
def test_raster_archives_are_accepted_as_raster(tmp_path, make, fmt):
    info = inspect_archive(make(tmp_path))
    assert (info.schema, info.tile_format, info.layers) == ("raster", fmt, ())


def _tippecanoe(tmp: Path, layers: dict[str, dict]) -> Path:
    items = [
        {
            "type": "Feature",
            "tippecanoe": {"layer": name},
            "properties": props,
            "geometry": {"type": "LineString", "coordinates": [[39, 33], [43, 36]]},
        }
        for name, props in layers.items()
    ]
    source = tmp / "foreign.geojsonl"
    write_features(items, source)
    target = tmp / "foreign.pmtiles"
    run_tippecanoe(source, target, 4, name="foreign")
    return target


def test_an_archive_sharing_only_water_is_refused_naming_its_layers(tmp_path):
    path = _tippecanoe(
        tmp_path, {"water": {"class": "river"}, "contours": {"ele": 100}, "trails": {"sac": 1}}
    )
    with pytest.raises(ArchiveError) as caught:
        inspect_archive(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: its vector layers (")
    for name in ("'water'", "'contours'", "'trails'"):
        assert name in message
    for title in ("Protomaps v4", "Protomaps v3", "OpenMapTiles", "raster"):
        assert title in message


def _without_layer_list(path: Path) -> Path:
    """The archive rewritten with its metadata's `vector_layers` removed."""
    out = path.with_name("bare-" + path.name)
    with path.open("rb") as f:
        reader = Reader(MmapSource(f))
        header, meta = reader.header(), reader.metadata()
        meta.pop("vector_layers", None)
        with out.open("wb") as target:
            writer = Writer(target)
            for zxy, data in all_tiles(reader.get_bytes):
                writer.write_tile(zxy_to_tileid(*zxy), data)
            writer.finalize(header, meta)
    return out


@pytest.mark.parametrize("schema", VECTOR)
def test_with_no_layer_list_the_schema_is_read_from_a_tile(tmp_path, schema):
    bare = _without_layer_list(vector_archive(tmp_path, schema))
    info = inspect_archive(bare)
    assert info.schema == schema and info.layers


def test_with_no_layer_list_a_foreign_tile_is_refused(tmp_path):
    path = _tippecanoe(tmp_path, {"water": {"class": "river"}, "contours": {"ele": 100}})
    with pytest.raises(ArchiveError, match=r"its vector layers \('contours', 'water'\)"):
        inspect_archive(_without_layer_list(path))


def test_v3_is_told_from_v4_by_its_pmap_fields_or_its_own_layers():
    e = schemas.Evidence
    layers = ("earth", "roads", "places")
    assert schemas.detect(Path("a"), e("mvt", layers, frozenset({"kind"}))).name == "protomaps-v4"
    v3 = e("mvt", layers, frozenset({"pmap:kind"}))
    assert schemas.detect(Path("a"), v3).name == "protomaps-v3"
    v3_layer = e("mvt", (*layers, "physical_line"))
    assert schemas.detect(Path("a"), v3_layer).name == "protomaps-v3"
    omt = e("mvt", ("water", "landcover", "transportation", "place"))
    assert schemas.detect(Path("a"), omt).name == "openmaptiles"
    with pytest.raises(schemas.SchemaRefused):  # shared names only: no schema's own layer
        schemas.detect(Path("a"), e("mvt", ("water", "landuse", "landcover")))


def test_a_raster_tile_must_be_the_image_its_archive_declares(tmp_path):
    path = raster_pmtiles(tmp_path / "liar.pmtiles", "PNG")
    raw = bytearray(path.read_bytes())
    raw[99] = TileType.JPEG.value  # the header now says JPEG; the tiles are PNG
    path.write_bytes(bytes(raw))
    with pytest.raises(ArchiveError, match="says its tiles are JPEG, but its first tile is PNG"):
        inspect_archive(path)


def test_a_raster_mbtiles_is_served_as_raster_pmtiles_with_its_images_unchanged(tmp_path):
    info = inspect_archive(raster_mbtiles(tmp_path / "r.mbtiles", max_zoom=3))
    served = served_archive(info, tmp_path / "static")
    back = inspect_archive(served)
    assert (back.schema, back.tile_format, back.max_zoom) == ("raster", "png", 3)
    with served.open("rb") as f:
        reader = Reader(MmapSource(f))
        assert reader.header()["tile_type"] == TileType.PNG
        tile = reader.get(3, 4, 3)
    assert tile == tile_image("PNG", 3, 4, 3)  # not gzipped, not re-encoded


@pytest.mark.parametrize("schema", VECTOR)
def test_print_reads_each_schemas_towns_under_our_names(tmp_path, schema):
    path = vector_archive(tmp_path, schema)
    found = places(path, (38, 32, 44, 37), 9, schema=schema)
    town = next(p for p in found if p.props.get("name:en") == NAMES[schema][0])
    assert town.props["kind"] == "locality" and town.props["name:ar"] == NAMES[schema][1]
    assert town.props["layer"] == "places"


def test_openmaptiles_places_map_onto_our_kinds():
    capital = openmaptiles.place(
        {"class": "city", "name": "بغداد", "name_en": "Baghdad", "capital": 2, "rank": 1}
    )
    assert capital["kind"] == "locality" and capital["capital"] == "yes"
    assert (capital["name"], capital["name:en"]) == ("بغداد", "Baghdad")
    seat = openmaptiles.place({"class": "town", "name:latin": "Tikrit", "capital": 4})
    assert seat["region_capital"] == "yes" and "capital" not in seat
    assert openmaptiles.place({"class": "country", "name": "Iraq"})["kind"] == "country"
    assert openmaptiles.place({"class": "continent", "name": "Asia"}) is None


def test_v3_attributes_are_read_under_their_v4_names():
    props = protomaps_v3.as_v4({"pmap:kind": "locality", "pmap:min_zoom": 4, "name": "x"})
    assert (props["kind"], props["min_zoom"]) == ("locality", 4)


def test_each_schema_is_one_small_module():
    folder = Path(schemas.__file__).parent
    for module in folder.glob("*.py"):
        assert len(module.read_text().splitlines()) < 400, module
    assert {s.name for s in schemas.schemas()} == {*VECTOR, "raster"}
    assert RASTER_RGB  # the fixture colour the browser and snapshot tests look for


def test_gzip_is_kept_for_vector_tiles_of_an_mbtiles(tmp_path):
    info = inspect_archive(vector_archive(tmp_path, "openmaptiles", ".mbtiles"))
    served = served_archive(info, tmp_path / "static")
    with served.open("rb") as f:
        reader = Reader(MmapSource(f))
        header = reader.header()
        data = next(d for _zxy, d in all_tiles(reader.get_bytes))
    assert header["tile_type"] == TileType.MVT and gzip.decompress(data)
    assert json.loads(json.dumps(inspect_archive(served).layers))


@pytest.mark.parametrize("schema", ["openmaptiles", "raster"])
def test_the_offline_page_embeds_a_users_archive_with_its_schema(tmp_path, schema):
    from base64 import b64decode

    from layers.render.basemap import offline_basemap_data

    if schema == "raster":
        archive = raster_mbtiles(tmp_path / "r.mbtiles", max_zoom=5)
    else:
        archive = vector_archive(tmp_path, schema, ".mbtiles")
    data = offline_basemap_data(archive, world_zoom=2, region_zoom=5)
    assert data["schema"] == schema and data["tiles"]
    first = b64decode(next(iter(data["tiles"].values())))
    if schema == "raster":
        assert first.startswith(b"\x89PNG") and data["tile_format"] == "png"
    else:  # decompressed MVT, and the tables the browser's mapping reads
        assert first[:2] != b"\x1f\x8b" and data["mapping"]["roads"]["motorway"] == "highway"


def test_a_vector_archive_whose_tiles_are_pictures_is_refused(tmp_path):
    path = raster_mbtiles(tmp_path / "mislabelled.mbtiles", max_zoom=2)
    import sqlite3

    with sqlite3.connect(path) as db:
        db.execute("UPDATE metadata SET value = 'pbf' WHERE name = 'format'")
    with pytest.raises(
        ArchiveError, match="says its tiles are vector .MVT., but its first tile is a PNG"
    ):
        inspect_archive(path)
