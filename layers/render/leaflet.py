"""folium maps built from briefmap data: an offline base map plus one feature group per layer.

The base map (vector-tile basemap, controls, local assets) depends only on the language and
the mode, so its script stays the same from one Streamlit rerun to the next and
streamlit-folium keeps the map mounted; report data goes in separate feature groups that can
change without a remount. Each group also hands its labels and marker footprints to the
basemap's labeller (`FeatureLabels`), which places every label on the map by the priorities
of `layers.render.labels`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import folium
from branca.element import Element
from folium.elements import MacroElement
from folium.template import Template

from layers.contract import geometry_dict
from layers.i18n import t
from layers.model import Feature, Geodata
from layers.render import assets, basemap
from layers.render.escape import script_json
from layers.render.labels import halo_obstacles, label_items, marker_obstacles
from layers.render.popup import popup_html, tooltip_html
from layers.render.style import feature_style, highlight_options, ring_metres, ring_options
from layers.reports import Library

DEFAULT_CENTER = (34.4, 43.2)
DEFAULT_ZOOM = 6
MIN_ZOOM, MAX_ZOOM = 4, 12


def fit_view(
    bbox: tuple[float, float, float, float], width: int = 760, height: int = 560
) -> tuple[tuple[float, float], int]:
    """Centre (lat, lon) and the largest whole zoom at which `bbox` (west, south, east, north)
    fits a map of `width` × `height` pixels in Web Mercator, as Leaflet's fitBounds would."""
    w, s, e, n = bbox

    def merc_y(lat: float) -> float:
        lat = max(min(lat, 85.0), -85.0)
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    x_span = max((e - w) / 360.0, 1e-9)
    y_span = max((merc_y(n) - merc_y(s)) / (2 * math.pi), 1e-9)
    zoom = math.floor(min(math.log2(width / 256 / x_span), math.log2(height / 256 / y_span)))
    centre_y = (merc_y(n) + merc_y(s)) / 2
    lat = math.degrees(2 * math.atan(math.exp(centre_y)) - math.pi / 2)
    return (lat, (w + e) / 2), max(MIN_ZOOM, min(MAX_ZOOM, zoom))


class _Rendered(Element):
    """Text a macro has already rendered, put into the page as it is."""

    _template = Template("{{ this.text }}")

    def __init__(self, text: str):
        super().__init__()
        self.text = text


class DataElement(MacroElement):
    """A MacroElement whose rendered header, html and script go into the page as plain text.

    branca's `MacroElement.render` wraps each rendered part in `Element(text)`, which compiles
    the text as a Jinja template: for a layer's data that is ~0.2 s of lexing per Streamlit
    run (a third of the analyst page's script time, bench/first_paint.py), and when the whole
    page is rendered (the offline HTML), any `{{ ... }}` in the data is evaluated as a Jinja
    expression on the server. Here the text is never compiled."""

    def render(self, **kwargs):
        figure = self.get_root()
        parts = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = parts.get(part)
            if macro is not None:
                target = getattr(figure, part)
                target.add_child(_Rendered(macro(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


class Basemap(DataElement):
    """The PMTiles basemap (served locally, or embedded for offline pages) and its style."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.Icon.Default.imagePath = {{ this.image_path|tojson }};
        briefmap.reportsKey = {{ this.reports_key|tojson }};
        briefmap.vectorBasemap({{ this._parent.get_name() }}, {{ this.spec|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, spec: dict[str, Any], reports_key: str | None = None):
        super().__init__()
        self._name = "Basemap"
        self.spec = spec
        self.image_path = assets.leaflet_image_url()
        self.reports_key = reports_key  # sent with each paragraph fetch (layers.routes)


class FeatureLabels(DataElement):
    """A feature group's labels and marker footprints, placed by the basemap's labeller for
    as long as the group is on the map."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        briefmap.featureLabels({{ this._parent.get_name() }}, {{ this.data_js }});
        {% endmacro %}
        """
    )

    def __init__(self, items: list[dict[str, Any]], obstacles: list[dict[str, float]]):
        super().__init__()
        self._name = "FeatureLabels"
        self.data = {"items": items, "obstacles": obstacles}
        self.data_js = script_json(self.data)


class ReportLayer(DataElement):
    """One layer's features as GeoJSON with escaped popup/tooltip HTML in their properties."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = briefmap.reportLayer(
            {{ this.data_js }}, {{ this.options|tojson }}
        ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict[str, Any], rings: bool = True):
        super().__init__()
        self._name = "ReportLayer"
        self.data = data
        self.data_js = script_json(data)  # popups hold Arabic: UTF-8 keeps them small
        self.options = {"rings": rings, "ring": ring_options()}


class MeasureControl(DataElement):
    """The offline distance tool (two clicks, geodesic km on WGS84)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        briefmap.localControls({{ this._parent.get_name() }}, {{ this.labels|tojson }});
        briefmap.measureControl({{ this._parent.get_name() }}, {{ this.labels|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, lang: str):
        super().__init__()
        self._name = "MeasureControl"
        self.labels = {
            "title": t("measure", lang),
            **{key: t(key, lang) for key in ("km", "m", "zoom_in", "zoom_out")},
            "lang": lang,
        }


class Focus(DataElement):
    """Fly the map to a target once: placed in its own feature group, keyed by a nonce."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        briefmap.focus(
            {{ this._parent.get_name() }}, {{ this.target|tojson }}, {{ this.nonce|tojson }}
        );
        {% endmacro %}
        """
    )

    def __init__(self, target: dict[str, Any], nonce: int):
        super().__init__()
        self._name = "Focus"
        self.target = target
        self.nonce = nonce


class Highlight(DataElement):
    """Halos under the features an annotation or a search is about."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        briefmap.highlight(
            {{ this.data|tojson }}, {{ this.options|tojson }}
        ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict[str, Any]):
        super().__init__()
        self._name = "Highlight"
        self.data = data
        self.options = highlight_options()


CLICKER_KEYS = {
    "next": ["ArrowRight", "PageDown"],
    "prev": ["ArrowLeft", "PageUp"],
    "first": ["Home"],
    "last": ["End"],
    "blank": [".", "b", "B"],
    "exit": ["Escape"],
}


class ClickerKeys(DataElement):
    """Presentation keys pressed in the map frame, passed on to the page (briefmap.clicker)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        briefmap.clicker({{ this._parent.get_name() }}, {{ this.spec|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, actions: tuple[str, ...]):
        super().__init__()
        self._name = "ClickerKeys"
        self.spec = {"keys": sorted({k for a in actions for k in CLICKER_KEYS[a]})}


def focus_group(target: dict[str, Any], nonce: int) -> folium.FeatureGroup:
    """A group whose only job is to move the map: {"bounds": [w, s, e, n]} or {"center", "zoom"}."""
    group = folium.FeatureGroup(name="focus", control=False)
    Focus(target, nonce).add_to(group)
    return group


def highlight_group(features: Iterable[Feature], lang: str = "en") -> folium.FeatureGroup:
    """Halos under `features`, whose labels take the first priority (layers.render.labels)."""
    features = list(features)
    group = folium.FeatureGroup(name="highlight", control=False)
    data = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"id": f.id}, "geometry": geometry_dict(f.geometry)}
            for f in features
        ],
    }
    Highlight(data).add_to(group)
    items = label_items(features, lang, highlight={f.id for f in features})
    FeatureLabels(items, halo_obstacles(features)).add_to(group)
    return group


def base_map(
    *,
    lang: str = "en",
    basemap_source: dict[str, Any] | None = None,
    basemap_data: dict[str, Any] | None = None,
    center: Sequence[float] = DEFAULT_CENTER,
    zoom: float = DEFAULT_ZOOM,
    clicker: tuple[str, ...] = (),
    mode: str = "screen",
    reports_key: str | None = None,
) -> folium.Map:
    """A folium Map with no tile URL, local assets only, and the vector-tile basemap.

    Give `basemap_source` (the dashboard: `basemap.basemap_spec()`, an archive the browser
    reads from briefmap's route, and the session's `reports_key` to its paragraphs) or
    `basemap_data` (self-contained pages: `basemap.offline_basemap_data()`, tiles embedded in
    the page). `mode` "projector" (the audience's window) sizes labels for the room and leaves
    out the zoom and measuring controls. `clicker` lists the presentation actions whose keys
    the map should hear.
    """
    projector = mode == "projector"
    m = folium.Map(
        location=list(center),
        zoom_start=zoom,
        tiles=None,
        min_zoom=MIN_ZOOM,
        max_zoom=MAX_ZOOM,
        zoom_control=not projector,
        control_scale=False,  # a metric-only scale is added with the measuring tool
        prefer_canvas=False,
        world_copy_jump=False,
    )
    m.default_js = assets.map_js()
    m.default_css = assets.map_css()
    if basemap_data is not None:
        source = {
            "tiles": basemap_data["tiles"],
            "max_zoom": basemap_data["max_zoom"],
            "attribution": basemap_data.get("attribution", basemap.ATTRIBUTION),
            **{
                k: basemap_data[k]
                for k in ("schema", "tile_format", "mapping")
                if k in basemap_data
            },
        }
    elif basemap_source is not None:
        source = basemap_source
    else:
        raise ValueError("base_map needs basemap_source or basemap_data")
    spec = {"source": source, "mode": mode, **basemap.style_spec(lang, mode)}
    Basemap(spec, reports_key).add_to(m)
    if not projector:
        MeasureControl(lang).add_to(m)
    if clicker:
        ClickerKeys(clicker).add_to(m)
    return m


def feature_collection(
    features: Iterable[Feature], geodata: Geodata, lang: str, reports: Library | None = None
) -> dict[str, Any]:
    """GeoJSON for the browser: geometry plus the render-only properties. `reports` gives the
    popups the paragraphs their citations open (None: 'report not loaded')."""
    out = []
    for f in features:
        layer = geodata.layers[f.layer]
        out.append(
            {
                "type": "Feature",
                "geometry": geometry_dict(f.geometry),
                "properties": {
                    "id": f.id,
                    "layer": f.layer,
                    "_style": feature_style(f, layer),
                    "_ring_m": ring_metres(f),
                    "_popup": popup_html(f, geodata, lang, reports),
                    "_tooltip": tooltip_html(f, geodata, lang),
                },
            }
        )
    return {"type": "FeatureCollection", "features": out}


def layer_groups(
    features: Sequence[Feature],
    geodata: Geodata,
    layer_ids: Sequence[str],
    lang: str = "en",
    reports: Library | None = None,
) -> list[folium.FeatureGroup]:
    """One FeatureGroup per layer in `layer_ids` (catalogue order), holding its features."""
    groups = []
    for layer_id in layer_ids:
        chosen = [f for f in features if f.layer == layer_id]
        layer = geodata.layers[layer_id]
        group = folium.FeatureGroup(name=layer.name_ar if lang == "ar" else layer.name_en)
        ReportLayer(feature_collection(chosen, geodata, lang, reports)).add_to(group)
        FeatureLabels(label_items(chosen, lang), marker_obstacles(chosen, geodata)).add_to(group)
        groups.append(group)
    return groups
