"""Raster tiles (PNG, JPEG, WEBP) in a PMTiles or MBTiles archive — what QGIS's "Generate XYZ
tiles (MBTiles)" and most offline map kits make. Drawn as an image layer under briefmap's
labels and report shapes (web map, offline page) and as the snapshot's background image
(`layers/snapshot/raster.py`); the pictures carry their own names, so no basemap labels are
read from them: the report features keep theirs."""

from __future__ import annotations

from layers.tiles.schemas.definition import Evidence, Schema

FORMATS = ("png", "jpeg", "webp")
MEDIA_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}
MAGIC = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"))


def sniff(data: bytes) -> str | None:
    """The image format of a tile by its first bytes, or None."""
    for magic, name in MAGIC:
        if data.startswith(magic):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def recognise(e: Evidence) -> bool:
    return e.tile_format in FORMATS


SCHEMA = Schema(name="raster", title="raster PNG/JPEG/WEBP", raster=True, recognise=recognise)
