"""A raster basemap in a snapshot: the archive's pictures are the map's background, resampled
from Web Mercator into the snapshot's own projection (each spot of the page shows the tile
pixel of its longitude and latitude), credited, and refused clearly when a tile is not an
image. Archives from tests/schema_archives.py."""

from __future__ import annotations

import io
import sqlite3

import numpy as np
import pytest
from PIL import Image

from layers.snapshot import Snapshot, SnapshotError, render, save
from layers.snapshot.projection import Projection
from layers.snapshot.raster import _mercator, mosaic, resampled
from layers.tiles.archive import inspect_archive
from layers.view import View
from tests.schema_archives import CREDIT, RASTER_RGB, raster_mbtiles, raster_pmtiles

FRAME = (36.0, 30.0, 46.0, 38.0)


def _coloured_tile(x: int, y: int) -> bytes:
    """A tile whose colour says which tile it is."""
    out = io.BytesIO()
    Image.new("RGB", (256, 256), (x * 20 % 256, y * 20 % 256, 99)).save(out, format="PNG")
    return out.getvalue()


def test_each_spot_of_the_page_shows_the_tile_of_its_longitude_and_latitude():
    proj = Projection.fitted(FRAME)  # a Lambert conic: straight Mercator rows would not fit
    x0, y0 = proj.point(FRAME[0], FRAME[1])
    x1, y1 = proj.point(FRAME[2], FRAME[3])
    extent = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    z = 6
    tiles, ox, oy = mosaic(lambda z_, x, y: _coloured_tile(x, y), (34, 28, 48, 40), z)
    image = resampled(proj, extent, tiles, (ox, oy), z)
    h, w, _ = image.shape
    rng = np.random.default_rng(7)
    for lon, lat in zip(rng.uniform(37, 45, 40), rng.uniform(31, 37, 40), strict=True):
        px, py = proj.point(lon, lat)
        col = int((px - extent[0]) / (extent[2] - extent[0]) * w)
        row = int((extent[3] - py) / (extent[3] - extent[1]) * h)
        gx, gy = _mercator(np.array([lon]), np.array([lat]), z)
        tx, ty = int(gx[0] // 256), int(gy[0] // 256)
        # a pixel one cell from a tile edge may show the neighbour: look at the 3x3 around it
        around = image[max(0, row - 1) : row + 2, max(0, col - 1) : col + 2, :3].reshape(-1, 3)
        want = (tx * 20 % 256, ty * 20 % 256, 99)
        assert any(tuple(p) == want for p in around), (lon, lat, want, around[:3])


def _map_pixels(fig) -> np.ndarray:
    png = save(fig, "png")
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def _is_raster(pixels: np.ndarray) -> int:
    return int(np.all(np.abs(pixels.astype(int) - RASTER_RGB) <= 6, axis=-1).sum())


@pytest.mark.parametrize(
    "make",
    [lambda p: raster_mbtiles(p / "r.mbtiles"), lambda p: raster_pmtiles(p / "r.pmtiles")],
    ids=["png-mbtiles", "webp-pmtiles"],
)
def test_a_raster_basemap_is_the_snapshots_background_and_credited(geodata, tmp_path, make):
    archive = make(tmp_path)
    snap = Snapshot(View(lang="en"), frame=FRAME, dpi=60, basemap=archive)
    fig, contents = render(snap, geodata)
    assert _is_raster(_map_pixels(fig)) > 5_000
    assert CREDIT in contents.credits
    plain, _ = render(Snapshot(View(lang="en"), frame=FRAME, dpi=60), geodata)
    assert _is_raster(_map_pixels(plain)) == 0


@pytest.mark.parametrize("schema", ["openmaptiles", "protomaps-v3"])
def test_a_vector_basemap_names_its_towns_in_print_as_on_screen(geodata, tmp_path, schema):
    from tests.schema_archives import NAMES, vector_archive

    archive = vector_archive(tmp_path, schema, ".mbtiles")
    assert inspect_archive(archive).schema == schema
    frame = (39.0, 31.0, 44.0, 35.0)  # around the fixture's town, zoomed in enough to name it
    for lang, name in zip(("en", "ar"), NAMES[schema], strict=True):
        snap = Snapshot(View(lang=lang), frame=frame, dpi=60, basemap=archive)
        _fig, contents = render(snap, geodata)
        assert name in {lab.text for lab in contents.labels}, contents.labels
        assert CREDIT in contents.credits
    _fig, ours = render(Snapshot(View(lang="en"), frame=frame, dpi=60), geodata)
    assert NAMES[schema][0] not in {lab.text for lab in ours.labels}


def test_a_tile_that_is_not_an_image_is_a_clear_snapshot_error(geodata, tmp_path):
    archive = raster_mbtiles(tmp_path / "r.mbtiles", max_zoom=5)
    with sqlite3.connect(archive) as db:  # every tile but the first: PNG magic, then garbage
        db.execute(
            "UPDATE tiles SET tile_data = ? WHERE rowid > 1", (b"\x89PNG\r\n\x1a\n" + b"x" * 50,)
        )
    with pytest.raises(SnapshotError, match=r"basemap: tile \d+/\d+/\d+ is not a readable image"):
        render(Snapshot(View(lang="en"), frame=FRAME, dpi=60, basemap=archive), geodata)
