"""How a feature looks: its layer's style, adjusted for what it is and how sure we are of it.

- notional geometry (a concept, not a survey) is dashed;
- scenario features are dashed and lighter, so a future never reads as a fact;
- approximate or regional points carry an uncertainty ring (a convention, see RING_METRES);
- places are hollow circles, events and presences are filled.
"""

from __future__ import annotations

from typing import Any

from layers.model import ClaimType, Feature, Layer, Precision

NOTIONAL_DASH = "6 6"
SCENARIO_DASH = "4 6"
# Radius of the uncertainty ring drawn around a point, by precision (metres). These are display
# conventions that say "somewhere around here", not measured errors.
RING_METRES = {Precision.APPROXIMATE: 5_000, Precision.REGION: 25_000}
HOLLOW_KINDS = frozenset({"place", "capital", "crossing", "camp", "facility"})


def css_class(feature: Feature) -> str:
    """Classes on the SVG element: layer and id (both [a-z0-9-]), for styling and tests."""
    return f"bm-f bm-layer-{feature.layer} bm-id-{feature.id} bm-claim-{feature.claim_type.value}"


def feature_style(feature: Feature, layer: Layer) -> dict[str, Any]:
    s = layer.style
    style: dict[str, Any] = {
        "color": s.colour,
        "weight": s.weight,
        "opacity": 0.95,
        "fillColor": s.fill_colour,
        "fillOpacity": s.fill_opacity,
        "className": css_class(feature),
    }
    dash = s.dash
    if feature.precision == Precision.NOTIONAL:
        dash = dash or NOTIONAL_DASH
    if feature.claim_type == ClaimType.SCENARIO:
        dash = SCENARIO_DASH
        style["opacity"] = 0.85
        style["fillOpacity"] = round(s.fill_opacity * 0.7, 3)
    if dash:
        style["dashArray"] = dash
    if feature.geometry.geom_type == "Point":
        style["radius"] = s.radius
        style["weight"] = max(2.0, s.weight)
        hollow = feature.kind in HOLLOW_KINDS
        style["fillColor"] = "#ffffff" if hollow else s.fill_colour
        style["fillOpacity"] = 0.95 if hollow else 0.85
    return style


def ring_metres(feature: Feature) -> int:
    if feature.geometry.geom_type != "Point":
        return 0
    return RING_METRES.get(feature.precision, 0)
