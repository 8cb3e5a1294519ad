"""The view: what the map, the exports, a link and a walkthrough scene show.

One place declares every filter (`filters.FILTERS`, the shape in `spec.FilterSpec`): its link
key, walkthrough key, export option, words in both languages, sidebar state and predicate on
each engine (pandas feature table, numpy event index). The rest of this package only iterates
that table:

- `value`: `Filter` (what is shown), `Frame` (language, centre, zoom, highlight) and `View`
  (the two read as one, which most callers use);
- `url`: a view as a link's query and back; `scene`: as a walkthrough scene's `view:`;
  `options`: as `briefmap export` options; `widgets`: as the sidebar's widget values;
  `words`: in plain words ("Kata'ib Hezbollah, 2013 – 2025");
- `arrays`: the numpy predicates an `EventIndex` is filtered with.

May import: `layers.model`, `layers.table`, `layers.dates`, `layers.i18n` and the standard
numeric libraries; `layers.boundary.problems` only when a message is built (the boundary
imports this package). Never `layers.events` (it imports this package), Streamlit or
`dashboard`.
"""

from layers.view._query import params_get
from layers.view.filters import DATE_RANGE
from layers.view.value import LANGS, Filter, Frame, View

__all__ = ["DATE_RANGE", "LANGS", "Filter", "Frame", "View", "params_get"]
