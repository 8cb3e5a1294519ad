"""World country outlines, by ISO 3166-1 numeric code (ACLED's `iso`): where an imported
event's point may be judged against the country it names. Natural Earth 1:50m (public
domain) via the npm package `world-atlas` 2.0.2, rounded to 0.01°
(`geodata/reference/README.md`). Loaded once, on first use; a country without an outline
(a code we do not know, or 0) is never judged."""

from __future__ import annotations

import json
from functools import lru_cache

import shapely
from shapely.prepared import prep

from layers.paths import PROJECT_ROOT

OUTLINES = PROJECT_ROOT / "geodata" / "reference" / "world-countries-50m.geojson"
NEAR_DEG = 1.0  # a given point this close to its country is on its ground (coasts, borders)
IN_DEG = 0.1  # an exchanged point must lie this close to be in the country


class _Country:
    __slots__ = ("near", "inside", "name")

    def __init__(self, geometry, name: str):
        shape = shapely.make_valid(geometry)
        self.near = _Zone(shape, NEAR_DEG)
        self.inside = _Zone(shape, IN_DEG)
        self.name = name


class _Zone:
    """A country's outline grown by a margin, with its box for a quick no."""

    __slots__ = ("box", "shape")

    def __init__(self, shape, margin: float):
        w, s, e, n = shape.bounds
        self.box = (w - margin, s - margin, e + margin, n + margin)
        self.shape = prep(shape.buffer(margin, quad_segs=2))

    def holds(self, lat: float, lon: float) -> bool:
        w, s, e, n = self.box
        if not (w <= lon <= e and s <= lat <= n):
            return False
        return self.shape.contains(shapely.Point(lon, lat))


@lru_cache(maxsize=1)
def _outlines() -> dict[int, tuple]:
    data = json.loads(OUTLINES.read_text(encoding="utf-8"))
    return {
        int(f["properties"]["iso_n3"]): (f["geometry"], f["properties"]["name"])
        for f in data["features"]
    }


@lru_cache(maxsize=1024)
def _country(iso: int) -> _Country | None:
    entry = _outlines().get(iso) if iso else None
    if entry is None:
        return None
    return _Country(shapely.geometry.shape(entry[0]), entry[1])


def known(iso: int) -> bool:
    """True when briefmap has an outline for this ISO numeric code."""
    return bool(iso) and iso in _outlines()


def swapped(lat: float, lon: float, iso: int) -> bool:
    """True only when the point lies well outside its country (NEAR_DEG) and the point with
    latitude and longitude exchanged lies in it: the sign of swapped columns. A country we
    have no outline for is never judged."""
    if lat == lon or not -90 <= lon <= 90:
        return False
    return not _near(iso, round(lat, 1), round(lon, 1)) and _inside(iso, lon, lat)


@lru_cache(maxsize=65_536)
def _near(iso: int, lat: float, lon: float) -> bool:
    """On a 0.1° grid (events cluster; the margin is 1°): True for an unknown country."""
    country = _country(iso)
    return country is None or country.near.holds(lat, lon)


def _inside(iso: int, lat: float, lon: float) -> bool:
    country = _country(iso)
    return country is not None and country.inside.holds(lat, lon)
