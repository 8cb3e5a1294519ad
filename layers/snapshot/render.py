"""A snapshot request in, a matplotlib Figure out, then PNG, SVG or PDF bytes.

The page: a classification banner top and bottom; the title block (title, subtitle, date-time
group, information cut-off); the map with graticule, scale bar, north arrow and projection
note; a side panel with the legend and an inset locator; and a footer with the citations of
what is shown, the credits and the boundary disclaimer. Arabic mirrors the page.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import matplotlib
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from shapely.geometry import box

from layers.dtg import dtg, utc_now
from layers.errors import ExportError
from layers.events.shown import MARKING_NAME, ShownEvents
from layers.i18n import pick, t
from layers.model import Citation, Feature, Geodata
from layers.render.labels import marker_obstacles
from layers.render.leaflet import DEFAULT_CENTER, DEFAULT_ZOOM
from layers.render.style import PX_PER_PT
from layers.snapshot import furniture
from layers.snapshot.contents import Contents, citation_line, gather, with_events
from layers.snapshot.draw import (
    clip,
    draw_basemap,
    draw_features,
    draw_graticule,
    draw_halos,
    line_segments,
)
from layers.snapshot.events import draw_events, events_for
from layers.snapshot.label_choice import basemap_labels, equivalent_zoom, report_labels
from layers.snapshot.labels import PlacedLabel, place_labels
from layers.snapshot.pdf_text import BACKEND as PDF_BACKEND
from layers.snapshot.projection import Bounds, Projection, clamp_frame, fit_to_aspect
from layers.snapshot.raster import draw_raster
from layers.snapshot.text import register_fonts
from layers.snapshot.words import w
from layers.tiles.archive import ArchiveError, ArchiveInfo, inspect_archive
from layers.view import View
from layers.view.words import describe
from layers.walkthrough import Scene, scene_frame, scene_view

PAGE_SIZES = {
    "slide": (40 / 3, 7.5),  # 13.333 in: 16:9
    "a4": (297 / 25.4, 210 / 25.4),
    "letter": (11.0, 8.5),
}
FORMATS = ("png", "svg", "pdf")
BANNER_IN, MARGIN_IN, HEADER_IN, FOOTER_IN, PANEL_IN = 0.3, 0.28, 0.66, 0.68, 2.9
BAND_IN = 0.34  # under the map: degree labels, scale bar, projection note
INSET_IN, ARROW_IN = 1.75, 0.55
VIEWPORT_PX = (1150, 700)  # the dashboard's map, for a view framed by centre and zoom
RC = {
    "lines.scale_dashes": False,  # dashes in absolute lengths, like SVG's stroke-dasharray
    "pdf.fonttype": 42,  # TrueType in the PDF: text stays text (searchable, extractable)
    "svg.fonttype": "none",  # SVG text as <text>, not outlines
    "svg.hashsalt": "briefmap",  # stable ids: the same input gives the same SVG
    "path.simplify": True,
    # Every text we draw is plain text: "$5 and $6", "$$" or "$\\foo$" in a title or a label is
    # shown as typed, never typeset as maths (nor a mathtext parse error).
    "text.parse_math": False,
    # Glyphs at their unhinted positions, as a PDF places them: the PNG's lines are then as
    # long as the PDF's (hinting rounds each advance to the pixel grid; over a footer line of
    # 150 glyphs that drifts by a word).
    "text.hinting": "none",
}


class SnapshotError(ExportError):
    """A snapshot that cannot be made as asked (unknown size or format, bad DPI …)."""


@dataclass(frozen=True)
class Snapshot:
    view: View
    frame: Bounds | None = None  # west, south, east, north; None: the view's own frame
    title: str | None = None
    subtitle: str | None = None
    highlight: tuple[str, ...] = ()
    sources: tuple[Citation, ...] = ()  # cited by the scene itself, beside its features'
    points: tuple[str, ...] = ()  # key points, printed in the side panel (briefing packs)
    size: str = "slide"
    dpi: int = 300
    classification: str | None = None
    when: datetime | None = None  # export time (UTC); now if not given
    events: ShownEvents | None = None  # imported incidents the view shows (layers.events)
    basemap: Path | None = None  # a user's archive; a raster one is the map's background

    @classmethod
    def of_scene(cls, scene: Scene, geodata: Geodata, lang: str, **kw) -> Snapshot:
        view = scene_view(scene, lang)
        return cls(
            view=view,
            frame=scene_frame(scene, geodata),
            title=pick(scene.title_en, scene.title_ar, lang),
            subtitle=describe(view, geodata),
            highlight=scene.highlight,
            sources=scene.sources,
            **kw,
        )


def check(snap: Snapshot, fmt: str = "png") -> None:
    if snap.size not in PAGE_SIZES:
        raise SnapshotError(f"size: expected one of {', '.join(PAGE_SIZES)}, got {snap.size!r}")
    if fmt not in FORMATS:
        raise SnapshotError(f"format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    if not 50 <= snap.dpi <= 1200:
        raise SnapshotError(f"dpi: expected 50 to 1200, got {snap.dpi}")


def view_frame(view: View, geodata: Geodata) -> Bounds:
    """The view's frame: its box if it has one, else what the map shows at its centre and zoom
    (the app's default if it has neither)."""
    if view.bbox is not None:
        return view.bbox
    lat, lon = view.center or DEFAULT_CENTER
    zoom = view.zoom if view.zoom is not None else DEFAULT_ZOOM
    deg_per_px = 360 / (256 * 2**zoom)
    half_w = VIEWPORT_PX[0] / 2 * deg_per_px
    half_h = VIEWPORT_PX[1] / 2 * deg_per_px * math.cos(math.radians(lat))
    return (lon - half_w, lat - half_h, lon + half_w, lat + half_h)


@dataclass(frozen=True)
class Layout:
    """Boxes in figure fractions (x0, y0, x1, y1)."""

    header: tuple[float, float, float, float]
    map: tuple[float, float, float, float]
    panel: tuple[float, float, float, float]
    footer: tuple[float, float, float, float]
    map_width_in: float


def layout(size: str, lang: str) -> Layout:
    fw, fh = PAGE_SIZES[size]
    m, b = MARGIN_IN, BANNER_IN
    top = fh - b - m
    header = (m, top - HEADER_IN, fw - m, top)
    footer = (m, b + 0.12, fw - m, b + 0.12 + FOOTER_IN)
    body_y0, body_y1 = footer[3] + 0.1, header[1] - 0.1
    map_w = fw - 2 * m - PANEL_IN - 0.2
    map_y0 = body_y0 + BAND_IN
    if lang == "ar":  # mirrored: the panel on the left
        panel = (m, body_y0, m + PANEL_IN, body_y1)
        map_box = (fw - m - map_w, map_y0, fw - m, body_y1)
    else:
        map_box = (m, map_y0, m + map_w, body_y1)
        panel = (fw - m - PANEL_IN, body_y0, fw - m, body_y1)

    def frac(r):
        return (r[0] / fw, r[1] / fh, r[2] / fw, r[3] / fh)

    return Layout(frac(header), frac(map_box), frac(panel), frac(footer), map_w)


def _axes_rect(r):
    return [r[0], r[1], r[2] - r[0], r[3] - r[1]]


def drawn_features(view: View, geodata: Geodata, proj: Projection, extent: Bounds) -> list[Feature]:
    """The view's features that reach into the map box."""
    page = box(*extent)
    return [f for f in view.select(geodata) if proj.project(f.geometry).intersects(page)]


def render(snap: Snapshot, geodata: Geodata) -> tuple[Figure, Contents]:
    """Draw the page; MarkingError if the requested classification is below the content's."""
    check(snap)
    register_fonts()
    lang = snap.view.lang
    frame = clamp_frame(snap.frame or view_frame(snap.view, geodata))
    lay = layout(snap.size, lang)
    fw, fh = PAGE_SIZES[snap.size]
    proj = Projection.fitted(frame)
    aspect = ((lay.map[2] - lay.map[0]) * fw) / ((lay.map[3] - lay.map[1]) * fh)
    extent = fit_to_aspect(proj, frame, aspect)
    drawn = drawn_features(snap.view, geodata, proj, extent)
    highlight = [f for f in drawn if f.id in snap.highlight]
    more = {MARKING_NAME: snap.events.marking} if snap.events else None
    contents = gather(snap.view, geodata, drawn, highlight, snap.sources, snap.classification, more)
    zoom = map_zoom(proj, extent, lay.map_width_in)
    if snap.events is not None:
        contents = with_events(contents, events_for(snap.events, proj, extent, zoom, lang), lang)
    user = _user_basemap(snap.basemap)
    if user is not None and user.attribution:
        contents = replace(contents, credits=(*contents.credits, user.attribution))
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(fw, fh), dpi=snap.dpi, facecolor="white")
        FigureCanvasAgg(fig)
        ax = fig.add_axes(_axes_rect(lay.map))
        placed = _draw_map(ax, proj, extent, frame, contents, geodata, lang, zoom, user)
        _draw_page(fig, lay, snap, contents, geodata, proj, extent, lang)
    return fig, replace(contents, labels=tuple(placed))


def map_zoom(proj: Projection, extent: Bounds, map_width_in: float) -> float:
    """The web map's zoom that shows the printed map's scale."""
    centre_lat = proj.lonlat((extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2)[1]
    return equivalent_zoom(extent, map_width_in, centre_lat)


def _user_basemap(path: Path | None) -> ArchiveInfo | None:
    try:
        return inspect_archive(path) if path is not None else None
    except ArchiveError as exc:
        raise SnapshotError(f"basemap: {exc}") from None


def _draw_map(
    ax, proj, extent, frame, contents, geodata, lang, zoom, user=None
) -> list[PlacedLabel]:
    """The map: our basemap, or a user's raster archive as the background picture (its own
    names are in the picture: no towns are labelled over it). A user's vector archive names
    the towns, as on screen, over our Natural Earth land, water and borders."""
    raster = user if user is not None and user.schema == "raster" else None
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal")
    ax.set_facecolor("#dbe6ee")  # water, as on screen
    ax.set_xticks([])
    ax.set_yticks([])
    if raster is None:
        draw_basemap(ax, proj, extent)
    else:
        try:
            draw_raster(ax, proj, extent, raster, zoom)
        except ArchiveError as exc:
            raise SnapshotError(f"basemap: {exc}") from None
    lines = draw_graticule(ax, proj, extent, frame)
    draw_halos(ax, proj, extent, contents.highlight)
    draw_features(ax, proj, extent, contents.features, geodata)
    if contents.events is not None:
        draw_events(ax, proj, contents.events)
    towns = None if raster is not None else user
    placed = _labels(ax, proj, extent, contents, geodata, lang, zoom, raster is None, towns)
    furniture.graticule_labels(ax, lines, extent)
    furniture.scale_bar(ax, lang)
    furniture.projection_note(ax, proj, lang)
    if not contents.features and contents.events is None:
        ax.text(
            0.5,
            0.5,
            w("nothing_drawn", lang),
            transform=ax.transAxes,
            ha="center",
            fontsize=12,
            color="#555555",
            zorder=9,
        )
    return placed


def _labels(
    ax, proj, extent, contents, geodata, lang, zoom, named_towns=True, archive=None
) -> list[PlacedLabel]:
    """Report labels, then (unless over a raster picture) the towns of the basemap: ours, or
    those of the user's vector `archive` in its schema."""
    highlight = {f.id for f in contents.highlight}
    labels, named = report_labels(proj, extent, zoom, contents.features, highlight, lang)
    if named_towns:
        where = {"archive": archive.path, "schema": archive.schema} if archive else {}
        labels += basemap_labels(proj, extent, zoom, lang, named, **where)
    obstacles = [
        (*proj.point(o["lon"], o["lat"]), o["r"] / PX_PER_PT)
        for o in marker_obstacles(contents.features, geodata, highlight)
    ]
    routes = [
        proj.project(f.geometry).simplify(2_000)
        for f in contents.features
        if "Line" in f.geometry.geom_type
    ]
    return place_labels(ax, labels, lang, obstacles, lines=line_segments(clip(routes, extent)))


def _draw_page(fig, lay, snap, contents, geodata, proj, extent, lang) -> None:
    fw, fh = fig.get_size_inches()
    furniture.banners(fig, contents.marking, BANNER_IN)
    title = snap.title or t("app_title", lang)
    subtitle = snap.subtitle or describe(snap.view, geodata)
    subtitle += " · " + w("features_shown", lang, n=len(contents.features))
    if contents.events is not None:
        subtitle += " · " + w("incidents_shown", lang, n=f"{contents.events.in_view:,}")
    when = snap.when or utc_now()
    furniture.title_block(fig, lay.header, title, subtitle, dtg(when), contents.cutoff, lang)
    px0, py0, px1, py1 = lay.panel
    inset_h, arrow_w = INSET_IN / fh, ARROW_IN / fw
    legend_ax = fig.add_axes(_axes_rect((px0, py0 + inset_h + 0.1 / fh, px1, py1)))
    legend_ax.set_xlim(0, (px1 - px0) * fw)
    legend_ax.set_ylim(0, (py1 - py0 - inset_h - 0.1 / fh) * fh)
    furniture.legend(legend_ax, contents.legend, contents.keys, lang, snap.points)
    if lang == "ar":  # arrow on the outer side, inset towards the map
        arrow_box = (px0, py0, px0 + arrow_w, py0 + inset_h / 2)
        inset_box = (px0 + arrow_w, py0, px1, py0 + inset_h)
    else:
        arrow_box = (px1 - arrow_w, py0, px1, py0 + inset_h / 2)
        inset_box = (px0, py0, px1 - arrow_w, py0 + inset_h)
    furniture.north_arrow(fig.add_axes(_axes_rect(arrow_box)), proj, extent, lang)
    inset_ax = fig.add_axes(_axes_rect(inset_box))
    furniture.inset(inset_ax, proj, _to_lonlat(proj, box(*extent)), lang)
    furniture.footer(
        fig, lay.footer, citation_line(contents, geodata, lang), contents.credits, lang
    )


def _to_lonlat(proj: Projection, outline):
    dense = shapely.segmentize(outline, (outline.bounds[2] - outline.bounds[0]) / 40)
    return proj.unproject(dense)


def save(fig: Figure, fmt: str, dpi: int | None = None, when: datetime | None = None) -> bytes:
    """The figure as PNG (with its DPI recorded), SVG or PDF bytes; same input, same bytes."""
    if fmt not in FORMATS:
        raise SnapshotError(f"format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    buffer = io.BytesIO()
    metadata = {"png": {"Software": "briefmap"}, "svg": {"Date": None}, "pdf": {}}[fmt]
    if fmt == "pdf":
        metadata = {"Creator": "briefmap", "Producer": "briefmap", "CreationDate": when}
    with matplotlib.rc_context(RC):
        backend = PDF_BACKEND if fmt == "pdf" else None  # glyphs where the PNG has them
        fig.savefig(buffer, format=fmt, dpi=dpi or fig.dpi, metadata=metadata, backend=backend)
    return buffer.getvalue()
