"""Map labels for print, placed without overlap by `textalloc`: the labels chosen by
`layers.snapshot.label_choice` (what the web map labels at this scale, in its order and look)
go onto the page here.

- **Placing** is greedy, in that order: a label that cannot be placed clear of the labels
  already placed, the markers, the towns and the lines is left out, never drawn over them.
  Each label is measured with half an em of space on either side (then drawn centred in its
  box), so two labels side by side never read as one line.
- **Near its place**: a label is placed within `REACH_PT` of its anchor (what the scene
  highlights within `HIGHLIGHT_REACH_PT`, so that the subject is named), measured on the page
  whatever its size; a point's label further than `LEADER_FROM_PT` from its point is joined to
  it by a leader line from the point to the text.
"""

from __future__ import annotations

import contextlib
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

import textalloc
from matplotlib.axes import Axes
from matplotlib.patheffects import withStroke
from matplotlib.text import Text

from layers.render.basemap import STYLE as BASEMAP_STYLE
from layers.render.labels import Priority
from layers.render.style import PX_PER_PT
from layers.snapshot.draw import Z
from layers.snapshot.label_choice import Label, choose
from layers.snapshot.text import bidi, families

PAD = "\u2002"  # an en space (half an em) each side of a label while it is placed
# Rule order within the same priority, as the browser's labeller runs its rules.
# How far a label may sit from its anchor, in points on the page (between the padded box and
# the anchor); from LEADER_FROM_PT on, a point's label gets a leader line.
REACH_PT, HIGHLIGHT_REACH_PT, LEADER_FROM_PT = 22.0, 42.0, 5.0
LEADER_GAP_PT, LEADER_WIDTH_PT, LEADER_COLOUR = 1.5, 0.6, "#666666"


@dataclass(frozen=True)
class PlacedLabel:
    """A label as drawn, in display pixels of the rendered figure: its text box, its anchor
    and the leader line joining them (None when the label sits at its place)."""

    text: str
    anchor: tuple[float, float]
    box: tuple[float, float, float, float]  # x0, y0, x1, y1
    leader: tuple[tuple[float, float], tuple[float, float]] | None
    point: bool  # a point's label (may get a leader), not an area's, a line's or a country's


def place_labels(
    ax: Axes,
    labels: Sequence[Label],
    lang: str,
    obstacles: Sequence[tuple[float, float, float]] = (),
    lines: Sequence = (),
) -> list[PlacedLabel]:
    """Place labels in priority order clear of each other, of `obstacles` (x, y and a radius
    in points: markers and halos; every candidate label's anchor is one too) and of `lines`
    (arrays of projected vertices); draw the town dots of the placed ones and the leader
    lines of those placed off their point; return what was drawn.

    What the scene highlights is placed first and may cross a line (its halo keeps it
    readable, as on the map), so the subject of a slide is named; everything else then keeps
    clear of the lines and of the labels already placed."""
    chosen = choose(labels)
    to_px = ax.get_figure().dpi / 72
    markers = [(x, y, r * to_px) for x, y, r in obstacles]
    first = [lab for lab in chosen if lab.priority == Priority.HIGHLIGHT]
    placed = _allocate(ax, first, lang, markers, (), HIGHLIGHT_REACH_PT)
    boxes = [box for _lab, _text, box in placed]
    rest = [
        lab
        for lab in chosen
        if lab.priority != Priority.HIGHLIGHT and not _covered(ax, lab, boxes, lab.dot * to_px)
    ]
    anchors = [(lab.x, lab.y, lab.dot * to_px) for lab in rest]
    taken = [p for box in boxes for p in _box_obstacles(ax, box)]
    placed += _allocate(ax, rest, lang, markers + anchors + taken, lines, REACH_PT)
    drawn = []
    for lab, text, _box in placed:
        _centre(ax, text, bidi(lab.text, lang))
        text.set_path_effects([withStroke(linewidth=2 * lab.halo_width, foreground=lab.halo)])
        text.set_gid(f"bm-label-{lab.priority}")
        if lab.dot:
            _dot(ax, lab)
        drawn.append(_joined(ax, lab, text))
    return drawn


def _joined(ax: Axes, lab: Label, text: Text) -> PlacedLabel:
    """The label as placed; a point's label off its point gets a leader line from the edge of
    the point's dot to just short of the text."""
    to_px = ax.get_figure().dpi / 72
    b = text.get_window_extent(ax.get_figure().canvas.get_renderer())
    ax_, ay = (float(v) for v in ax.transData.transform((lab.x, lab.y)))
    nx, ny = min(max(ax_, b.x0), b.x1), min(max(ay, b.y0), b.y1)  # nearest point of the box
    gap = math.hypot(nx - ax_, ny - ay)
    leader = None
    if lab.leader and gap > LEADER_FROM_PT * to_px:
        ux, uy = (nx - ax_) / gap, (ny - ay) / gap
        start_off, end_off = lab.dot * to_px, gap - LEADER_GAP_PT * to_px
        start = (ax_ + ux * start_off, ay + uy * start_off)
        end = (ax_ + ux * end_off, ay + uy * end_off)
        inverse = ax.transData.inverted()
        (x0, y0), (x1, y1) = inverse.transform([start, end])
        ax.plot(
            [x0, x1],
            [y0, y1],
            color=LEADER_COLOUR,
            linewidth=LEADER_WIDTH_PT,
            solid_capstyle="round",
            zorder=Z["labels"] - 0.5,
            gid="bm-leader",
        )
        leader = (start, end)
    return PlacedLabel(lab.text, (ax_, ay), (b.x0, b.y0, b.x1, b.y1), leader, lab.leader)


def _allocate(ax, labels, lang, obstacles, lines, reach_pt) -> list[tuple]:
    """textalloc over `labels` (padded), each within `reach_pt` points of its anchor; (label,
    text, box in display px) of those placed. `obstacles`: (x, y, radius in display px)."""
    if not labels:
        return []
    width_px = ax.get_window_extent().width
    max_distance = reach_pt * ax.get_figure().dpi / 72 / width_px  # textalloc: axes widths
    radius: dict[tuple[float, float], float] = {}
    for x, y, r in obstacles:
        radius[(x, y)] = max(radius.get((x, y), 0.0), r)
    with contextlib.redirect_stdout(io.StringIO()):  # it prints when nothing fits
        _xy, _lines, texts, _ = textalloc.allocate(
            ax,
            [lab.x for lab in labels],
            [lab.y for lab in labels],
            [PAD + bidi(lab.text, lang) + PAD for lab in labels],
            x_scatter=[p[0] for p in radius],
            y_scatter=[p[1] for p in radius],
            scatter_sizes=list(radius.values()),
            text_scatter_sizes=[radius.get((lab.x, lab.y), 0.0) for lab in labels],
            x_lines=[line[:, 0] for line in lines] or None,
            y_lines=[line[:, 1] for line in lines] or None,
            textsize=[lab.size for lab in labels],
            fontweight=[lab.weight for lab in labels],
            textcolor=[lab.colour for lab in labels],
            margin=0.006,  # about 3.5 pt between boxes, lines and markers on a slide
            min_distance=0.006,
            max_distance=max_distance,  # beside its place or not at all, as on the map
            nbr_candidates=120,
            draw_all=False,
            draw_lines=False,  # leader lines are drawn to the text as placed (_joined)
            fontfamily=families(lang),
            va="bottom",  # measured and drawn from the box's bottom edge alike
            zorder=Z["labels"],
        )
    renderer = ax.get_figure().canvas.get_renderer()
    return [
        (lab, text, text.get_window_extent(renderer))
        for lab, text in zip(labels, texts, strict=True)
        if text is not None
    ]


def _covered(ax: Axes, lab: Label, boxes, pad: float) -> bool:
    """Whether a label's place lies under a box already placed (its dot would be hidden)."""
    px, py = ax.transData.transform((lab.x, lab.y))
    return any(b.x0 - pad <= px <= b.x1 + pad and b.y0 - pad <= py <= b.y1 + pad for b in boxes)


def _box_obstacles(ax: Axes, box) -> list[tuple[float, float, float]]:
    """A placed label's box as point obstacles along its middle, each as wide as half the
    box is high: textalloc keeps any later box off the whole rectangle."""
    half = (box.y1 - box.y0) / 2
    steps = max(1, math.ceil((box.x1 - box.x0) / half))
    inverse = ax.transData.inverted()
    out = []
    for k in range(steps + 1):
        px = box.x0 + (box.x1 - box.x0) * k / steps
        x, y = inverse.transform((px, box.y0 + half))
        out.append((float(x), float(y), half))
    return out


def _centre(ax: Axes, text: Text, shown: str) -> None:
    """Drop the padding: the label, centred in the box it was placed in."""
    box = text.get_window_extent(ax.get_figure().canvas.get_renderer())
    x, y = ax.transData.inverted().transform(((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2))
    text.set_text(shown)
    text.set_position((x, y))
    text.set_horizontalalignment("center")
    text.set_verticalalignment("center")


def _dot(ax: Axes, lab: Label) -> None:
    ax.plot(
        [lab.x],
        [lab.y],
        marker="o",
        markersize=2 * lab.dot,
        markerfacecolor=BASEMAP_STYLE["town_dot"],
        markeredgecolor="#ffffff",
        markeredgewidth=1.2 / PX_PER_PT,
        linestyle="none",
        zorder=Z["labels"] - 0.2,
    )
