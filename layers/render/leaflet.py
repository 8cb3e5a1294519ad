"""folium maps built from briefmap data: an offline base map plus one feature group per layer.

The base map (vector basemap, controls, local assets) depends only on the language, so its
script stays the same from one Streamlit rerun to the next and streamlit-folium keeps the map
mounted; report data goes in separate feature groups that can change without a remount.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import folium
from folium.elements import MacroElement
from folium.template import Template

from layers.contract import geometry_dict
from layers.model import Feature, Geodata
from layers.render import assets, basemap
from layers.render.popup import popup_html, tooltip_html
from layers.render.style import feature_style, ring_metres

DEFAULT_CENTER = (34.4, 43.2)
DEFAULT_ZOOM = 6
ATTRIBUTION = (
    "Basemap: Natural Earth (public domain; boundaries as drawn by Natural Earth) · "
    "Places: Natural Earth, GeoNames (CC BY 4.0) · briefmap"
)


class Basemap(MacroElement):
    """The shipped Natural Earth basemap, fetched from the local static folder or inlined."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.Icon.Default.imagePath = {{ this.image_path|tojson }};
        var {{ this.get_name() }}_map = {{ this._parent.get_name() }};
        {{ this.get_name() }}_map.attributionControl.addAttribution({{ this.attribution|tojson }});
        briefmap.basemap({{ this.get_name() }}_map, {{ this.spec|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, spec: dict[str, Any]):
        super().__init__()
        self._name = "Basemap"
        self.spec = spec
        self.image_path = assets.leaflet_image_url()
        self.attribution = ATTRIBUTION


class ReportLayer(MacroElement):
    """One layer's features as GeoJSON with escaped popup/tooltip HTML in their properties."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = briefmap.reportLayer(
            {{ this.data|tojson }}, {{ this.options|tojson }}
        ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict[str, Any], rings: bool = True):
        super().__init__()
        self._name = "ReportLayer"
        self.data = data
        self.options = {"rings": rings}


def base_map(
    *,
    lang: str = "en",
    basemap_url: str | None = None,
    basemap_data: dict[str, Any] | None = None,
    center: Sequence[float] = DEFAULT_CENTER,
    zoom: int = DEFAULT_ZOOM,
) -> folium.Map:
    """A folium Map with no tiles, local assets only, and the vector basemap.

    Give `basemap_url` (the dashboard: the browser fetches it once) or `basemap_data`
    (self-contained exports).
    """
    m = folium.Map(
        location=list(center),
        zoom_start=zoom,
        tiles=None,
        min_zoom=4,
        max_zoom=12,
        control_scale=True,
        prefer_canvas=False,
        world_copy_jump=False,
    )
    m.default_js = assets.map_js()
    m.default_css = assets.map_css()
    spec: dict[str, Any] = {"layers": basemap.layer_specs(), "lang": lang}
    if basemap_data is not None:
        spec["data"] = basemap_data
    else:
        spec["url"] = basemap_url
    Basemap(spec).add_to(m)
    return m


def feature_collection(features: Iterable[Feature], geodata: Geodata, lang: str) -> dict[str, Any]:
    """GeoJSON for the browser: geometry plus the render-only properties."""
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
                    "_popup": popup_html(f, geodata, lang),
                    "_tooltip": tooltip_html(f, geodata, lang),
                },
            }
        )
    return {"type": "FeatureCollection", "features": out}


def layer_groups(
    features: Sequence[Feature], geodata: Geodata, layer_ids: Sequence[str], lang: str = "en"
) -> list[folium.FeatureGroup]:
    """One FeatureGroup per layer in `layer_ids` (catalogue order), holding its features."""
    groups = []
    for layer_id in layer_ids:
        chosen = [f for f in features if f.layer == layer_id]
        layer = geodata.layers[layer_id]
        group = folium.FeatureGroup(name=layer.name_ar if lang == "ar" else layer.name_en)
        ReportLayer(feature_collection(chosen, geodata, lang)).add_to(group)
        groups.append(group)
    return groups
