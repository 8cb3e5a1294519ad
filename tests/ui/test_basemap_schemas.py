"""A user's basemap in each schema briefmap reads, served with `briefmap serve --basemap` and
looked at in Chromium (archives built by tests/schema_archives.py): Protomaps v4 and v3
(PMTiles), OpenMapTiles (MBTiles) and raster (PNG MBTiles). The road is painted in our road
colour (or the archive's images are drawn), the town is named in English and in Arabic from
the archive's own names (a raster map keeps the report labels), and nothing is requested off
the machine (the `browsing` fixture's guard fails the test on any such request)."""

from __future__ import annotations

import json

import pytest

from tests.schema_archives import NAMES, RASTER_RGB, raster_mbtiles, vector_archive
from tests.ui.harness import open_map, run_server, wait_until
from tests.ui.test_cartography import settled_labels
from tests.ui.test_offline_html import _export, _set_view, offline_page  # noqa: F401 - fixture

pytestmark = pytest.mark.browser
ARCHIVES = {
    "protomaps-v4": lambda tmp: vector_archive(tmp, "protomaps-v4"),
    "protomaps-v3": lambda tmp: vector_archive(tmp, "protomaps-v3"),
    "openmaptiles": lambda tmp: vector_archive(tmp, "openmaptiles", ".mbtiles"),
    "raster": lambda tmp: raster_mbtiles(tmp / "raster.mbtiles"),
}
# the colours in a 9x9 box of the basemap's own canvas (not the labels') around a point
PIXELS = """([lat, lon]) => { const el = document.querySelector('.leaflet-container');
  const m = window.map, p = m.latLngToContainerPoint([lat, lon]), o = el.getBoundingClientRect();
  const hit = Array.from(el.querySelectorAll('.leaflet-tile-pane canvas.leaflet-tile')).find(c => {
    const r = c.getBoundingClientRect();
    return r.width > 0 && p.x + o.left >= r.left && p.x + o.left < r.right &&
           p.y + o.top >= r.top && p.y + o.top < r.bottom; });
  if (!hit) return "[]";
  const r = hit.getBoundingClientRect(), k = hit.width / r.width;
  const d = hit.getContext('2d').getImageData(Math.round((p.x + o.left - r.left) * k) - 4,
      Math.round((p.y + o.top - r.top) * k) - 4, 9, 9).data;
  const colours = new Set();
  for (let i = 0; i < d.length; i += 4) colours.add([d[i], d[i+1], d[i+2]].join());
  return JSON.stringify(Array.from(colours)); }"""
ON_ROAD = (34.5, 41.0)  # the fixture road runs from (33 N, 39 E) to (36 N, 43 E)


@pytest.fixture(scope="module", params=list(ARCHIVES))
def schema_server(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(request.param)
    archive = ARCHIVES[request.param](root)
    with run_server(root, "--basemap", str(archive)) as server:
        yield request.param, server


def _pixels(container) -> set[tuple[int, ...]]:
    raw = json.loads(container.evaluate(f"() => ({PIXELS})({list(ON_ROAD)})"))
    return {tuple(map(int, c.split(","))) for c in raw}


def _colours(frame) -> set[tuple[int, ...]]:
    """Polled until painted: a tile is in the DOM before its picture is painted."""
    container = frame.locator(".leaflet-container")
    found = wait_until(lambda: (c := _pixels(container)) and (len(c) > 1 or RASTER_RGB in c) and c)
    return found or _pixels(container)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_each_schema_is_drawn_and_named(schema_server, browsing, lang):
    schema, server = schema_server
    page = browsing.page
    frame = open_map(page, f"{server.url}/?c=34.5,41.5&z=8&lang={lang}")
    texts = {lab["text"] for lab in settled_labels(page, frame, minimum=1)}
    colours = _colours(frame)
    if schema == "raster":
        assert RASTER_RGB in colours, colours  # the archive's image, drawn as it is
        assert frame.locator("canvas.bm-raster-tile[data-bm-tile]").count() > 0
        report = "Albu Kamal" if lang == "en" else "البوكمال"
        assert report in texts, texts  # report labels on top of the picture
    else:
        # the highway colour (#e3a857), anti-aliased over the land: a warm pixel on the road
        assert any(r - b > 60 for r, _g, b in colours), colours
        english, arabic = NAMES[schema]
        assert (english if lang == "en" else arabic) in texts, texts
    credit = frame.locator(".leaflet-control-attribution").inner_text()
    assert "OpenStreetMap contributors" in credit


OFFLINE_MAP = (
    "() => { window.map = window[Object.keys(window).find(k => /^map_[0-9a-f]+$/.test(k))];"
)


@pytest.mark.parametrize("schema", ["openmaptiles", "raster"])
def test_the_offline_page_draws_a_users_archive(tmp_path, offline_page, schema):  # noqa: F811
    """`export --format html --basemap FILE`: the archive's tiles inlined and drawn with no
    server and no network (the page is served by the test; any other request fails it)."""
    archive = ARCHIVES[schema](tmp_path)
    page, _guard, _errors = offline_page(_export(tmp_path, "--basemap", str(archive)))
    _set_view(page, 34.5, 41.5, 8)  # once the page's own opening move is done
    page.evaluate(OFFLINE_MAP + " }")
    container = page.locator(".leaflet-container")

    def painted() -> bool:
        found = _pixels(container)
        return RASTER_RGB in found or any(r - b > 60 for r, _g, b in found)

    wait_until(painted)  # polled until painted; the asserts below say what was wrong
    found = _pixels(container)
    placed = "() => briefmap.placedLabels(window.map).map(l => l.text)"
    wait_until(lambda: NAMES.get(schema, ("Albu Kamal",))[0] in page.evaluate(placed))
    texts = set(page.evaluate(placed))
    if schema == "raster":
        assert RASTER_RGB in found, found
        assert "Albu Kamal" in texts, texts
    else:
        assert any(r - b > 60 for r, _g, b in found), found
        assert NAMES[schema][0] in texts, texts
