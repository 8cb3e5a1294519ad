"""How a feature looks: its layer's style, adjusted for what it is and how sure we are of it.

- notional geometry (a concept, not a survey) is dashed;
- scenario features are dashed and lighter, so a future never reads as a fact;
- approximate or regional points carry an uncertainty ring (a convention, see RING_METRES);
- places are hollow circles, events and presences are filled.

This is the one style definition: `symbol()` gives a renderer-neutral record in screen units
(CSS pixels), which the Leaflet map (`feature_style`, `HIGHLIGHT`, `RING`) and the static
snapshot (`layers.snapshot`, converting pixels to points) both draw from, so a feature never
looks different on a slide from on the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from layers.model import ClaimType, Feature, Layer, Precision

NOTIONAL_DASH = "6 6"
SCENARIO_DASH = "4 6"
SCENARIO_OPACITY = 0.85
SCENARIO_FILL_FACTOR = 0.7
# Radius of the uncertainty ring drawn around a point, by precision (metres). These are display
# conventions that say "somewhere around here", not measured errors.
RING_METRES = {Precision.APPROXIMATE: 5_000, Precision.REGION: 25_000}
HOLLOW_KINDS = frozenset({"place", "capital", "crossing", "camp", "facility"})
PX_PER_PT = 96 / 72  # CSS pixels per typographic point: print renderers divide by this


@dataclass(frozen=True, slots=True)
class Symbol:
    """One feature's look, whatever draws it. Lengths are CSS pixels."""

    shape: str  # point | line | area
    colour: str
    weight: float  # stroke width
    opacity: float  # stroke opacity
    fill_colour: str
    fill_opacity: float
    dash: str | None  # on/off lengths, "6 6"
    radius: float  # point marker radius (0 for lines and areas)
    ring_m: int  # uncertainty ring radius in metres (0: none)
    hollow: bool

    def dashes(self) -> tuple[float, ...]:
        return tuple(float(x) for x in self.dash.split()) if self.dash else ()


@dataclass(frozen=True, slots=True)
class Halo:
    """The highlight drawn under the features a scene or a search is about."""

    colour: str = "#ffd400"
    point_radius: float = 16
    point_weight: float = 5
    point_opacity: float = 0.95
    point_fill_opacity: float = 0.15
    line_weight: float = 9
    line_opacity: float = 0.75
    area_fill_opacity: float = 0.08


@dataclass(frozen=True, slots=True)
class Ring:
    """The uncertainty ring around an approximate point (in the feature's colour)."""

    weight: float = 1
    dash: str = "2 4"
    fill_opacity: float = 0.06


HIGHLIGHT = Halo()
RING = Ring()


def shape_of(feature: Feature) -> str:
    kind = feature.geometry.geom_type
    return "point" if "Point" in kind else "line" if "Line" in kind else "area"


def symbol(feature: Feature, layer: Layer) -> Symbol:
    s = layer.style
    dash, opacity, fill_opacity = s.dash, 0.95, s.fill_opacity
    if feature.precision == Precision.NOTIONAL:
        dash = dash or NOTIONAL_DASH
    if feature.claim_type == ClaimType.SCENARIO:
        dash = SCENARIO_DASH
        opacity = SCENARIO_OPACITY
        fill_opacity = round(s.fill_opacity * SCENARIO_FILL_FACTOR, 3)
    shape = shape_of(feature)
    if shape != "point":
        return Symbol(
            shape, s.colour, s.weight, opacity, s.fill_colour, fill_opacity, dash, 0, 0, False
        )
    hollow = feature.kind in HOLLOW_KINDS
    return Symbol(
        shape,
        s.colour,
        max(2.0, s.weight),
        opacity,
        "#ffffff" if hollow else s.fill_colour,
        0.95 if hollow else 0.85,
        dash,
        s.radius,
        ring_metres(feature),
        hollow,
    )


def css_class(feature: Feature) -> str:
    """Classes on the SVG element: layer and id (both [a-z0-9-]), for styling and tests."""
    return f"bm-f bm-layer-{feature.layer} bm-id-{feature.id} bm-claim-{feature.claim_type.value}"


def feature_style(feature: Feature, layer: Layer) -> dict[str, Any]:
    """The symbol as Leaflet path options."""
    sym = symbol(feature, layer)
    style: dict[str, Any] = {
        "color": sym.colour,
        "weight": sym.weight,
        "opacity": sym.opacity,
        "fillColor": sym.fill_colour,
        "fillOpacity": sym.fill_opacity,
        "className": css_class(feature),
    }
    if sym.dash:
        style["dashArray"] = sym.dash
    if sym.shape == "point":
        style["radius"] = sym.radius
    return style


def highlight_options() -> dict[str, Any]:
    """The halo as Leaflet options for points and for lines/areas."""
    h = HIGHLIGHT
    return {
        "point": {
            "radius": h.point_radius,
            "color": h.colour,
            "weight": h.point_weight,
            "opacity": h.point_opacity,
            "fillOpacity": h.point_fill_opacity,
            "fillColor": h.colour,
        },
        "path": {
            "color": h.colour,
            "weight": h.line_weight,
            "opacity": h.line_opacity,
            "fillOpacity": h.area_fill_opacity,
            "fillColor": h.colour,
        },
    }


def ring_options() -> dict[str, Any]:
    return {"weight": RING.weight, "dashArray": RING.dash, "fillOpacity": RING.fill_opacity}


def ring_metres(feature: Feature) -> int:
    if feature.geometry.geom_type != "Point":
        return 0
    return RING_METRES.get(feature.precision, 0)
