"""Features as a table: the one shape every filter works on.

Report features become a small pandas DataFrame here; imported incident data (ACLED-style, to
come) will arrive as a table with the same columns, so `View.mask` filters both.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from layers.model import Feature, Geodata

COLUMNS = (
    "id",
    "layer",
    "kind",
    "type",
    "actors",
    "date_start",
    "date_end",
    "minx",
    "miny",
    "maxx",
    "maxy",
)


def feature_type(feature: Feature) -> str:
    """The type a filter sees: the incident type where there is one, else the feature kind."""
    return feature.incident_type or feature.kind


@lru_cache(maxsize=8)
def feature_table(geodata: Geodata) -> pd.DataFrame:
    rows = []
    for f in geodata.features:
        minx, miny, maxx, maxy = f.geometry.bounds
        rows.append(
            {
                "id": f.id,
                "layer": f.layer,
                "kind": f.kind,
                "type": feature_type(f),
                "actors": frozenset(f.actors),
                "date_start": pd.Timestamp(f.date.start) if f.date and f.date.start else pd.NaT,
                "date_end": pd.Timestamp(f.date.end) if f.date and f.date.end else pd.NaT,
                "minx": minx,
                "miny": miny,
                "maxx": maxx,
                "maxy": maxy,
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS))
