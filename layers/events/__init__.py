"""Analysts' incident data (ACLED CSV, GeoJSON points): import, store, filter, aggregate.

- `schema`, `fields`: the stored columns and how one raw value becomes a typed one;
- `acled`, `geojson`, `batch`: the boundary — streaming readers that validate every row and
  report each problem with file, line (or feature) and column, building a columnar batch;
- `backend`: what any store backend provides (`EventStore`: describe, snapshot, query,
  apply) and the values it answers with (`QueryResult`: counts, histogram, map payload, popup
  rows, a selection for exports); the contract every backend passes is `tests/events/contract`;
- `store`, `manifest`, `datafile`: the GeoParquet backend (atomic writes, a manifest of what
  was imported when, with a schema version; upsert by `event_id_cnty` + `timestamp`);
- `query`: the GeoParquet backend's answers, from one generation's numpy columns (`index`);
- `importer`: read → validate → upsert/delete, with progress and a side file of rejects;
- `attribution`: who imported or deleted (recorded by every backend), and the rule that an
  import may raise the store's marking only when the caller says the person may;
- `index`, `grid`: the in-memory columns a map needs and vectorised filtering under a
  `layers.view.View`; H3 aggregation with location-precision spreading;
- `payload`, `shown`, `export`: what a map draws, the events an export shows, their CSV;
- `layer`, `popup`: the folium element and the escaped popup of a clicked event;
- `synth`: a seeded generator of ACLED-shaped events for tests and benchmarks.

May import numpy, pyarrow, h3, shapely, folium and `layers.*`; never Streamlit.
"""
