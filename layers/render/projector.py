"""What the projector shows around a scene's map, as a slide does: the marking (the same logic
as exports), a compact legend of what the scene draws in its frame, and a scale bar in the
page's language, mirrored for Arabic. No presenter-only content."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import folium
from folium.elements import MacroElement
from folium.template import Template
from shapely.geometry import box

from layers.i18n import t
from layers.marking import Marking, banner_marking, parse
from layers.model import Feature, Geodata
from layers.render.escape import esc
from layers.render.legend import legend_html, legend_items, legend_keys
from layers.walkthrough import SCENE_PADDING, Scene, scene_frame, scene_view

# The audience map's size on a 1920×1080 projector (dashboard.briefing lays it out) and the
# highest zoom a scene is framed at: enough to work out what the fitted map shows.
MAP_PX = (1280, 890)
MAX_ZOOM = 10


@dataclass(frozen=True)
class ProjectorFrame:
    marking: Marking
    legend: str  # HTML, every value escaped (layers.render.legend)
    drawn: tuple[Feature, ...]  # what the scene draws inside the fitted map


def shown_bounds(
    frame: tuple[float, float, float, float], size: tuple[int, int] = MAP_PX
) -> tuple[float, float, float, float]:
    """The bounds a Leaflet map of `size` px shows after fitBounds(frame, padding) at integer
    zoom: the frame's centre, and as much around it as the chosen zoom leaves room for."""
    w, s, e, n = frame

    def y(lat: float) -> float:  # Web Mercator, 0..1 from the top
        r = math.radians(max(min(lat, 85.0), -85.0))
        return 0.5 - math.log(math.tan(math.pi / 4 + r / 2)) / (2 * math.pi)

    def lat(yy: float) -> float:
        return math.degrees(2 * math.atan(math.exp((0.5 - yy) * 2 * math.pi)) - math.pi / 2)

    fw, fh = max((e - w) / 360, 1e-9), max(y(s) - y(n), 1e-9)
    room_w, room_h = size[0] - 2 * SCENE_PADDING, size[1] - 2 * SCENE_PADDING
    zoom = min(MAX_ZOOM, math.floor(math.log2(min(room_w / (256 * fw), room_h / (256 * fh)))))
    world = 256 * 2**zoom
    cx, cy = (w + e) / 2, (y(s) + y(n)) / 2
    half_w, half_h = size[0] / 2 / world * 360, size[1] / 2 / world
    return (cx - half_w, lat(cy + half_h), cx + half_w, lat(cy - half_h))


def projector_frame(scene: Scene, geodata: Geodata, lang: str) -> ProjectorFrame:
    """The marking of every layer the scene shows (over-marking is safe), and the legend of
    the features it draws inside the projector's map."""
    view = scene_view(scene, lang)
    markings = {lid: parse(geodata.layers[lid].marking) for lid in view.visible_layers(geodata)}
    features = view.select(geodata)
    frame = scene_frame(scene, geodata)
    if frame:
        area = box(*shown_bounds(frame))
        features = [f for f in features if f.geometry.intersects(area)]
    legend = legend_html(legend_items(features, geodata, lang), legend_keys(features, lang), lang)
    return ProjectorFrame(banner_marking(markings), legend, tuple(features))


class ProjectorExtras(MacroElement):
    """The legend and the scale bar on the audience's map, for as long as its group is on the
    map (they change with the scene, behind the held picture of the scene before)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        briefmap.projectorExtras({{ this._parent.get_name() }}, {{ this.spec|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, spec: dict[str, Any]):
        super().__init__()
        self._name = "ProjectorExtras"
        self.spec = spec


def extras_group(frame: ProjectorFrame, lang: str) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name="projector", control=False)
    spec = {
        "legend": frame.legend,
        "rtl": lang == "ar",
        "units": {"km": t("km", lang), "m": t("metres", lang)},
    }
    ProjectorExtras(spec).add_to(group)
    return group


def banner_html(marking: Marking, where: str) -> str:
    """The marking banner, fixed at the `where` ("top" or "bottom") edge of the window."""
    return (
        f'<div class="bm-banner bm-banner-{where}" data-testid="bm-banner-{where}" '
        f'style="background:{esc(marking.background)};color:{esc(marking.foreground)}">'
        f"{esc(marking.label)}</div>"
    )
