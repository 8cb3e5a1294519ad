"""The browser unpacks a served PMTiles archive's tiles itself (protomaps-leaflet, through
DecompressionStream); the map's script bundle caps that output as Python caps its own
(`layers/assets/briefmap-tilecap.js`, `layers/tiles/bounds.py`): a gzip bomb tile errors one
chunk past the cap instead of unpacking whole, and an ordinary tile unpacks exactly."""

from __future__ import annotations

import base64
import gzip
import re

from layers.render.assets import bundle_bytes
from layers.tiles.bounds import MAX_TILE_INFLATED
from tests.archive_bombs import bomb

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
