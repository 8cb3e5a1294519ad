"""Map labels in the UI language, placed without overlap by `textalloc` (greedy, in priority
order: a label that cannot be placed clear of the others, the markers and the lines is left
out rather than drawn on top of something)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import textalloc
from matplotlib.axes import Axes
from matplotlib.patheffects import withStroke
from matplotlib.text import Text

from layers.i18n import pick
from layers.model import Feature
from layers.names import normalize
from layers.render import basemap
from layers.render.labels import Priority
from layers.snapshot.draw import Extent, Z, clip
from layers.snapshot.projection import Projection
from layers.snapshot.text import bidi, families

WEB_MERCATOR_M_PER_PX = 156_543.034  # at the equator, zoom 0


# -- Label priority -----------------------------------------------------------------------------
# The map's label priorities live in `layers/render/labels.py` (one ranking for every renderer):
# what the scene highlights, then report features, then basemap capitals, towns and countries.
_PRIORITY = {
    "feature": Priority.FEATURE,
    "capital": Priority.CAPITAL,
    "place": Priority.TOWN,
    "country": Priority.COUNTRY,
}


def label_priority(kind: str, highlighted: bool = False) -> int:
    """Lower is placed first (layers.render.labels.Priority)."""
    return int(Priority.HIGHLIGHT if highlighted else _PRIORITY[kind])


@dataclass(frozen=True)
class Label:
    text: str
    x: float
    y: float
    priority: int
    size: float
    weight: str
    colour: str
    leader: bool  # draw a leader line if the label moves off its anchor


STYLE = {  # kind -> (size pt, weight, colour)
    "highlight": (9.0, "bold", "#111111"),
    "feature": (7.5, "normal", "#1f1f1f"),
    "capital": (7.5, "bold", "#3c3c3c"),
    "place": (6.5, "normal", "#555555"),
    "country": (8.5, "bold", "#7a7a7a"),
}


def equivalent_zoom(extent: Extent, map_width_in: float, centre_lat: float) -> float:
    """The web map's zoom at which a screen shows this map's scale (96 CSS px per inch)."""
    metres_per_px = (extent[2] - extent[0]) / (map_width_in * 96)
    return math.log2(WEB_MERCATOR_M_PER_PX * math.cos(math.radians(centre_lat)) / metres_per_px)


def feature_labels(
    proj: Projection, extent: Extent, features: Sequence[Feature], highlight: set[str], lang: str
) -> list[Label]:
    out = []
    for f in features:
        shown = clip([proj.project(f.geometry)], extent)
        if not shown:
            continue
        anchor = shown[0] if f.geometry.geom_type == "Point" else shown[0].representative_point()
        kind = "highlight" if f.id in highlight else "feature"
        size, weight, colour = STYLE[kind]
        out.append(
            Label(
                pick(f.name_en, f.name_ar, lang),
                anchor.x,
                anchor.y,
                label_priority("feature", f.id in highlight),
                size,
                weight,
                colour,
                True,
            )
        )
    return out


def basemap_labels(proj: Projection, extent: Extent, zoom: float, lang: str) -> list[Label]:
    """Countries, capitals and towns the web map would show at this scale."""
    xmin, ymin, xmax, ymax = extent
    out = []
    for lab in basemap.labels():
        if lab["min_zoom"] > zoom + 0.5:
            continue
        x, y = proj.point(lab["lon"], lab["lat"])
        if not (xmin < x < xmax and ymin < y < ymax):
            continue
        text = lab["ar"] if lang == "ar" and lab.get("ar") else lab["en"]
        kind = lab["kind"]
        if kind == "country" and lang != "ar":
            text = text.upper()
        size, weight, colour = STYLE[kind]
        out.append(Label(text, x, y, label_priority(kind), size, weight, colour, kind != "country"))
    return out


def place_labels(
    ax: Axes,
    labels: Sequence[Label],
    lang: str,
    points: Sequence[tuple[float, float]] = (),
    lines: Sequence = (),
) -> list[Text]:
    """Place labels in priority order clear of each other, of `points` (marker centres) and of
    `lines` (arrays of projected vertices); return the texts drawn."""
    seen: set[str] = set()
    chosen = []
    for lab in sorted(labels, key=lambda x: (x.priority, -x.size, x.text)):
        key = normalize(lab.text)
        if key in seen:  # a feature and the basemap naming the same place: label it once
            continue
        seen.add(key)
        chosen.append(lab)
    if not chosen:
        return []
    xs = [p[0] for p in points] or None
    ys = [p[1] for p in points] or None
    _xy, _lines, texts, _ = textalloc.allocate(
        ax,
        [lab.x for lab in chosen],
        [lab.y for lab in chosen],
        [bidi(lab.text, lang) for lab in chosen],
        x_scatter=xs,
        y_scatter=ys,
        x_lines=[line[:, 0] for line in lines] or None,
        y_lines=[line[:, 1] for line in lines] or None,
        textsize=[lab.size for lab in chosen],
        fontweight=[lab.weight for lab in chosen],
        textcolor=[lab.colour for lab in chosen],
        linecolor=["#777777" if lab.leader else "none" for lab in chosen],
        linewidth=0.4,
        margin=0.004,
        min_distance=0.006,
        max_distance=0.07,
        nbr_candidates=120,
        draw_all=False,
        fontfamily=families(lang),
        path_effects=[withStroke(linewidth=2.2, foreground="white")],
        zorder=Z["labels"],
        plot_kwargs={"zorder": Z["labels"] - 0.5},
    )
    return [t for t in texts if t is not None]
