"""Two checks of a feature's location against what it says about itself.

- `foreign_km`: how far a line runs inside countries it is not about. The countries a line is
  about are those its coord_source names (`countries(…)`, `border(…)`, `tripoint(…)`) and
  those its vertices lie in (each vertex is a named place, so the line implies them). A line
  drawn straight between two Turkish towns that cuts the corner of Syria is about Iraq and
  Turkey, not Syria: its run through Syria is reported. Runs within `BORDER_KM` of a border
  are not counted (lines along a boundary, vertices on a crossing).
- `stated_error_km`: the error a location note states ("accurate to a few tens of
  kilometres", "may lie up to about 2 km away", «عشرات الكيلومترات»), to compare with the
  bound of the feature's precision (`NOTE_BOUND_KM`). Lengths and widths ("about 600 km",
  "a 30 km belt") are not errors and are not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from layers.locations.derive import local_transformers, transform_geometry
from layers.model import Precision

BORDER_KM = 1.0
_CODES = re.compile(r"\b(?:countries|border|tripoint)\(([A-Z]{3}(?:\s*,\s*[A-Z]{3})*)\)")

# The largest error a note may state for each precision. Notional geometry is a concept drawn
# for orientation, not a position (layers.model.Precision), so no stated error contradicts it;
# layers.model.PRECISION_KM is a different bound: how far a geometry may lie from its recipe.
NOTE_BOUND_KM = {
    Precision.EXACT: 0.1,
    Precision.APPROXIMATE: 2.0,
    Precision.REGION: 10.0,
    Precision.NOTIONAL: float("inf"),
}


def named_countries(coord_source: str) -> set[str]:
    """ISO codes a coord_source names in countries(…), border(…) or tripoint(…)."""
    return {c.strip() for group in _CODES.findall(coord_source) for c in group.split(",")}


def _vertices(geom: BaseGeometry) -> Iterable[Point]:
    parts = getattr(geom, "geoms", [geom])
    for part in parts:
        yield from (Point(c) for c in part.coords)


def implied_countries(
    geom: BaseGeometry, coord_source: str, countries: Mapping[str, BaseGeometry]
) -> set[str]:
    """The countries a line is about: named by its coord_source or holding one of its vertices
    (the nearest country for a vertex on or just off a border)."""
    codes = named_countries(coord_source)
    for v in _vertices(geom):
        codes.add(min(countries, key=lambda code: countries[code].distance(v)))
    return codes


def foreign_km(
    geom: BaseGeometry, about: set[str], countries: Mapping[str, BaseGeometry]
) -> dict[str, float]:
    """Kilometres of the line inside each country it is not about, deeper than BORDER_KM."""
    to_local, _ = local_transformers(geom)
    line = transform_geometry(to_local, geom)
    out = {}
    for code, shape in countries.items():
        if code in about or not shape.intersects(geom.envelope.buffer(0.5)):
            continue
        inside = line.intersection(transform_geometry(to_local, shape).buffer(-BORDER_KM * 1000))
        if not inside.is_empty and inside.length > 0:
            out[code] = inside.length / 1000
    return out


_FEW_TENS = r"(?:a few tens of|tens of)"
_FEW = r"(?:a few|several)"
_EN = re.compile(
    r"(?:accurate to|within|off by|up to|lie up to|away by)\s+(?:about\s+|some\s+|roughly\s+)?"
    rf"({_FEW_TENS}|{_FEW}|\d+(?:\.\d+)?)\s*(?:km|kilomet(?:re|er)s?)\b",
    re.IGNORECASE,
)
_AR_TENS = re.compile(r"عشرات\s+(?:ال)?كيلومترات")
_AR_FEW = re.compile(r"(?:كيلومترات قليلة|بضعة كيلومترات)")
_AR_NUMBER = re.compile(r"(?:دقته|يبعد|يبتعد)[^.؛،]{0,40}?(\d+(?:\.\d+)?)\s*كيلومتر")
_AR_TWO = re.compile(r"(?:دقته|يبعد|يبتعد)[^.؛،]{0,40}?كيلومترين")


def _amount(word: str) -> float:
    low = word.lower()
    if re.fullmatch(_FEW_TENS, low):
        return 20.0  # the least "tens of kilometres" can mean
    if re.fullmatch(_FEW, low):
        return 3.0  # the least "a few kilometres" can mean
    return float(word)


def stated_error_km(*notes: str | None) -> float | None:
    """The largest error any of the notes states, in km; None if none states one."""
    found: list[float] = []
    for note in notes:
        if not note:
            continue
        found += [_amount(m) for m in _EN.findall(note)]
        found += [20.0] * len(_AR_TENS.findall(note))
        found += [3.0] * len(_AR_FEW.findall(note))
        found += [float(m) for m in _AR_NUMBER.findall(note)]
        found += [2.0] * len(_AR_TWO.findall(note))
    return max(found) if found else None


def contradicts(precision: Precision, *notes: str | None) -> float | None:
    """The error the notes state if it exceeds what `precision` allows, else None."""
    km = stated_error_km(*notes)
    return km if km is not None and km > NOTE_BOUND_KM[precision] else None
