"""The browser unpacks a served PMTiles archive's tiles itself (protomaps-leaflet, through
DecompressionStream); the map's script bundle caps that output as Python caps its own
(`layers/assets/briefmap-tilecap.js`, `layers/tiles/bounds.py`): a gzip bomb tile errors one
chunk past the cap instead of unpacking whole, and an ordinary tile unpacks exactly."""

from __future__ import annotations

import base64
import gzip
import random
import re
from pathlib import Path

from pmtiles.reader import MmapSource, Reader, all_tiles
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer

from layers.render.assets import bundle_bytes
from layers.tiles.archive import inspect_archive
from layers.tiles.bounds import MAX_TILE_INFLATED
from layers.tiles.places import tiles_over
from tests.archive_bombs import bomb
from tests.ui.harness import open_map, run_server
from tests.ui.test_cartography import fixture_archive

UNPACK = """async ([b64]) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const body = new Response(bytes).body.pipeThrough(new DecompressionStream("gzip"));
  const reader = body.getReader();
  let size = 0, head = "";
  try {
    for (;;) {
      const {done, value} = await reader.read();
      if (done) break;
      if (!size) head = new TextDecoder().decode(value.slice(0, 12));
      size += value.byteLength;
    }
  } catch (e) {
    return {ok: false, size: size, message: String(e && e.message)};
  }
  return {ok: true, size: size, head: head};
}"""


def _page(browser):
    page = browser.new_page()
    page.set_content("<!doctype html><title>cap</title><div id='map'></div>")
    page.add_script_tag(content=bundle_bytes().decode("utf-8"))  # the map's own bundle
    return page


def test_the_bundle_caps_what_the_browser_unpacks(browser):
    page = _page(browser)
    try:
        assert page.evaluate("globalThis.DecompressionStream.briefmapCap") == MAX_TILE_INFLATED
        tile = gzip.compress(b"a small tile" + bytes(100_000))
        small = page.evaluate(UNPACK, [base64.b64encode(tile).decode()])
        assert small == {"ok": True, "size": 100_012, "head": "a small tile"}
        blast = page.evaluate(UNPACK, [base64.b64encode(bomb(64)).decode()])
        assert blast["ok"] is False
        assert f"more than {MAX_TILE_INFLATED} bytes" in blast["message"], blast
        assert blast["size"] <= MAX_TILE_INFLATED  # what was passed on before the cap
    finally:
        page.close()


def test_the_cap_in_the_script_is_pythons():
    source = bundle_bytes().decode("utf-8")
    (value,) = re.findall(r"var MAX_TILE_BYTES = (\d+);", source)
    assert int(value) == MAX_TILE_INFLATED
    assert source.index("briefmap-tilecap.js") < source.index("briefmap/briefmap-basemap.js")


def _with_a_hidden_bomb(source: Path, target: Path, at: tuple[int, int, int]) -> Path:
    """`source`'s tiles with tile `at` replaced by a 64 MB bomb that the sample at open misses:
    four tiles of its zoom far away are larger as stored (random bytes)."""
    noise = random.Random(3)
    z = at[0]
    with source.open("rb") as f:
        reader = Reader(MmapSource(f))
        header, meta = reader.header(), reader.metadata()
        tiles = {zxy: bytes(data) for zxy, data in all_tiles(reader.get_bytes)}
    tiles[at] = bomb(64)
    for x in range(4):  # the far corner of the world: never in view
        tiles[(z, x, 2**z - 1)] = gzip.compress(noise.randbytes(300_000))
    with target.open("wb") as out:
        writer = Writer(out)
        for zxy in sorted(tiles, key=lambda t: zxy_to_tileid(*t)):
            writer.write_tile(zxy_to_tileid(*zxy), tiles[zxy])
        keys = ("min_lon_e7", "min_lat_e7", "max_lon_e7", "max_lat_e7")
        box = {k: header[k] for k in keys}
        writer.finalize(
            {**box, "tile_type": TileType.MVT, "tile_compression": Compression.GZIP}, meta
        )
    return target


def test_a_bomb_the_sample_misses_is_capped_in_the_browser(tmp_path, browsing):
    """The whole path: `serve --basemap`, the map at the bomb's tile, the browser stops at the
    cap and says so, and the rest of the map is drawn."""
    z = 6
    ((x, y),) = tiles_over((41.4, 34.4, 41.41, 34.41), z)
    archive = _with_a_hidden_bomb(fixture_archive(tmp_path), tmp_path / "bomb.pmtiles", (z, x, y))
    assert inspect_archive(archive).max_zoom == 8  # accepted: the sample misses it
    capped = "a tile unpacks to more than 16000000 bytes"
    with run_server(tmp_path, "--basemap", str(archive)) as server:
        page = browsing.page
        with page.expect_console_message(lambda m: capped in m.text, timeout=90_000):
            frame = open_map(page, f"{server.url}/?c=34.5,41.5&z={z + 1}")
        # the rest of the map is drawn: the town on a tile that is not the bomb
        frame.locator(".leaflet-tile-container canvas").first.wait_for()
        page.screenshot(path=str(tmp_path / "capped.png"))
    assert browsing.guard.offenders == []
