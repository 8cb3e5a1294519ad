"""The map projection of a snapshot, chosen for its frame so distances on the page are true.

A regional frame gets a Lambert conformal conic: standard parallels at 1/6 and 5/6 of the frame's
latitude span keep the scale error under a fraction of a percent across a region the size of
Iraq and Syria (Web Mercator is off by up to ~16 % between 28° and 40°N), and the central
meridian runs through the middle of the frame, so north is straight up there. A conic needs both
parallels on one side of the equator (symmetric ones make no cone at all), so a frame on or
near the equator gets a Mercator true at its middle latitude, and a frame wider than a region
(a continent, the world) gets Equal Earth, whose edges are the world's. The projection note
under the map names the one used. Frames are clamped to the world (-180..180, -90..90) first.
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
WIDE_LON, WIDE_LAT = 90.0, 60.0  # a frame wider or taller (degrees) is not a region: Equal Earth
_LCC, _MERCATOR, _EQUAL_EARTH = "lcc", "merc", "eqearth"


def clamp_frame(frame: Bounds) -> Bounds:
    """The frame inside the world: a view framed by centre and zoom can reach past the poles
    or the antimeridian (zoom 1 spans 400° of longitude), which no projection here draws."""
    w, s, e, n = frame
    w, e = max(-180.0, min(w, e)), min(180.0, max(w, e))
    s, n = max(-90.0, min(s, n)), min(90.0, max(s, n))
    return (w, s, e, n)


@dataclass(frozen=True)
class Projection:
    lat_1: float
    lat_2: float
    lat_0: float
    lon_0: float
    kind: str = _LCC

    @classmethod
    def fitted(cls, frame: Bounds) -> Projection:
        w, s, e, n = clamp_frame(frame)
        span = n - s
        if e - w > WIDE_LON or span > WIDE_LAT:
            return cls(0.0, 0.0, 0.0, 0.0, _EQUAL_EARTH)
        lat_1, lat_2 = round(s + span / 6, 2), round(n - span / 6, 2)
        lat_0, lon_0 = round((s + n) / 2, 2), round((w + e) / 2, 2)
        if lat_1 * lat_2 <= 0:  # a parallel on or across the equator: no cone
            return cls(lat_0, lat_0, 0.0, lon_0, _MERCATOR)
        return cls(lat_1, lat_2, lat_0, lon_0)

    @cached_property
    def crs(self) -> CRS:
        ellps = "+x_0=0 +y_0=0 +ellps=WGS84 +datum=WGS84 +units=m +no_defs"
        if self.kind == _EQUAL_EARTH:
            return CRS.from_proj4(f"+proj=eqearth +lon_0={self.lon_0} {ellps}")
        if self.kind == _MERCATOR:
            return CRS.from_proj4(f"+proj=merc +lat_ts={self.lat_1} +lon_0={self.lon_0} {ellps}")
        return CRS.from_proj4(
            f"+proj=lcc +lat_1={self.lat_1} +lat_2={self.lat_2} +lat_0={self.lat_0} "
            f"+lon_0={self.lon_0} {ellps}"
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
        step = 0.05 if lat < 89.9 else -0.05  # towards the pole, or back from it
        x2, y2 = self.point(lon, lat + step)
        dx, dy = (x2 - x, y2 - y) if step > 0 else (x - x2, y - y2)
        if not (math.isfinite(dx) and math.isfinite(dy)) or dx == dy == 0:
            return 0.0
        return math.degrees(math.atan2(-dx, dy))

    def describe(self, lang: str) -> str:
        """The projection note under the map: which projection, and its parameters."""
        meridian = degrees(self.lon_0, "EW", lang)
        if self.kind == _EQUAL_EARTH:
            if lang == "ar":
                return "WGS 84 / إسقاط الأرض المتساوية (متساوي المساحات؛ يتغير المقياس عبر الخريطة)"
            return "WGS 84 / Equal Earth (equal-area; the scale varies across the map)"
        true_at = degrees(self.lat_1, "NS", lang)
        if self.kind == _MERCATOR:
            if lang == "ar":
                return f"WGS 84 / مركاتور: المقياس صحيح عند {true_at}، خط الطول المركزي {meridian}"
            return f"WGS 84 / Mercator: true scale at {true_at}, central meridian {meridian}"
        second = degrees(self.lat_2, "NS", lang)
        if lang == "ar":
            return (
                f"WGS 84 / مخروطي لامبرت المطابق: المتوازيان القياسيان {true_at} و"
                f"{second}، خط الطول المركزي {meridian}"
            )
        return (
            f"WGS 84 / Lambert conformal conic: standard parallels {true_at} and "
            f"{second}, central meridian {meridian}"
        )


def degrees(value: float, hemispheres: str, lang: str = "en") -> str:
    """12.5 -> '12.5°N' (or شمالاً in Arabic); the sign becomes the hemisphere."""
    words = {"N": "شمالاً", "S": "جنوباً", "E": "شرقاً", "W": "غرباً"}
    side = hemispheres[0] if value >= 0 else hemispheres[1]
    number = f"{abs(value):g}"
    return f"{number}° {words[side]}" if lang == "ar" else f"{number}°{side}"


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
    lo, hi = max(lo, -180.0), min(hi, 180.0)  # past the poles a line has no place to go
    la, ha = max(la, -90.0), min(ha, 90.0)
    for lon in np.arange(lo, hi + step / 2, step):
        line = LineString([(lon, lat) for lat in np.linspace(la, ha, 60)])
        out.append(("lon", float(lon), proj.project(line)))
    for lat in np.arange(la, ha + step / 2, step):
        line = LineString([(lon, lat) for lon in np.linspace(lo, hi, 120)])
        out.append(("lat", float(lat), proj.project(line)))
    view = box(*extent)
    return [(k, v, g) for k, v, g in out if g.intersects(view)]
