"""The basemap as the browser draws it: a PMTiles archive and the one style for it.

The archive is ours (`geodata/basemap/basemap.pmtiles`, built by `layers.tiles`) or a user's
archive (`briefmap serve --basemap FILE`) in any schema `layers.tiles.schemas` reads: its
name and mapping tables go to the browser with the source, which maps it onto our layers
(`layers/assets/briefmap-schemas.js`) or draws its raster tiles under our labels. Either is
served from where it is by briefmap's own route (`layers.routes`, which answers the HTTP Range
requests PMTiles readers make) and drawn by protomaps-leaflet with `STYLE` below and the
label styles of `layers.render.labels`, so our tiles and an OpenStreetMap extract look alike and are
labelled by the same priorities.

Self-contained pages (no server) use `offline_basemap_data()`: the archive's tiles up to a
zoom, embedded in the page (see `base_map(..., basemap_data=...)`).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from layers.aliases import load_aliases
from layers.paths import BASEMAP_DIR, PROJECT_ROOT, basemap_dir
from layers.render.escape import esc
from layers.render.labels import styles_for_browser
from layers.render.palette import LAND
from layers.tiles.archive import ArchiveInfo, embedded_tiles, inspect_archive, served_archive
from layers.tiles.build import ARCHIVE_NAME
from layers.tiles.mbtiles_file import convert_mbtiles
from layers.tiles.schemas import by_name

# Colours and line widths (CSS px) of the basemap, for every source in the Protomaps schema.
STYLE: dict[str, Any] = {
    "sea": "#cfe0ea",
    "earth": LAND,
    "water": "#bcd5e5",
    "river": "#86b3d1",
    "river_width": [[4, 0.6], [7, 1.2], [10, 2.0]],
    "park": "#e3ead5",
    "urban": "#ece6da",
    "buildings": "#ddd6c8",
    "country_border": "#7d7d7d",
    "country_border_width": 1.3,
    "region_border": "#b4ad9f",
    "region_border_width": 0.8,
    "region_border_dash": [3, 3],
    "highway": "#e3a857",
    "major_road": "#efc98a",
    "minor_road": "#ffffff",
    "road_width": [[6, 0.6], [10, 1.6], [14, 4.0]],
    "town_dot": "#4a4a4a",
    "font_family": '"bm-arabic", "Noto Sans", "DejaVu Sans", sans-serif',
}
ATTRIBUTION = "Natural Earth (public domain) · GeoNames (CC BY 4.0)"


def source_files(folder: Path | None = None) -> list[Path]:
    base = folder or basemap_dir()
    return [
        base / f"{name}.geojson"
        for name in ("countries", "admin1", "rivers", "lakes", "places", "world110m")
    ]


def load_layer(name: str, folder: Path | None = None) -> list[dict[str, Any]]:
    """Features of one shipped Natural Earth file, full resolution (search, print, tests)."""
    path = (folder or basemap_dir()) / f"{name}.geojson"
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def shipped_archive(folder: Path | None = None) -> Path:
    """Our archive: the geodata folder's own if it has one, else the repo's."""
    own = (folder or basemap_dir()) / ARCHIVE_NAME
    return own if own.is_file() else PROJECT_ROOT / "geodata" / BASEMAP_DIR / ARCHIVE_NAME


BASEMAP_URL = "/briefmap/basemap"  # served by layers.routes, with HTTP Range requests


def basemap_spec(
    archive: Path | None = None, geodata: Path | None = None, cache: Path | None = None
) -> tuple[dict[str, Any], Path]:
    """The archive the browser reads (a user's, else ours: the `geodata` folder's own if it
    has one) and the file the server sends for it: the source spec (url under BASEMAP_URL,
    max_zoom, bounds, the attribution as escaped HTML, the schema's mapping) and that file.
    Nothing is copied: a PMTiles archive is served where it is; an MBTiles one is converted
    once into `cache` (`layers.tiles.archive.served_archive`).

    A user's archive is checked first (`layers.tiles.archive.inspect_archive`): a bad one
    raises ArchiveError naming the file."""
    if archive is not None:
        info = inspect_archive(archive)
        credit = info.attribution or archive.name
    else:
        info = inspect_archive(shipped_archive(basemap_dir(geodata)))
        credit = ATTRIBUTION
    served = served_archive(info, cache)
    stat = served.stat()
    stamp = hashlib.sha256(f"{served}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()
    spec = info.browser_spec(f"{BASEMAP_URL}/{stamp[:16]}.pmtiles")
    spec["attribution"] = esc(credit)
    spec["user"] = archive is not None
    spec["mapping"] = dict(by_name(info.schema).browser)
    return spec, served


OFFLINE_REGION = (30.0, 22.0, 58.0, 42.0)  # west, south, east, north: the briefing's region


def offline_basemap_data(
    archive: Path | None = None,
    world_zoom: int = 4,
    region_zoom: int = 7,
    region: tuple[float, float, float, float] = OFFLINE_REGION,
) -> dict[str, Any]:
    """The basemap for a page that must work from a file, with no server: the archive's
    tiles for the whole world up to `world_zoom` and for `region` (west, south, east, north)
    up to `region_zoom`, embedded as base64, and its attribution. Pass it as
    `base_map(..., basemap_data=...)`. Deeper zooms are drawn over-zoomed from the deepest
    tiles; outside the region, zooms past `world_zoom` show the sea colour only. About 0.6 MB
    with the defaults."""
    info: ArchiveInfo = inspect_archive(archive or shipped_archive())
    deepest = min(region_zoom, info.max_zoom)
    with _as_pmtiles(info) as path:
        world = embedded_tiles(path, max_zoom=min(world_zoom, deepest))
        near = embedded_tiles(path, max_zoom=deepest, bounds=region)
    return {
        "tiles": {**world["tiles"], **near["tiles"]},
        "max_zoom": deepest,
        "attribution": esc(info.attribution if archive else ATTRIBUTION),
        "schema": info.schema,
        "tile_format": info.tile_format,
        "mapping": dict(by_name(info.schema).browser),
    }


@contextmanager
def _as_pmtiles(info: ArchiveInfo) -> Iterator[Path]:
    """The archive as PMTiles: itself, or an MBTiles converted into a temporary file."""
    if info.kind == "pmtiles":
        yield info.path
        return
    with tempfile.TemporaryDirectory(prefix="briefmap-offline-") as tmp:
        target = Path(tmp) / "basemap.pmtiles"
        convert_mbtiles(info, target)
        yield target


def style_spec(lang: str, mode: str = "screen") -> dict[str, Any]:
    """What the browser's renderer needs besides the tiles: colours, label styles for the
    screen or the projector, the language, and the alias table."""
    return {
        "paint": STYLE,
        "labels": styles_for_browser(mode),
        "lang": lang,
        "aliases": load_aliases().for_browser(),
    }
