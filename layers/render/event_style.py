"""How imported events look, on every renderer: a colour per ACLED event type, a sequential
ramp for density hexagons, and the look of an imprecise location's area.

Type colours are the Okabe-Ito set (distinct for colour-blind viewers); the density ramp is a
single-hue light-to-dark sequence, so "more" always reads as "darker".
"""

from __future__ import annotations

TYPE_COLOURS = {
    "Battles": "#d55e00",
    "Explosions/Remote violence": "#cc79a7",
    "Violence against civilians": "#0072b2",
    "Protests": "#009e73",
    "Riots": "#e69f00",
    "Strategic developments": "#56b4e9",
}
OTHER_COLOUR = "#666666"
DENSITY_RAMP = ("#fde0c5", "#facba6", "#f8b58b", "#f59e72", "#f2855d", "#ef6a4c", "#b53a2c")
HEX_STYLE = {"weight": 0.6, "color": "#ffffff", "fillOpacity": 0.62}
POINT_STYLE = {"radius": 4, "weight": 0.8, "color": "#222222", "fillOpacity": 0.85}
AREA_STYLE = {"weight": 1.5, "color": "#444444", "dashArray": "4 5", "fillOpacity": 0.07}


def type_colour(event_type: str) -> str:
    return TYPE_COLOURS.get(event_type, OTHER_COLOUR)


def ramp(classes: int) -> list[str]:
    """`classes` colours from the density ramp, light to dark."""
    if classes <= 0:
        return []
    if classes == 1:
        return [DENSITY_RAMP[-1]]
    step = (len(DENSITY_RAMP) - 1) / (classes - 1)
    return [DENSITY_RAMP[round(k * step)] for k in range(classes)]
