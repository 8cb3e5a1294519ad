"""The map as one self-contained HTML file that works with the network off.

Leaflet, protomaps-leaflet, briefmap's JS and CSS, the Arabic font and the basemap's
vector tiles (`basemap.offline_basemap_data`: the world to zoom 4, the region to zoom 7) are all
inlined
(no `src`, no `href`, no `url()` that leaves the file): it can be mailed, copied to a laptop or
opened from a USB stick. One page shows one view, or a walkthrough as a list of scenes with
previous/next buttons (and the arrow keys). Every string from data reaches the page escaped:
popups and labels as escaped HTML, scene titles and points as JSON shown with `textContent`.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium

from layers.events.layer import EventsLayer
from layers.marking import Marking
from layers.model import Citation, Feature, Geodata
from layers.render import assets
from layers.render.basemap import offline_basemap_data
from layers.render.escape import esc
from layers.render.labels import halo_obstacles, label_items, marker_obstacles
from layers.render.leaflet import (
    DataElement,
    FeatureLabels,
    ReportLayer,
    _Rendered,
    base_map,
    feature_collection,
)
from layers.render.legend import legend_html, legend_items, legend_keys
from layers.render.style import highlight_options
from layers.reports.labels import sources_line

Bounds = tuple[float, float, float, float]
_CSS_URL = re.compile(r"""url\((["']?)(?!data:|#)([^)"']+)\1\)""")
_MIME = {".png": "image/png", ".ttf": "font/ttf", ".svg": "image/svg+xml"}


@dataclass(frozen=True)
class Page:
    """One view on the offline map: what to show, where, and the words that go with it."""

    title: str
    points: tuple[str, ...]
    features: tuple[Feature, ...]
    frame: Bounds | None
    highlight: tuple[Feature, ...] = ()
    sources: tuple[Citation, ...] = ()  # what the scene cites itself, beside its features'
    events: dict[str, Any] | None = None  # imported incidents: `layers.events.payload`'s data


def _data_uri(path: Path) -> str:
    mime = _MIME.get(path.suffix, "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _inline_css(path: Path, resolve) -> str:
    """A stylesheet with every url() it needs turned into a data: URI."""
    text = path.read_text(encoding="utf-8")
    return _CSS_URL.sub(lambda m: f'url("{_data_uri(resolve(m.group(2)))}")', text)


def _own_asset(url: str) -> Path:
    """The file behind one of briefmap's served asset URLs (fonts in briefmap.css)."""
    target = url.split(f"{assets.STATIC_URL}/", 1)[-1].split("?", 1)[0]
    return assets.served_assets()[target].source


def inline_assets() -> str:
    """Leaflet, protomaps-leaflet and briefmap's JS/CSS as inline <style>/<script> blocks."""
    by_target = {name: a.source for name, a in assets.served_assets().items()}
    leaflet_css = by_target["vendor/leaflet/leaflet.css"]
    css = [
        _inline_css(leaflet_css, lambda rel: leaflet_css.parent / rel),
        _inline_css(by_target["briefmap/briefmap.css"], _own_asset),
        _inline_css(by_target["briefmap/briefmap-events.css"], _own_asset),
        OFFLINE_CSS,
    ]
    # the map's one script bundle (what the dashboard serves), safe inside <script>
    script = assets.bundle_bytes().decode("utf-8").replace("</script", "<\\/script")
    return "".join(f"<style>{c}</style>" for c in css) + f"<script>{script}</script>"


OFFLINE_CSS = """
html, body { margin: 0; height: 100%; font-family: "DejaVu Sans", "bm-arabic", sans-serif; }
.bm-banner { position: fixed; left: 0; right: 0; height: 24px; line-height: 24px; z-index: 2000;
  text-align: center; font: bold 14px/24px "DejaVu Sans", sans-serif; letter-spacing: 0.05em; }
.bm-banner-top { top: 0; } .bm-banner-bottom { bottom: 0; }
.bm-head { position: fixed; top: 24px; left: 0; right: 0; height: 54px; padding: 4px 14px;
  box-sizing: border-box; background: #fff; z-index: 1500; border-bottom: 1px solid #ccc; }
.bm-head h1 { font-size: 20px; margin: 0; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.bm-head .bm-meta { font-size: 12px; color: #555; }
.bm-scenes { position: fixed; top: 88px; right: 10px; z-index: 1500; width: 330px; max-height: 60%;
  overflow: auto; background: rgba(255,255,255,0.94); border: 1px solid #bbb;
  border-radius: 4px; padding: 8px 10px; font-size: 14px; }
.bm-scenes ul { margin: 4px 0; padding-inline-start: 18px; }
.bm-scenes button { font-size: 14px; margin: 2px; }
.bm-legend { position: fixed; bottom: 46px; right: 10px; z-index: 1500; max-width: 420px;
  background: rgba(255,255,255,0.94); border: 1px solid #bbb; border-radius: 4px;
  padding: 6px 10px; font-size: 12px; }
.bm-legend ul { list-style: none; margin: 0; padding: 0; }
.bm-legend .bm-swatches svg { vertical-align: middle; }
.bm-legend-keys { color: #444; font-size: 11px; }
.bm-scene-sources { color: #444; font-size: 11px; margin-top: 6px; }
/* the incidents' legend (a map control) clear of the page's legend, above the scale bar */
.bm-events-legend { position: fixed; left: 10px; bottom: 64px; z-index: 1500; }
"""

PAGE_SCRIPT = """
document.addEventListener("DOMContentLoaded", function () {  /* after the map's own script */
  var pages = %(pages)s, map = %(map)s, at = 0;
  var box = document.getElementById("bm-scenes");
  function show(i) {
    at = Math.max(0, Math.min(pages.length - 1, i));
    pages.forEach(function (p, k) {
      var g = window[p.group];
      if (k === at) { if (!map.hasLayer(g)) { map.addLayer(g); } }
      else if (map.hasLayer(g)) { map.removeLayer(g); }
    });
    var p = pages[at];
    box.querySelector(".bm-scene-title").textContent = p.title;
    box.querySelector(".bm-scene-count").textContent = p.counter;
    var ul = box.querySelector("ul"); ul.textContent = "";
    p.points.forEach(function (t) { var li = document.createElement("li"); li.textContent = t;
      ul.appendChild(li); });
    box.querySelector(".bm-scene-sources").textContent = p.sources;
    /* the page's own legend: markup built and escaped by layers.render.legend */
    document.getElementById("bm-legend-box").innerHTML = p.legend;
    document.body.setAttribute("data-scene", String(at + 1));
  }
  box.querySelector(".bm-prev").addEventListener("click", function () { show(at - 1); });
  box.querySelector(".bm-next").addEventListener("click", function () { show(at + 1); });
  document.addEventListener("keydown", function (e) {
    if (e.key === "ArrowRight" || e.key === "PageDown") { show(at + 1); }
    if (e.key === "ArrowLeft" || e.key === "PageUp") { show(at - 1); }
  });
  window.briefmapPages = { show: show, pages: pages, map: map };
  show(0);
});
"""


def page_sources(page: Page, geodata: Geodata, lang: str) -> str:
    """What a page cites, worded as every citation is (`layers.reports.labels`)."""
    citations = dict.fromkeys([*page.sources, *(c for f in page.features for c in f.sources)])
    refs = dict.fromkeys(r for f in page.features for r in f.references)
    known = [geodata.references[r] for r in refs if r in geodata.references]
    return sources_line(citations, known, geodata.reports, lang)


def _json(value: object) -> str:
    """JSON safe inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _page_group(i: int, page: Page, geodata: Geodata, lang: str) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=f"scene-{i + 1}", control=False, show=False)
    ReportLayer(feature_collection(page.features, geodata, lang)).add_to(group)
    lit = {f.id for f in page.highlight}
    labels = label_items([*page.features, *page.highlight], lang, highlight=lit)
    obstacles = marker_obstacles(page.features, geodata) + halo_obstacles(page.highlight)
    FeatureLabels(labels, obstacles).add_to(group)  # named like the live map, same priorities
    if page.events is not None:  # drawn by briefmap-events.js, as on the live map
        EventsLayer(page.events).add_to(group)
    if page.highlight:
        halo = {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {"id": f.id},
                 "geometry": feature_collection([f], geodata, lang)["features"][0]["geometry"]}
                for f in page.highlight
            ],
        }  # fmt: skip
        _Halo(halo).add_to(group)
    if page.frame:
        _Fit({"bounds": list(page.frame), "max_zoom": 9}).add_to(group)
    return group


class _Halo(DataElement):
    _template = folium.template.Template(
        """
        {% macro script(this, kwargs) %}
        briefmap.highlight({{ this.data|tojson }}, {{ this.options|tojson }})
            .addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, data):
        super().__init__()
        self._name = "Halo"
        self.data, self.options = data, highlight_options()


class _Fit(DataElement):
    """Fit the map to a page's frame each time the page is shown, as closely as a tenth of a
    zoom level allows."""

    _template = folium.template.Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.on("add", function () {
            var b = {{ this.target|tojson }}.bounds, map = this._map;
            /* the frame as exported: zoom in tenths (whole zooms showed up to twice the
               frame), a thin margin */
            map.options.zoomSnap = 0.1;
            map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { padding: [8, 8], maxZoom: 9 });
        });
        {% endmacro %}
        """
    )

    def __init__(self, target):
        super().__init__()
        self._name = "Fit"
        self.target = target


def offline_html(
    pages: Sequence[Page],
    geodata: Geodata,
    lang: str,
    *,
    title: str,
    marking: Marking,
    meta: str = "",
    basemap: Path | None = None,
) -> str:
    """One HTML file: banner, title block, the map with every page's layers, the scene panel
    (when there is more than one page) and the legend of what the page shown draws."""
    m = base_map(lang=lang, basemap_data=offline_basemap_data(basemap))
    m.default_js, m.default_css = [], []
    groups = [_page_group(i, p, geodata, lang) for i, p in enumerate(pages)]
    for g in groups:
        g.add_to(m)
    root = m.get_root()
    root.header.add_child(_Rendered(inline_assets()), name="briefmap_inline")
    legends = [_legend(p, geodata, lang) for p in pages]
    counter = "المشهد {n} من {total}" if lang == "ar" else "Scene {n} of {total}"
    data = [
        {
            "group": g.get_name(),
            "title": p.title,
            "points": list(p.points),
            "counter": counter.format(n=i + 1, total=len(pages)) if len(pages) > 1 else "",
            "sources": page_sources(p, geodata, lang),
            "legend": legend,
            "frame": list(p.frame) if p.frame else None,
        }
        for i, (g, p, legend) in enumerate(zip(groups, pages, legends, strict=True))
    ]
    page_markup = _page_markup(lang, title, meta, marking, legends[0], several=len(pages) > 1)
    root.html.add_child(_Rendered(page_markup), name="briefmap_page")
    root.header.add_child(
        _Rendered(
            f"<style>#{m.get_name()} {{ position: absolute !important; top: 78px !important; "
            "bottom: 24px !important; height: auto !important; }</style>"
        ),
        name="briefmap_layout",
    )
    script = PAGE_SCRIPT % {"pages": _json(data), "map": m.get_name()}
    root.script.add_child(_Rendered(script), name="briefmap_pages")
    html = root.render()
    return html.replace("<html>", f'<html lang="{lang}">', 1)


def _legend(page: Page, geodata: Geodata, lang: str) -> str:
    """The legend of what one page draws (each layer once)."""
    unique = list({f.id: f for f in page.features}.values())
    return legend_html(legend_items(unique, geodata, lang), legend_keys(unique, lang), lang)


def _page_markup(
    lang: str, title: str, meta: str, marking: Marking, legend: str, several: bool
) -> str:
    """Banners, title block, the scene panel (its buttons only for several pages), legend."""
    direction = "rtl" if lang == "ar" else "ltr"
    nav = "" if several else ' style="display:none"'
    prev, nxt = ("السابق", "التالي") if lang == "ar" else ("Previous", "Next")
    banner = f'style="background:{esc(marking.background)};color:{esc(marking.foreground)}"'
    return (
        f'<div class="bm-banner bm-banner-top" {banner}>{esc(marking.label)}</div>'
        f'<div class="bm-head" dir="{direction}" lang="{lang}"><h1>{esc(title)}</h1>'
        f'<div class="bm-meta">{esc(meta)}</div></div>'
        f'<div id="bm-scenes" class="bm-scenes" dir="{direction}" lang="{lang}">'
        f'<div{nav}><button class="bm-prev" type="button">{prev}</button>'
        f'<button class="bm-next" type="button">{nxt}</button> '
        f'<span class="bm-scene-count"></span></div>'
        f'<strong class="bm-scene-title"></strong><ul></ul>'
        f'<div class="bm-scene-sources"></div></div>'
        f'<div id="bm-legend-box" dir="{direction}">{legend}</div>'
        f'<div class="bm-banner bm-banner-bottom" {banner}>{esc(marking.label)}</div>'
    )
