"""Map furniture: classification banners, title block with the date-time group and the
information cut-off, legend, scale bar, north arrow, graticule labels, inset locator, the
projection note and the footer (citations, credits, boundary disclaimer)."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrow, PathPatch, Rectangle
from matplotlib.patheffects import withStroke
from matplotlib_scalebar.scalebar import ScaleBar
from shapely.geometry import box

from layers.marking import Marking
from layers.render.basemap_print import print_layers
from layers.render.event_style import HEX_STYLE, POINT_STYLE
from layers.render.legend import LegendItem
from layers.snapshot.draw import Extent, dash_style, line_segments, polygon_path
from layers.snapshot.projection import Projection, degrees
from layers.snapshot.text import bidi, families
from layers.snapshot.words import w
from layers.snapshot.wrap import fit_lines, measured_lines

HALO = [withStroke(linewidth=2.0, foreground="white")]
INK, MUTED = "#1f1f1f", "#555555"


def write(fig_or_ax, x, y, text, lang, size, *, ha=None, **kw):
    """Text in the UI language's direction: Arabic is right-aligned unless told otherwise."""
    if ha is None:
        ha = "right" if lang == "ar" else "left"
    return fig_or_ax.text(
        x, y, bidi(text, lang), fontsize=size, ha=ha, fontfamily=families(lang), **kw
    )


def banners(fig: Figure, marking: Marking, height_in: float) -> None:
    """The marking across the top and the bottom of the page, burned into the image."""
    _w, h = fig.get_size_inches()
    frac = height_in / h
    for y in (1 - frac, 0):
        fig.add_artist(
            Rectangle((0, y), 1, frac, transform=fig.transFigure, color=marking.background, lw=0)
        )
        fig.text(
            0.5,
            y + frac / 2,
            marking.label,
            ha="center",
            va="center",
            fontsize=11,
            fontweight="bold",
            color=marking.foreground,
            fontfamily=families("en"),
        )


def title_block(fig: Figure, rect, title, subtitle, dtg_text, cutoff_text, lang) -> None:
    """Title and subtitle on the reading side; DTG and cut-off on the other."""
    x0, y0, x1, y1 = rect
    start, end = (x1, x0) if lang == "ar" else (x0, x1)
    other = "left" if lang == "ar" else "right"
    write(fig, start, y1, title, lang, 17, va="top", fontweight="bold", color=INK)
    write(fig, start, y0, subtitle, lang, 9.5, va="bottom", color=MUTED)
    write(
        fig,
        end,
        y1,
        f"{w('dtg', lang)} {dtg_text}",
        lang,
        10,
        ha=other,
        va="top",
        fontweight="bold",
        color=INK,
    )
    write(fig, end, y0, cutoff_text, lang, 8.5, ha=other, va="bottom", color=MUTED)


def legend(
    ax: Axes,
    items: Sequence[LegendItem],
    keys: Sequence[str],
    lang: str,
    points: Sequence[str] = (),
    counts: bool = True,
) -> float:
    """Key points (if any), then swatches and labels top-down in a panel whose data units are
    inches, shrunk to fit when many layers are shown; returns the scale used (1: full size)."""
    ax.set_axis_off()
    width, height = ax.get_xlim()[1], ax.get_ylim()[1]
    rows = [
        fit_lines(f"{i.label} ({i.count:,})" if counts and i.count else i.label, width - 0.6, 8, 3)
        for i in items
    ]
    notes = [fit_lines(k, width, 7, 3) for k in keys]
    bullets = [fit_lines(p, width - 0.15, 9, 3) for p in points]
    needed = 0.39 + sum(0.17 * len(r) + 0.07 for r in rows) + 0.06
    needed += sum(0.15 * len(n) + 0.03 for n in notes)
    needed += sum(0.18 * len(b) + 0.06 for b in bullets) + (0.1 if bullets else 0)
    k = min(1.0, height / needed)
    rtl = lang == "ar"
    y = _write_points(ax, bullets, height - 0.05, k, lang)
    y -= 0.1 * k if bullets else 0
    write(
        ax,
        width if rtl else 0,
        y,
        w("legend", lang),
        lang,
        10 * max(k, 0.8),
        va="top",
        fontweight="bold",
        color=INK,
    )
    y -= 0.34 * k
    sw_x = width - 0.45 if rtl else 0.0
    text_x = width - 0.55 if rtl else 0.55
    for item, lines in zip(items, rows, strict=True):
        _swatches(ax, sw_x, y, item)
        for line in lines:
            write(ax, text_x, y, line, lang, 8 * max(k, 0.75), va="center", color=INK)
            y -= 0.17 * k
        y -= 0.07 * k
    y -= 0.06 * k
    for lines in notes:
        for line in lines:
            write(
                ax, width if rtl else 0, y, line, lang, 7 * max(k, 0.75), va="center", color=MUTED
            )
            y -= 0.15 * k
        y -= 0.03 * k
    return k


def _write_points(ax: Axes, bullets: list[list[str]], y: float, k: float, lang: str) -> float:
    """The scene's key points as bold bullets from `y` down; returns where the next line goes."""
    x = ax.get_xlim()[1] if lang == "ar" else 0
    for lines in bullets:
        for j, line in enumerate(lines):
            mark = "• " if j == 0 else "  "
            size = 9 * max(k, 0.75)
            write(ax, x, y, mark + line, lang, size, va="top", color=INK, fontweight="bold")
            y -= 0.18 * k
        y -= 0.06 * k
    return y


def _swatches(ax: Axes, x: float, y: float, item: LegendItem) -> None:
    """The layer's symbols as on the map: filled circle, line, area (in that order); an
    imported incident's dot or density hexagon (`layers.render.event_style`)."""
    for i, symbol in enumerate(item.symbols[:3]):
        cx = x + 0.07 + i * 0.15
        if symbol in ("event", "hex"):
            style = POINT_STYLE if symbol == "event" else HEX_STYLE
            ax.plot(
                [cx],
                [y],
                marker="o" if symbol == "event" else "h",
                markersize=6 if symbol == "event" else 10,
                markerfacecolor=to_rgba(item.colour, style["fillOpacity"]),
                markeredgecolor="#222222" if symbol == "event" else "#bbbbbb",
                markeredgewidth=0.6,
            )
        elif symbol == "point":
            ax.plot([cx], [y], marker="o", markersize=6, color=item.colour, mec=item.colour)
        elif symbol == "line":
            ax.plot(
                [cx - 0.06, cx + 0.06],
                [y, y],
                color=item.colour,
                lw=2.2,
                linestyle=dash_style(item.dash),
            )
        else:
            ax.add_patch(
                Rectangle(
                    (cx - 0.06, y - 0.045),
                    0.12,
                    0.09,
                    facecolor=to_rgba(item.colour, 0.25),
                    edgecolor=item.colour,
                    lw=1.4,
                    linestyle=dash_style(item.dash),
                )
            )


def scale_bar(ax: Axes, lang: str) -> None:
    """Under the map on the reading side. True on this projection: the axes' data units are
    metres on the LCC."""
    bar = ScaleBar(
        1,
        "m",
        fixed_units="km",
        location="upper right" if lang == "ar" else "upper left",
        bbox_to_anchor=(1.0 if lang == "ar" else 0.0, -0.028),
        bbox_transform=ax.transAxes,
        length_fraction=0.2,
        width_fraction=0.012,
        frameon=False,
        pad=0,
        border_pad=0,
        font_properties={"family": families(lang), "size": 7.5},
        scale_formatter=lambda value, unit: _distance(value, unit, lang),
    )
    bar.set_clip_on(False)
    ax.add_artist(bar)


_METRES = {"nm": 1e-9, "µm": 1e-6, "um": 1e-6, "mm": 1e-3, "cm": 1e-2, "m": 1.0, "km": 1e3}
_METRES |= {"Mm": 1e6, "Gm": 1e9}


def _distance(value: float, unit: str, lang: str) -> str:
    """The bar's length in km, or m under 1 km: the scale bar switches to Mm past 750 km and
    to m under 1 km whatever unit it is given (a world map's bar is thousands of km)."""
    metres = value * _METRES.get(unit, 1e3)
    if metres < 1000:
        return f"{metres:g} {w('m', lang)}"
    return f"{metres / 1000:,g} {w('km', lang)}"


def north_arrow(ax: Axes, proj: Projection, extent: Extent, lang: str) -> None:
    """An arrow to true north at the map's centre (on its central meridian: straight up), in
    a small axes of its own beside the inset."""
    xmin, ymin, xmax, ymax = extent
    angle = proj.north_angle((xmin + xmax) / 2, (ymin + ymax) / 2)
    ax.set_axis_off()
    ax.set_xlim(-1, 1)
    ax.set_ylim(-1, 1)
    ax.set_aspect("equal")
    ax.text(
        0,
        0.55,
        w("north", lang),
        rotation=angle,
        ha="center",
        va="bottom",
        fontsize=12,
        fontweight="bold",
        color=INK,
        fontfamily=families(lang),
    )
    ax.add_patch(
        FancyArrow(
            0,
            -0.6,
            0,
            1.1,
            width=0.12,
            head_width=0.45,
            head_length=0.45,
            length_includes_head=True,
            color=INK,
        )
    )


def graticule_labels(ax: Axes, lines, extent: Extent) -> None:
    """Degrees where meridians leave the map at the bottom (below its edge) and where
    parallels meet its left edge (inside)."""
    xmin, ymin, xmax, ymax = extent
    bottom = box(xmin, ymin, xmax, ymin + (ymax - ymin) * 1e-6)
    left = box(xmin, ymin, xmin + (xmax - xmin) * 1e-6, ymax)
    for kind, value, line in lines:
        edge = bottom if kind == "lon" else left
        hit = line.intersection(edge)
        if hit.is_empty:
            continue
        p = hit.representative_point()
        text = degrees(value, "EW" if kind == "lon" else "NS")
        if kind == "lon":
            ax.text(
                p.x, ymin, text, ha="center", va="top", fontsize=6, color="#566573", clip_on=False
            )
        else:
            ax.text(
                xmin,
                p.y,
                " " + text,
                ha="left",
                va="center",
                fontsize=6,
                color="#566573",
                path_effects=HALO,
                zorder=7,
            )


def inset(ax: Axes, proj_frame: Projection, frame_outline, lang: str) -> None:
    """The region on a small map with the frame drawn on it."""
    area = (20.0, 10.0, 66.0, 46.0)
    proj = Projection.fitted(area)
    world = next(g for n, _m, _s, g in print_layers() if n == "world")
    path = polygon_path(proj.project(g) for g in world)
    ax.add_patch(_patch(path, "#ebe7de", "#a8a294", 0.4))
    outline = proj.project(frame_outline)
    ax.add_collection(_lines(line_segments([outline]), "#c0392b", 1.4))
    xmin, ymin, xmax, ymax = proj.box_of(area).bounds
    ax.set_xlim(xmin + (xmax - xmin) * 0.1, xmax - (xmax - xmin) * 0.1)
    ax.set_ylim(ymin + (ymax - ymin) * 0.05, ymax - (ymax - ymin) * 0.05)
    ax.set_aspect("equal")
    ax.set_facecolor("#dbe6ee")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#888888")
        spine.set_linewidth(0.6)


def _patch(path, face, edge, lw):
    return PathPatch(path, facecolor=face, edgecolor=edge, linewidth=lw)


def _lines(segments, colour, lw):
    return LineCollection(segments, colors=colour, linewidths=lw)


def footer(fig: Figure, rect, citations: str, credits: Sequence[str], lang: str) -> None:
    """Citations of what is shown, then credits and the boundary disclaimer."""
    x0, y0, x1, y1 = rect
    fw, fh = fig.get_size_inches()
    start = x1 if lang == "ar" else x0
    width_in = (x1 - x0) * fw
    lines = measured_lines(fig, citations, width_in, 6.5, lang, 3)
    lines.append(f"{w('credits', lang)}: " + " · ".join(credits))
    lines.append(w("disclaimer", lang))
    step = 0.13 / fh
    y = y1
    for i, line in enumerate(lines):
        colour = INK if i < len(lines) - 2 else MUTED
        write(fig, start, y, line, lang, 6.5, va="top", color=colour)
        y -= step


def projection_note(ax: Axes, proj: Projection, lang: str) -> None:
    """Under the map, on the side away from the scale bar."""
    fx = 0.0 if lang == "ar" else 1.0
    ax.text(
        fx,
        -0.03,
        bidi(proj.describe(lang), lang),
        transform=ax.transAxes,
        ha="left" if lang == "ar" else "right",
        va="top",
        fontsize=6,
        color="#566573",
        fontfamily=families(lang),
        clip_on=False,
    )
