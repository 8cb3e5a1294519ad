"""Offline assets: Leaflet, protomaps-leaflet and briefmap's own JS/CSS, served straight from
where they are installed (a Python package's files, layers/assets/, the vendored npm build) by
briefmap's own route (`layers.routes`, at `/briefmap/static/...`), looked up by name in
`served_assets()`: an allow-list, never a path from the URL joined onto a folder. Nothing is
copied anywhere; the map's script bundle is built in memory (`bundle_bytes`).

folium's defaults load Leaflet, jQuery, Bootstrap, Font Awesome and awesome-markers from CDNs;
briefmap replaces that list with local files only (see `map_js` / `map_css`). The URLs are
absolute because streamlit-folium loads them inside its component iframe, where a relative
URL would resolve against the component's own path.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import xstatic.pkg.leaflet as xleaflet

STATIC_URL = "/briefmap/static"  # served by layers.routes (never Streamlit's /app/static)
_OWN = Path(__file__).resolve().parent.parent / "assets"
# protomaps-leaflet from the npm registry, vendored with its licence (see its README.md)
_PROTOMAPS = _OWN / "vendor" / "protomaps-leaflet"
PROTOMAPS_FILES = ("protomaps-leaflet.js", "LICENSE")


# the basemap's four parts, in order
_BASEMAP_JS = ("labels", "symbols", "schemas", "basemap")


@dataclass(frozen=True)
class Asset:
    source: Path
    target: str  # its name under STATIC_URL

    @property
    def url(self) -> str:
        return f"{STATIC_URL}/{self.target}?v={_digest(self.source)}"


@cache
def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10]


def _leaflet_dir() -> Path:
    return Path(xleaflet.BASE_DIR)


def vendor_assets() -> tuple[Asset, ...]:
    leaflet = _leaflet_dir()
    images = tuple(
        Asset(p, f"vendor/leaflet/images/{p.name}") for p in sorted((leaflet / "images").glob("*"))
    )
    return (
        Asset(leaflet / "leaflet.js", "vendor/leaflet/leaflet.js"),
        Asset(leaflet / "leaflet.css", "vendor/leaflet/leaflet.css"),
        *images,
        *(Asset(_PROTOMAPS / n, f"vendor/protomaps-leaflet/{n}") for n in PROTOMAPS_FILES),
        Asset(_OWN / "briefmap.js", "briefmap/briefmap.js"),
        Asset(_OWN / "briefmap-tilecap.js", "briefmap/briefmap-tilecap.js"),
        *(Asset(_OWN / f"briefmap-{n}.js", f"briefmap/briefmap-{n}.js") for n in _BASEMAP_JS),
        Asset(_OWN / "briefmap.css", "briefmap/briefmap.css"),
        Asset(_OWN / "briefmap-events.js", "briefmap/briefmap-events.js"),
        Asset(_OWN / "briefmap-events.css", "briefmap/briefmap-events.css"),
        *(Asset(p, f"fonts/{p.name}") for p in sorted((_OWN / "fonts").glob("*.ttf"))),
    )


@cache
def served_assets() -> dict[str, Asset]:
    """Every asset the server may send, by its name under STATIC_URL (the allow-list)."""
    return {a.target: a for a in vendor_assets()}


def _by_target(target: str) -> Asset:
    return served_assets()[target]


# The map's scripts in load order, served as one file (`map_js`): streamlit-folium inserts
# each <script src> only after the one before has loaded, so six files were six round trips
# before the map could start. (folium's default jQuery is not loaded: nothing here uses it.)
BUNDLE_TARGET = "briefmap/map-bundle.js"
BUNDLE_PARTS = (
    "vendor/leaflet/leaflet.js",
    "vendor/protomaps-leaflet/protomaps-leaflet.js",
    "briefmap/briefmap-tilecap.js",  # before any map: caps what the browser unpacks
    "briefmap/briefmap.js",
    "briefmap/briefmap-events.js",
    "briefmap/briefmap-labels.js",
    "briefmap/briefmap-symbols.js",
    "briefmap/briefmap-schemas.js",
    "briefmap/briefmap-basemap.js",
)


@cache
def bundle_bytes() -> bytes:
    """The map's scripts joined (each keeps its own licence header), one statement apart."""
    parts = []
    for target in BUNDLE_PARTS:
        parts.append(f"/* ---- {target} ---- */\n".encode())
        parts.append(_by_target(target).source.read_bytes().rstrip() + b"\n;\n")
    return b"".join(parts)


def map_js() -> list[tuple[str, str]]:
    """folium `default_js` for every map: one local file (see BUNDLE_PARTS)."""
    digest = hashlib.sha256(bundle_bytes()).hexdigest()[:10]
    return [("briefmap_map", f"{STATIC_URL}/{BUNDLE_TARGET}?v={digest}")]


def map_css() -> list[tuple[str, str]]:
    return [
        ("leaflet_css", _by_target("vendor/leaflet/leaflet.css").url),
        ("briefmap_css", _by_target("briefmap/briefmap.css").url),
        ("briefmap_events_css", _by_target("briefmap/briefmap-events.css").url),
    ]


def leaflet_image_url() -> str:
    return f"{STATIC_URL}/vendor/leaflet/images/"
