"""Analysts' incident data (ACLED CSV, GeoJSON points): import, store, filter, aggregate.

- `schema`, `fields`: the stored columns and how one raw value becomes a typed one;
- `acled`, `geojson`, `batch`: the boundary — streaming readers that validate every row and
  report each problem with file, line (or feature) and column, building a columnar batch;
- `store`: the store interface (`EventStore`) and its GeoParquet implementation (atomic
  writes, a manifest of what was imported when, upsert by `event_id_cnty` + `timestamp`);
- `importer`: read → validate → upsert/delete, with progress and a side file of rejects;
- `index`, `grid`: the in-memory columns a map needs and vectorised filtering under a
  `layers.view.View`; H3 aggregation with location-precision spreading;
- `layer`, `popup`: the folium element and the escaped popup of a clicked event;
- `synth`: a seeded generator of ACLED-shaped events for tests and benchmarks.

May import numpy, pyarrow, h3, shapely, folium and `layers.*`; never Streamlit.
"""
