"""Which labels a printed map gets, in which order, and how each looks: the same places,
spellings, priorities and look as the web map (`layers.snapshot.labels` places them).

- **What is labelled** is what the web map labels at the snapshot's scale: report features by
  `layers.render.labels.label_items` (the alias table's spellings, a line or area only from
  the zoom at which it spans enough of the map), and the basemap's towns, capitals, lakes and
  countries read from the vector tiles the map draws (`layers.tiles.places`), at the zoom
  a screen would need to show this scale (`equivalent_zoom`).
- **Who wins a spot** follows the browser's rule order (`layers/assets/briefmap-basemap.js`):
  what the scene highlights; towns the reports name (alias table) and the report features;
  capitals and governorate seats; towns by size; lakes; countries. A town a report feature
  already names is not labelled twice (`choose`).
- **How a label looks** comes from `layers.render.labels.label_style` (size, weight, colour,
  halo), CSS pixels turned into points (1 px = 0.75 pt, the size on a 96-dpi screen); a
  placed town gets the map's dot.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from layers.aliases import Alias, AliasTable, load_aliases
from layers.model import Feature
from layers.names import normalize
from layers.render.basemap import shipped_archive
from layers.render.labels import Priority, label_items, label_style
from layers.render.style import PX_PER_PT
from layers.snapshot.draw import Extent
from layers.snapshot.projection import Projection
from layers.tiles.places import TilePlace, places

WEB_MERCATOR_M_PER_PX = 156_543.034  # at the equator, zoom 0
RULE = {"highlight": 0, "named_place": 1, "feature": 2, "capital": 3, "town": 4, "lake": 5}
RULE_COUNTRY = 6
DOT_PX = {"named_place": 3, "capital": 3, "town": 2}  # the map's town dots (radius, px)


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
    """The browser's `basemapText`: an Arabic map has no Latin fallback ("" = unlabelled)."""
    if alias is not None:
        return alias.name(lang)
    if lang == "ar":
        return props.get("name:ar") or ""
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
