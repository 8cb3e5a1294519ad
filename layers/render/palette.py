"""Colour checks for a map read on a projector and by colour-blind viewers.

- contrast: WCAG 2 contrast ratio of a colour against the map's land colour (3:1 is the
  WCAG minimum for graphical objects);
- distinctness: CIEDE2000 difference between two colours, for normal vision and as seen with
  protanopia or deuteranopia (Machado, Oliveira & Fernandes 2009, severity 1.0);
- side-coding: no red that, next to a blue, would read as hostile/friendly.
"""

from __future__ import annotations

import colorsys
import math

LAND = "#f4f1ea"  # the basemap's land fill (layers.render.basemap)

# Machado et al. (2009) simulation matrices, severity 1.0, applied to linear RGB.
_CVD = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
}
VISIONS = ("normal", *_CVD)


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    return tuple(int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _gamma(c: float) -> float:
    c = min(max(c, 0.0), 1.0)
    return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def luminance(hex_colour: str) -> float:
    r, g, b = (_linear(c) for c in _rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str = LAND) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def simulate(hex_colour: str, vision: str) -> tuple[float, float, float]:
    """sRGB (0-1) of the colour as seen with the given vision."""
    rgb = _rgb(hex_colour)
    if vision == "normal":
        return rgb
    lin = [_linear(c) for c in rgb]
    m = _CVD[vision]
    return tuple(_gamma(sum(m[i][j] * lin[j] for j in range(3))) for i in range(3))  # type: ignore[return-value]


def _lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = (_linear(c) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(a: str, b: str, vision: str = "normal") -> float:
    """CIEDE2000 difference between two colours as seen with `vision`."""
    return _ciede2000(_lab(simulate(a, vision)), _lab(simulate(b, vision)))


def _ciede2000(lab1, lab2) -> float:  # noqa: PLR0914 - the formula is what it is
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    cm = (c1 + c2) / 2
    g = 0.5 * (1 - math.sqrt(cm**7 / (cm**7 + 25**7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360
    h2p = math.degrees(math.atan2(b2, a2p)) % 360
    dlp, dcp = l2 - l1, c2p - c1p
    dhp = 0.0
    if c1p * c2p:
        dhp = h2p - h1p
        dhp -= 360 if dhp > 180 else 0
        dhp += 360 if dhp < -180 else 0
    dhp_big = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dhp / 2))
    lpm, cpm = (l1 + l2) / 2, (c1p + c2p) / 2
    hpm = h1p + h2p
    if c1p * c2p:
        hpm = (h1p + h2p) / 2 if abs(h1p - h2p) <= 180 else (h1p + h2p + 360) / 2
        hpm -= 360 if hpm >= 360 else 0
    t = (
        1
        - 0.17 * math.cos(math.radians(hpm - 30))
        + 0.24 * math.cos(math.radians(2 * hpm))
        + 0.32 * math.cos(math.radians(3 * hpm + 6))
        - 0.20 * math.cos(math.radians(4 * hpm - 63))
    )
    sl = 1 + 0.015 * (lpm - 50) ** 2 / math.sqrt(20 + (lpm - 50) ** 2)
    sc, sh = 1 + 0.045 * cpm, 1 + 0.015 * cpm * t
    rt = (
        -2
        * math.sqrt(cpm**7 / (cpm**7 + 25**7))
        * math.sin(math.radians(60 * math.exp(-(((hpm - 275) / 25) ** 2))))
    )
    return math.sqrt(
        (dlp / sl) ** 2 + (dcp / sc) ** 2 + (dhp_big / sh) ** 2 + rt * (dcp / sc) * (dhp_big / sh)
    )


def is_red(hex_colour: str) -> bool:
    """A saturated red (hue within 20° of pure red), which beside a blue reads as 'hostile'."""
    hue, light, sat = colorsys.rgb_to_hls(*_rgb(hex_colour))
    hue *= 360
    return sat > 0.45 and 0.2 < light < 0.8 and (hue <= 20 or hue >= 340)
