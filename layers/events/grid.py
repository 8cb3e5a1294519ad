"""Events on a hexagon grid (H3), computed on the server so the browser gets one shape per
occupied cell instead of one per event.

Every event carries its H3 cell at `H3_RES`; a coarser cell is derived with bit operations on
the whole column (an H3 index stores its resolution and one 3-bit digit per level; a parent
has its resolution field lowered and the finer digits set to 7).

Honest about location precision: an event ACLED places on a district or province centre
(geo_precision 2 or 3) is not counted on that centre's cell. Its weight is spread evenly over
the cells within `SPREAD_KM` of the centre, so a capital does not become a false hotspot.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import h3
import numpy as np

from layers.events.index import EventIndex
from layers.events.schema import H3_RES, SPREAD_KM

_RES_SHIFT = np.uint64(52)
_RES_MASK = np.uint64(0xF) << _RES_SHIFT
# Grid resolution by map zoom: hexagons stay roughly 10-25 px across on screen.
RES_BY_ZOOM = {3: 2, 4: 2, 5: 3, 6: 4, 7: 4, 8: 5, 9: 6, 10: 6, 11: 7, 12: 7}


def resolution(zoom: float) -> int:
    z = int(round(zoom))
    return RES_BY_ZOOM.get(z, 2 if z < 3 else H3_RES)


def parents(cells: np.ndarray, res: int) -> np.ndarray:
    """The resolution-`res` parent of every cell (all cells finer than or at `res`)."""
    if res >= H3_RES:
        return cells
    finer = np.uint64((1 << (3 * (15 - res))) - 1)
    return (cells & ~_RES_MASK) | (np.uint64(res) << _RES_SHIFT) | finer


@lru_cache(maxsize=1024)  # a disk at resolution 7 over 75 km is ~4,000 cells (32 kB)
def _disk(cell: int, k: int) -> np.ndarray:
    return np.array(sorted(h3.api.basic_int.grid_disk(cell, k)), dtype=np.uint64)


def spread_rings(res: int, precision: int) -> int:
    """How many rings of cells around a centre cover SPREAD_KM at this resolution."""
    edge = h3.average_hexagon_edge_length(res, unit="km")
    return max(0, math.ceil(SPREAD_KM[precision] / (edge * math.sqrt(3))))


@dataclass(frozen=True)
class Hexagons:
    res: int
    cells: np.ndarray  # uint64
    counts: np.ndarray  # float64: events, imprecise ones in fractions
    spread: int  # events spread over an area rather than counted on their centre


def hexagons(index: EventIndex, selected: np.ndarray, res: int) -> Hexagons:
    """Events per cell at `res` for the selected rows."""
    gp = index.geo_precision
    exact = selected & (gp <= 1)
    cells = [parents(index.h3[exact], res)]
    weights = [np.ones(int(exact.sum()))]
    spread = 0
    for level in SPREAD_KM:
        rows = selected & (gp == level)
        if not rows.any():
            continue
        centres, n = np.unique(parents(index.h3[rows], res), return_counts=True)
        k = spread_rings(res, level)
        for centre, count in zip(centres.tolist(), n.tolist(), strict=True):
            disk = _disk(int(centre), k)
            cells.append(disk)
            weights.append(np.full(len(disk), count / len(disk)))
        spread += int(rows.sum())
    every = np.concatenate(cells) if cells else np.zeros(0, dtype=np.uint64)
    unique, inverse = np.unique(every, return_inverse=True)
    counts = np.bincount(inverse, weights=np.concatenate(weights), minlength=len(unique))
    return Hexagons(res, unique, counts, spread)


@lru_cache(maxsize=50_000)  # ~0.5 kB each
def boundary(cell: int) -> tuple[int, ...]:
    """Centre and corner offsets in thousandths of a degree: lat, lon, then (dlat, dlon)×6."""
    lat, lon = h3.api.basic_int.cell_to_latlng(cell)
    clat, clon = round(lat * 1000), round(lon * 1000)
    out = [clat, clon]
    for vlat, vlon in h3.api.basic_int.cell_to_boundary(cell):
        out += [round(vlat * 1000) - clat, round(vlon * 1000) - clon]
    return tuple(out)


def breaks(counts: np.ndarray, classes: int = 6) -> list[float]:
    """Upper bounds of the colour classes: rounded quantiles of the counts, increasing."""
    if not len(counts):
        return []
    qs = np.quantile(counts, np.linspace(0, 1, classes + 1)[1:])
    out: list[float] = []
    for q in qs:
        nice = _nice(float(q))
        if not out or nice > out[-1]:
            out.append(nice)
    return out


def _nice(x: float) -> float:
    if x < 1:
        return 1.0
    digits = 10 ** max(0, math.floor(math.log10(x)) - 1)
    return float(math.ceil(x / digits) * digits)
