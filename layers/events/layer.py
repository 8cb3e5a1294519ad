"""The events layer for the folium map: density hexagons when many events are in view,
points (and one counted circle per admin centre for imprecise places) when at most
POINT_LIMIT are; what to draw is `layers.events.payload`'s. The browser draws a payload as one
canvas layer that hit-tests itself (`briefmap-events.js`).

What reaches the browser is compact: integer coordinates, delta-encoded, and class numbers;
labels are set with textContent by `briefmap-events.js`, and popup HTML is made on the server
only for the clicked place (`EventPopup`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import folium
from folium.template import Template

from layers.events.words import w
from layers.render.leaflet import DataElement


class EventsLayer(DataElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        briefmapEvents.layer({{ this._parent.get_name() }}, {{ this.data|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict[str, Any]):
        super().__init__()
        self._name = "EventsLayer"
        self.data = data


class EventPopup(DataElement):
    """Opens the server-built popup of a clicked place once (keyed by a nonce)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        briefmapEvents.popup({{ this._parent.get_name() }}, {{ this.spec|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, lat: float, lon: float, html: str, nonce: int):
        super().__init__()
        self._name = "EventPopup"
        self.spec = {"lat": lat, "lon": lon, "html": html, "nonce": nonce}


@dataclass(frozen=True)
class EventsRender:
    group: folium.FeatureGroup
    mode: str  # "hex" or "points"
    in_view: int  # events in the view (before padding)
    payload_bytes: int  # JSON handed to the browser for this layer
    box: tuple[float, float, float, float]  # what the layer covers (west, south, east, north)
    zooms: tuple[int, int]  # the zooms at which it is drawn the same


def events_group(data: dict[str, Any], lang: str = "en") -> EventsRender:
    """The layer drawing a payload (`layers.events.payload`, as a query's `map`)."""
    group = folium.FeatureGroup(name=w("layer", lang), control=False)
    EventsLayer(data).add_to(group)
    size = len(json.dumps(data, separators=(",", ":")))
    box, zooms = tuple(data["box"]), tuple(data["zooms"])
    return EventsRender(group, data["mode"], data["in_view"], size, box, zooms)


def popup_group(lat: float, lon: float, html: str, nonce: int) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name="event-popup", control=False)
    EventPopup(lat, lon, html, nonce).add_to(group)
    return group
