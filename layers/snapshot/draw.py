"""Geometry onto a matplotlib Axes in projected metres: the basemap at full detail, the report
features with the map's own symbols (`layers.render.style.symbol`), halos, uncertainty rings and
a light graticule. Pixel sizes from the style are turned into points (1 px = 0.75 pt), the
size the same symbol has on a 96-dpi screen."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.patches import PathPatch
from matplotlib.path import Path
from shapely.geometry.base import BaseGeometry

from layers.model import Feature, Geodata
from layers.render.basemap_print import print_layers
from layers.render.style import HIGHLIGHT, PX_PER_PT, RING, Symbol, symbol
from layers.snapshot.projection import Projection, geodesic_circle, graticule

Extent = tuple[float, float, float, float]
# Drawing order, bottom to top (the web map's panes: land, lines, areas, routes, points).
Z = {
    "land": 1,
    "lines": 2,
    "graticule": 2.5,
    "halo": 3,
    "area": 4,
    "ring": 4.5,
    "line": 5,
    "point": 6,
    "labels": 8,
}


def pt(px: float) -> float:
    return px / PX_PER_PT


def dash_style(dash: str | None) -> Any:
    if not dash:
        return "solid"
    return (0, tuple(pt(float(x)) for x in dash.split()))


def _rings(geom: BaseGeometry) -> Iterable[np.ndarray]:
    for poly in getattr(geom, "geoms", [geom]):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        yield np.asarray(poly.exterior.coords)
        for hole in poly.interiors:
            yield np.asarray(hole.coords)


def polygon_path(geoms: Iterable[BaseGeometry]) -> Path | None:
    """One compound path for many polygons (holes included): one artist per layer."""
    verts, codes = [], []
    for geom in geoms:
        for ring in _rings(geom):
            verts.append(ring[:, :2])
            c = np.full(len(ring), Path.LINETO, dtype=Path.code_type)
            c[0], c[-1] = Path.MOVETO, Path.CLOSEPOLY
            codes.append(c)
    if not verts:
        return None
    return Path(np.concatenate(verts), np.concatenate(codes))


def line_segments(geoms: Iterable[BaseGeometry]) -> list[np.ndarray]:
    out = []
    for geom in geoms:
        for part in getattr(geom, "geoms", [geom]):
            if part.is_empty:
                continue
            if part.geom_type == "LineString":
                out.append(np.asarray(part.coords)[:, :2])
            elif part.geom_type == "Polygon":
                out.extend(r[:, :2] for r in _rings(part))
    return out


def clip(geoms: Iterable[BaseGeometry], extent: Extent) -> list[BaseGeometry]:
    """Geometries cut to the map box plus a margin (less to draw, same picture)."""
    xmin, ymin, xmax, ymax = extent
    mx, my = (xmax - xmin) * 0.05, (ymax - ymin) * 0.05
    clipped = shapely.clip_by_rect(list(geoms), xmin - mx, ymin - my, xmax + mx, ymax + my)
    return [g for g in clipped if not g.is_empty]


def draw_basemap(ax: Axes, proj: Projection, extent: Extent) -> None:
    """Natural Earth at full detail, in the web map's colours."""
    for _name, mode, style, geoms in print_layers():
        shown = clip((proj.project(g) for g in geoms), extent)
        z = Z["land"] if mode == "fill" else Z["lines"]
        if mode == "fill":
            path = polygon_path(shown)
            if path is None:
                continue
            stroke = style.get("stroke", True) is not False and "color" in style
            ax.add_patch(
                PathPatch(
                    path,
                    facecolor=to_rgba(style["fillColor"], style.get("fillOpacity", 1)),
                    edgecolor=style["color"] if stroke else "none",
                    linewidth=pt(style.get("weight", 1)) if stroke else 0,
                    zorder=z,
                )
            )
        else:
            ax.add_collection(
                LineCollection(
                    line_segments(shown),
                    colors=style["color"],
                    linewidths=pt(style.get("weight", 1)),
                    linestyles=dash_style(style.get("dashArray")),
                    zorder=z,
                    capstyle="round",
                    joinstyle="round",
                )
            )


def draw_graticule(ax: Axes, proj: Projection, extent: Extent, frame: Extent) -> list:
    """Light meridians and parallels; returns them for labelling at the map's edges."""
    lines = graticule(proj, extent, frame)
    ax.add_collection(
        LineCollection(
            line_segments(g for _k, _v, g in lines),
            colors="#8a9bab",
            linewidths=0.35,
            alpha=0.6,
            zorder=Z["graticule"],
        )
    )
    return lines


def draw_features(
    ax: Axes,
    proj: Projection,
    extent: Extent,
    features: Sequence[Feature],
    geodata: Geodata,
) -> None:
    """Areas, then lines, then points: the web map's pane order."""
    for shape in ("area", "line", "point"):
        for f in features:
            sym = symbol(f, geodata.layers[f.layer])
            if sym.shape != shape:
                continue
            if shape == "point":
                _point(ax, proj, f, sym)
            else:
                _path(ax, proj, extent, f, sym)


def _path(ax: Axes, proj: Projection, extent: Extent, f: Feature, sym: Symbol) -> None:
    shown = clip([proj.project(f.geometry)], extent)
    if sym.shape == "area":
        path = polygon_path(shown)
        if path is None:
            return
        ax.add_patch(
            PathPatch(
                path,
                facecolor=to_rgba(sym.fill_colour, sym.fill_opacity),
                edgecolor=to_rgba(sym.colour, sym.opacity),
                linewidth=pt(sym.weight),
                linestyle=dash_style(sym.dash),
                zorder=Z["area"],
            )
        )
        return
    ax.add_collection(
        LineCollection(
            line_segments(shown),
            colors=[to_rgba(sym.colour, sym.opacity)],
            linewidths=pt(sym.weight),
            linestyles=dash_style(sym.dash),
            capstyle="round",
            joinstyle="round",
            zorder=Z["line"],
        )
    )


def _point(ax: Axes, proj: Projection, f: Feature, sym: Symbol) -> None:
    x, y = proj.point(f.geometry.x, f.geometry.y)
    if sym.ring_m:
        ring = proj.project(geodesic_circle(f.geometry.x, f.geometry.y, sym.ring_m))
        ax.add_patch(
            PathPatch(
                polygon_path([ring]),
                facecolor=to_rgba(sym.colour, RING.fill_opacity),
                edgecolor=sym.colour,
                linewidth=pt(RING.weight),
                linestyle=dash_style(RING.dash),
                zorder=Z["ring"],
            )
        )
    ax.plot(
        [x],
        [y],
        marker="o",
        markersize=2 * pt(sym.radius),
        markerfacecolor=to_rgba(sym.fill_colour, sym.fill_opacity),
        markeredgecolor=to_rgba(sym.colour, sym.opacity),
        markeredgewidth=pt(sym.weight),
        linestyle="none",
        zorder=Z["point"],
    )


def draw_halos(ax: Axes, proj: Projection, extent: Extent, features: Iterable[Feature]) -> None:
    """The highlight under what a scene is about, as on screen (style.HIGHLIGHT)."""
    h = HIGHLIGHT
    for f in features:
        geom = f.geometry
        if geom.geom_type == "Point":
            x, y = proj.point(geom.x, geom.y)
            ax.plot(
                [x],
                [y],
                marker="o",
                markersize=2 * pt(h.point_radius),
                markerfacecolor=to_rgba(h.colour, h.point_fill_opacity),
                markeredgecolor=to_rgba(h.colour, h.point_opacity),
                markeredgewidth=pt(h.point_weight),
                linestyle="none",
                zorder=Z["halo"],
            )
            continue
        shown = clip([proj.project(geom)], extent)
        ax.add_collection(
            LineCollection(
                line_segments(shown),
                colors=[to_rgba(h.colour, h.line_opacity)],
                linewidths=pt(h.line_weight),
                capstyle="round",
                joinstyle="round",
                zorder=Z["halo"],
            )
        )
        path = polygon_path(shown)
        if path is not None:
            ax.add_patch(
                PathPatch(
                    path,
                    facecolor=to_rgba(h.colour, h.area_fill_opacity),
                    edgecolor="none",
                    zorder=Z["halo"],
                )
            )
