"""A Lambert conformal conic fitted to the view, so distances on the page are true.

Standard parallels at 1/6 and 5/6 of the frame's latitude span keep the scale error under a
fraction of a percent across a region the size of Iraq and Syria (Web Mercator is off by up to
~16 % between 28° and 40°N). The central meridian runs through the middle of the frame, so north
is straight up there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer
from shapely.geometry import LineString, Polygon, box
from shapely.geometry.base import BaseGeometry

Bounds = tuple[float, float, float, float]  # west, south, east, north (degrees)
GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class Projection:
    lat_1: float
    lat_2: float
    lat_0: float
    lon_0: float

    @classmethod
    def fitted(cls, frame: Bounds) -> Projection:
        w, s, e, n = frame
        span = n - s
        return cls(
            round(s + span / 6, 2),
            round(n - span / 6, 2),
            round((s + n) / 2, 2),
            round((w + e) / 2, 2),
        )

    @cached_property
    def crs(self) -> CRS:
        return CRS.from_proj4(
            f"+proj=lcc +lat_1={self.lat_1} +lat_2={self.lat_2} +lat_0={self.lat_0} "
            f"+lon_0={self.lon_0} +x_0=0 +y_0=0 +ellps=WGS84 +datum=WGS84 +units=m +no_defs"
        )

    @cached_property
    def _forward(self) -> Transformer:
        return Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)

    @cached_property
    def _inverse(self) -> Transformer:
        return Transformer.from_crs(self.crs, "EPSG:4326", always_xy=True)

    def project(self, geom: BaseGeometry) -> BaseGeometry:
        return shapely.transform(geom, self._xy, interleaved=False)

    def unproject(self, geom: BaseGeometry) -> BaseGeometry:
        return shapely.transform(geom, self._lonlat, interleaved=False)

    def _lonlat(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self._inverse.transform(x, y)

    def _xy(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self._forward.transform(x, y)

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = self._forward.transform(lon, lat)
        return float(x), float(y)

    def points(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Many points at once (arrays of longitudes and latitudes)."""
        x, y = self._forward.transform(np.asarray(lon), np.asarray(lat))
        return np.asarray(x), np.asarray(y)

    def lonlat(self, x: float, y: float) -> tuple[float, float]:
        lon, lat = self._inverse.transform(x, y)
        return float(lon), float(lat)

    def box_of(self, frame: Bounds, steps: int = 64) -> Polygon:
        """The frame (a lon/lat box) as a projected polygon, edges densified."""
        return Polygon(self.project(_dense_box(frame, steps)).exterior)

    def north_angle(self, x: float, y: float) -> float:
        """Angle (degrees, counter-clockwise from the page's up) of true north at (x, y)."""
        lon, lat = self.lonlat(x, y)
        x2, y2 = self.point(lon, lat + 0.05)
        return math.degrees(math.atan2(-(x2 - x), y2 - y))

    def describe(self, lang: str) -> str:
        if lang == "ar":
            return (
                f"WGS 84 / مخروطي لامبرت المطابق: المتوازيان القياسيان {self.lat_1}° و"
                f"{self.lat_2}° شمالاً، خط الطول المركزي {self.lon_0}° شرقاً"
            )
        return (
            f"WGS 84 / Lambert conformal conic: standard parallels {self.lat_1}° and "
            f"{self.lat_2}°N, central meridian {self.lon_0}°E"
        )


def _dense_box(frame: Bounds, steps: int) -> Polygon:
    w, s, e, n = frame
    xs = np.linspace(w, e, steps)
    ys = np.linspace(s, n, steps)
    ring = (
        [(x, s) for x in xs]
        + [(e, y) for y in ys[1:]]
        + [(x, n) for x in xs[::-1][1:]]
        + [(w, y) for y in ys[::-1][1:]]
    )
    return Polygon(ring)


def fit_to_aspect(
    proj: Projection, frame: Bounds, aspect: float, pad: float = 0.04
) -> tuple[float, float, float, float]:
    """Projected (xmin, ymin, xmax, ymax) holding the whole frame with `pad` around it, widened
    in one direction to the map box's aspect (width / height)."""
    xmin, ymin, xmax, ymax = proj.box_of(frame).bounds
    w, h = (xmax - xmin) * (1 + 2 * pad), (ymax - ymin) * (1 + 2 * pad)
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def geodesic_circle(lon: float, lat: float, radius_m: float, steps: int = 72) -> Polygon:
    """A circle of `radius_m` on the WGS 84 ellipsoid, as a lon/lat polygon."""
    az = np.linspace(0, 360, steps, endpoint=False)
    lons, lats, _ = GEOD.fwd(np.full(steps, lon), np.full(steps, lat), az, np.full(steps, radius_m))
    return Polygon(zip(lons, lats, strict=True))


def graticule_step(frame: Bounds) -> float:
    span = max(frame[2] - frame[0], frame[3] - frame[1])
    for step in (0.5, 1, 2, 5, 10):
        if span / step <= 8:
            return step
    return 20


def graticule(
    proj: Projection, extent: Bounds, frame: Bounds
) -> list[tuple[str, float, LineString]]:
    """Meridians and parallels crossing the map box, projected: (kind, degrees, line)."""
    xmin, ymin, xmax, ymax = extent
    corners = [proj.lonlat(x, y) for x in (xmin, xmax) for y in (ymin, ymax)]
    mid = [proj.lonlat((xmin + xmax) / 2, y) for y in (ymin, ymax)]
    lons = [c[0] for c in corners]
    lats = [c[1] for c in corners + mid]
    step = graticule_step(frame)
    out = []
    lo, hi = math.floor(min(lons) / step) * step, math.ceil(max(lons) / step) * step
    la, ha = math.floor(min(lats) / step) * step, math.ceil(max(lats) / step) * step
    for lon in np.arange(lo, hi + step / 2, step):
        line = LineString([(lon, lat) for lat in np.linspace(la, ha, 60)])
        out.append(("lon", float(lon), proj.project(line)))
    for lat in np.arange(la, ha + step / 2, step):
        line = LineString([(lon, lat) for lon in np.linspace(lo, hi, 120)])
        out.append(("lat", float(lat), proj.project(line)))
    view = box(*extent)
    return [(k, v, g) for k, v, g in out if g.intersects(view)]
