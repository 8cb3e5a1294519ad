"""Map labels for print: the same places, spellings, priorities and look as the web map, placed
without overlap by `textalloc`.

- **What is labelled** is what the web map labels at the snapshot's scale: report features by
  `layers.render.labels.label_items` (the alias table's spellings, a line or area only from
  the zoom at which it spans enough of the map), and the basemap's towns, capitals, lakes and
  countries read from the vector tiles the map draws (`layers.tiles.places`), at the zoom
  a screen would need to show this scale (`equivalent_zoom`).
- **Who wins a spot** follows the browser's rule order (`layers/assets/briefmap-basemap.js`):
  what the scene highlights; towns the reports name (alias table) and the report features;
  capitals and governorate seats; towns by size; lakes; countries. A town a report feature
  already names is not labelled twice.
- **How a label looks** comes from `layers.render.labels.label_style` (size, weight, colour,
  halo), CSS pixels turned into points (1 px = 0.75 pt, the size on a 96-dpi screen); a
  placed town gets the map's dot.
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
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import textalloc
from matplotlib.axes import Axes
from matplotlib.patheffects import withStroke
from matplotlib.text import Text

from layers.aliases import Alias, AliasTable, load_aliases
from layers.model import Feature
from layers.names import normalize
from layers.render.basemap import STYLE as BASEMAP_STYLE
from layers.render.basemap import shipped_archive
from layers.render.labels import Priority, label_items, label_style
from layers.render.style import PX_PER_PT
from layers.snapshot.draw import Extent, Z
from layers.snapshot.projection import Projection
from layers.snapshot.text import bidi, families
from layers.tiles.places import TilePlace, places

WEB_MERCATOR_M_PER_PX = 156_543.034  # at the equator, zoom 0
PAD = "\u2002"  # an en space (half an em) each side of a label while it is placed
# Rule order within the same priority, as the browser's labeller runs its rules.
RULE = {"highlight": 0, "named_place": 1, "feature": 2, "capital": 3, "town": 4, "lake": 5}
RULE_COUNTRY = 6
DOT_PX = {"named_place": 3, "capital": 3, "town": 2}  # the map's town dots (radius, px)
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


@dataclass(frozen=True)
class Label:
    text: str
    x: float  # projected metres: the anchor
    y: float
    priority: int  # layers.render.labels.Priority
    rule: int  # order of the browser's rules within a priority
    rank: tuple  # order within a rule (zoom, then size)
    size: float  # points
    weight: int
    colour: str
    halo: str
    halo_width: float  # points
    leader: bool  # a leader line when the label moves off its anchor
    dot: float = 0.0  # radius in points of the town dot drawn with a placed label

    @property
    def order(self) -> tuple:
        return (self.priority, self.rule, self.rank, self.text)


def equivalent_zoom(extent: Extent, map_width_in: float, centre_lat: float) -> float:
    """The web map's zoom at which a screen shows this map's scale (96 CSS px per inch)."""
    metres_per_px = (extent[2] - extent[0]) / (map_width_in * 96)
    return math.log2(WEB_MERCATOR_M_PER_PX * math.cos(math.radians(centre_lat)) / metres_per_px)


def _styled(text, x, y, priority, rule, rank, lang, leader, dot_px=0.0) -> Label:
    st = label_style(Priority(priority))
    if st.uppercase and lang != "ar":
        text = text.upper()
    return Label(
        text,
        x,
        y,
        int(priority),
        rule,
        rank,
        st.size / PX_PER_PT,
        700 if st.weight >= 600 else 400,  # the print fonts have these two weights
        st.colour,
        st.halo,
        st.halo_width / PX_PER_PT,
        leader,
        dot_px / PX_PER_PT,
    )


def _inside(extent: Extent, x: float, y: float) -> bool:
    return extent[0] < x < extent[2] and extent[1] < y < extent[3]


def report_labels(
    proj: Projection,
    extent: Extent,
    zoom: float,
    features: Sequence[Feature],
    highlight: Collection[str],
    lang: str,
) -> tuple[list[Label], set[str]]:
    """The report features' labels the map shows at `zoom`, and the alias keys of the places
    they name (the basemap leaves those towns to them)."""
    items = label_items(features, lang, highlight=highlight)
    keys = {i["key"] for i in items if i["key"]}
    out = []
    for item in items:
        if round(zoom) < item["min_zoom"]:
            continue
        x, y = proj.point(item["lon"], item["lat"])
        if not _inside(extent, x, y):
            continue
        rule = "highlight" if item["priority"] == Priority.HIGHLIGHT else "feature"
        leader = item["shape"] == "point"
        out.append(_styled(item["text"], x, y, item["priority"], RULE[rule], (), lang, leader))
    return out, keys


def _alias(props: dict, table: AliasTable) -> Alias | None:
    key = props.get("bm_key")
    if key:
        found = next((a for a in table.places if a.key == key), None)
        if found is not None:
            return found
    for field in ("name:en", "name", "name:ar"):
        if props.get(field):
            found = table.by_name(props[field])
            if found is not None:
                return found
    return None


def _place_text(props: dict, alias: Alias | None, lang: str) -> str:
    if alias is not None:
        return alias.name(lang)
    if lang == "ar" and props.get("name:ar"):
        return props["name:ar"]
    return props.get("name:en") or props.get("name") or ""


def _place_rule(p: TilePlace, alias: Alias | None) -> tuple[int, str] | None:
    """(priority, rule) of a basemap point as the browser ranks it; None if not labelled."""
    props = p.props
    if props.get("kind") == "locality":
        if alias is not None:
            return Priority.FEATURE, "named_place"
        capital = any(props.get(k) == "yes" for k in ("capital", "region_capital", "major"))
        return (Priority.CAPITAL, "capital") if capital else (Priority.TOWN, "town")
    if props.get("kind") == "country":
        return Priority.COUNTRY, "country"
    if props.get("layer") == "water":
        return Priority.TOWN, "lake"
    return None


def basemap_labels(
    proj: Projection,
    extent: Extent,
    zoom: float,
    lang: str,
    named: Collection[str] = (),
    archive: Path | None = None,
    schema: str = "protomaps-v4",
) -> list[Label]:
    """Towns, capitals, lakes and countries the web map labels at `zoom` in this frame,
    except the places report features already name (`named`: alias keys)."""
    table = load_aliases()
    out = []
    for p in places(archive or shipped_archive(), _lonlat_bounds(proj, extent), zoom, schema):
        if (p.props.get("min_zoom") or 0) + 1 > round(zoom):
            continue
        alias = _alias(p.props, table) if p.props.get("kind") == "locality" else None
        ranked = _place_rule(p, alias)
        if ranked is None or (alias is not None and alias.key in named):
            continue
        text = _place_text(p.props, alias, lang)
        x, y = proj.point(p.lon, p.lat)
        if not text or not _inside(extent, x, y):
            continue
        priority, rule = ranked
        rank = (p.props.get("min_zoom") or 0, -(p.props.get("population") or 0))
        dot = DOT_PX.get(rule, 0.0)
        out.append(
            _styled(
                text,
                x,
                y,
                priority,
                RULE.get(rule, RULE_COUNTRY),
                rank,
                lang,
                leader=bool(dot),
                dot_px=dot,
            )
        )
    return out


def _lonlat_bounds(proj: Projection, extent: Extent) -> tuple[float, float, float, float]:
    xmin, ymin, xmax, ymax = extent
    xs = [xmin + (xmax - xmin) * k / 8 for k in range(9)]
    ys = [ymin + (ymax - ymin) * k / 8 for k in range(9)]
    edge = [(x, y) for x in xs for y in (ymin, ymax)] + [(x, y) for x in (xmin, xmax) for y in ys]
    pts = [proj.lonlat(x, y) for x, y in edge]
    return (
        min(p[0] for p in pts),
        min(p[1] for p in pts),
        max(p[0] for p in pts),
        max(p[1] for p in pts),
    )


def choose(labels: Sequence[Label]) -> list[Label]:
    """In placing order, each text once (a feature and a town naming the same place)."""
    seen: set[str] = set()
    chosen = []
    for lab in sorted(labels, key=lambda x: x.order):
        key = normalize(lab.text)
        if key in seen:
            continue
        seen.add(key)
        chosen.append(lab)
    return chosen


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
