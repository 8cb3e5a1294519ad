"""Static map snapshots: any view or scene drawn to PNG, SVG or PDF without a browser.

Headless, offline and deterministic: matplotlib (Agg, with its own libraqm shaping of Arabic and
the shipped Noto Sans Arabic), pyproj for a projection fitted to the view (a Lambert conformal
conic for a region), shapely geometries from the shipped vector data, `textalloc` for labels
that do not overlap and `matplotlib-scalebar`. Looks come from `layers.render.style` (the map's
own style definition), markings from `layers.marking`.

May import: matplotlib, pyproj, shapely, textalloc, matplotlib_scalebar, Pillow and pmtiles
(a user's raster basemap as the background: `raster`) and `layers` modules that do not draw
in a browser. Never Streamlit, folium or anything that opens a connection.
"""

from layers.snapshot.render import PAGE_SIZES, Snapshot, SnapshotError, render, save

__all__ = ["PAGE_SIZES", "Snapshot", "SnapshotError", "render", "save"]
