"""Small basemap archives of every schema briefmap draws, built in code: Protomaps v4 and v3
(PMTiles, by tippecanoe), OpenMapTiles (MBTiles, by tippecanoe), raster PNG MBTiles and raster
WEBP / JPEG PMTiles (tiles painted by Pillow). Each has a road (or a tile colour) and a town
with an English and an Arabic name, so a test can see that it is drawn and labelled."""

from __future__ import annotations

import io
import math
import sqlite3
from pathlib import Path

from PIL import Image
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer

from layers.tiles.build import run_tippecanoe, write_features

LAND = [[[38, 32], [44, 32], [44, 37], [38, 37], [38, 32]]]
ROAD = [[39, 33], [43, 36]]
TOWN = [41.5, 33.2]
NAMES = {  # schema -> (English, Arabic): a town name no alias of briefmap's matches
    "protomaps-v4": ("Vierton", "فيرتون"),
    "protomaps-v3": ("Pmapton", "بيمابتون"),
    "openmaptiles": ("Omtown", "أومتاون"),
}
RASTER_RGB = (214, 64, 171)  # a colour no vector style of ours uses
REGION = (38.0, 32.0, 44.0, 37.0)
CREDIT = "© OpenStreetMap contributors"


def _feature(layer: str, props: dict, kind: str, coords) -> dict:
    return {
        "type": "Feature",
        "tippecanoe": {"layer": layer},
        "properties": props,
        "geometry": {"type": kind, "coordinates": coords},
    }


def _protomaps(v3: bool) -> list[dict]:
    en, ar = NAMES["protomaps-v3" if v3 else "protomaps-v4"]
    k = "pmap:kind" if v3 else "kind"
    mz = "pmap:min_zoom" if v3 else "min_zoom"
    border = {k: "country", "pmap:min_admin_level" if v3 else "kind_detail": 2}
    return [
        _feature("earth", {k: "earth"}, "Polygon", LAND),
        _feature("roads", {k: "highway", "name": "Route 1"}, "LineString", ROAD),
        _feature("boundaries", border, "LineString", [[40, 32], [40, 37]]),
        _feature(
            "places",
            {k: "locality", "name": en, "name:en": en, "name:ar": ar, mz: 0},
            "Point",
            TOWN,
        ),
    ]


def _openmaptiles() -> list[dict]:
    en, ar = NAMES["openmaptiles"]
    lake = [[[42.5, 35.5], [43.2, 35.5], [43.2, 36.0], [42.5, 36.0], [42.5, 35.5]]]
    return [
        _feature("water", {"class": "lake"}, "Polygon", lake),
        _feature(
            "landcover",
            {"class": "wood", "subclass": "forest"},
            "Polygon",
            [[[39, 35], [39.8, 35], [39.8, 35.6], [39, 35.6], [39, 35]]],
        ),
        _feature("transportation", {"class": "motorway"}, "LineString", ROAD),
        _feature(
            "transportation_name", {"class": "motorway", "name": "Route 1"}, "LineString", ROAD
        ),
        _feature(
            "boundary",
            {"admin_level": 2, "maritime": 0, "disputed": 0},
            "LineString",
            [[40, 32], [40, 37]],
        ),
        _feature(
            "place",
            {
                "class": "town",
                "name": en,
                "name_en": en,
                "name:latin": en,
                "name:ar": ar,
                "rank": 3,
                "capital": 4,
            },
            "Point",
            TOWN,
        ),
        _feature(
            "water_name",
            {"class": "lake", "name": "Lake Omt", "name:ar": "بحيرة أومت"},
            "Point",
            [42.85, 35.75],
        ),
    ]


def vector_archive(folder: Path, schema: str, suffix: str = ".pmtiles") -> Path:
    """A tippecanoe-built archive of `schema` (protomaps-v4, protomaps-v3, openmaptiles)."""
    folder.mkdir(parents=True, exist_ok=True)
    items = _openmaptiles() if schema == "openmaptiles" else _protomaps(schema == "protomaps-v3")
    source = folder / f"{schema}.geojsonl"
    write_features(items, source)
    target = folder / f"{schema}{suffix}"
    run_tippecanoe(source, target, 8, name=f"{schema} fixture", attribution=CREDIT)
    return target


def tile_image(fmt: str, z: int, x: int, y: int) -> bytes:
    """A 256-px tile of RASTER_RGB with a darker frame, in `fmt` (PNG, WEBP, JPEG)."""
    img = Image.new("RGB", (256, 256), RASTER_RGB)
    dark = tuple(c // 2 for c in RASTER_RGB)
    for i in range(256):
        for j in (0, 1, 254, 255):
            img.putpixel((i, j), dark)
            img.putpixel((j, i), dark)
    out = io.BytesIO()
    img.save(out, format=fmt, **({"quality": 95} if fmt != "PNG" else {}))
    return out.getvalue()


def region_tiles(max_zoom: int) -> list[tuple[int, int, int]]:
    out = []
    west, south, east, north = REGION
    for z in range(max_zoom + 1):
        n = 2**z
        x0, x1 = int((west + 180) / 360 * n), int((east + 180) / 360 * n)
        y0, y1 = _tile_y(north, n), _tile_y(south, n)
        out += [(z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
    return out


def _tile_y(lat: float, n: int) -> int:
    s = math.sin(math.radians(lat))
    return int((0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * n)


def raster_mbtiles(path: Path, max_zoom: int = 7, format_row: bool = True) -> Path:
    """PNG tiles in MBTiles (TMS rows), with or without the `format` row (QGIS leaves it out)."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute("CREATE TABLE tiles (zoom_level INT, tile_column INT, tile_row INT, tile_data BLOB)")
    meta = {
        "name": "raster fixture",
        "minzoom": "0",
        "maxzoom": str(max_zoom),
        "bounds": ",".join(map(str, REGION)),
        "attribution": CREDIT,
    }
    if format_row:
        meta["format"] = "png"
    db.executemany("INSERT INTO metadata VALUES (?, ?)", meta.items())
    rows = [
        (z, x, (1 << z) - 1 - y, tile_image("PNG", z, x, y)) for z, x, y in region_tiles(max_zoom)
    ]
    db.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)", rows)
    db.commit()
    db.close()
    return path


def raster_pmtiles(path: Path, fmt: str = "WEBP", max_zoom: int = 7) -> Path:
    """WEBP (or JPEG) tiles in PMTiles, uncompressed as raster archives store them."""
    kind = {"WEBP": TileType.WEBP, "JPEG": TileType.JPEG, "PNG": TileType.PNG}[fmt]
    west, south, east, north = REGION
    with path.open("wb") as f:
        writer = Writer(f)
        for z, x, y in sorted(region_tiles(max_zoom), key=lambda t: zxy_to_tileid(*t)):
            writer.write_tile(zxy_to_tileid(z, x, y), tile_image(fmt, z, x, y))
        header = {
            "tile_type": kind,
            "tile_compression": Compression.NONE,
            "min_zoom": 0,
            "max_zoom": max_zoom,
            "min_lon_e7": int(west * 1e7),
            "min_lat_e7": int(south * 1e7),
            "max_lon_e7": int(east * 1e7),
            "max_lat_e7": int(north * 1e7),
            "center_zoom": 4,
            "center_lon_e7": int(41 * 1e7),
            "center_lat_e7": int(34.5 * 1e7),
        }
        writer.finalize(header, {"name": "raster fixture", "attribution": CREDIT})
    return path
