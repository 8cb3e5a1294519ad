"""A categorical legend of what is on the map now, in the map's own colours and symbols."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from layers.i18n import pick
from layers.model import ClaimType, Feature, Geodata, Precision
from layers.render.escape import esc

KEYS = {
    "notional": (
        "Dashed: drawn as a concept, not a surveyed line",
        "متقطع: مرسوم كفكرة لا كخط مساحي",
    ),
    "scenario": ("Faint dashed: hypothetical scenario", "متقطع باهت: سيناريو افتراضي"),
    "ring": ("Ring: approximate location", "حلقة: موقع تقريبي"),
    "hollow": (
        "Hollow circle: a place; filled: an event or presence",
        "دائرة فارغة: مكان؛ مصمتة: حدث أو وجود",
    ),
}


@dataclass(frozen=True)
class LegendItem:
    layer: str
    label: str
    colour: str
    symbols: tuple[str, ...]  # point / line / area, in that order
    dash: str | None
    count: int


def legend_items(features: Sequence[Feature], geodata: Geodata, lang: str) -> list[LegendItem]:
    """One item per layer with at least one feature shown, in catalogue order."""
    items = []
    for lid, layer in geodata.layers.items():
        shown = [f for f in features if f.layer == lid]
        if not shown:
            continue
        symbols = {_symbol(f) for f in shown}
        items.append(
            LegendItem(
                lid,
                pick(layer.name_en, layer.name_ar, lang),
                layer.style.colour,
                tuple(s for s in ("point", "line", "area") if s in symbols),
                layer.style.dash,
                len(shown),
            )
        )
    return items


def legend_keys(features: Sequence[Feature], lang: str) -> list[str]:
    """The symbology notes that apply to what is shown."""
    present = set()
    for f in features:
        if f.claim_type == ClaimType.SCENARIO:
            present.add("scenario")
        elif f.precision == Precision.NOTIONAL:
            present.add("notional")
        if f.geometry.geom_type == "Point":
            present.add("hollow")
            if f.precision in (Precision.APPROXIMATE, Precision.REGION):
                present.add("ring")
    return [pick(*KEYS[k], lang) for k in KEYS if k in present]


def _symbol(f: Feature) -> str:
    kind = f.geometry.geom_type
    return "point" if "Point" in kind else "line" if "Line" in kind else "area"


def _swatch(symbol: str, colour: str, dash: str | None) -> str:
    c = esc(colour)
    dash_attr = f' stroke-dasharray="{esc(dash)}"' if dash else ""
    if symbol == "point":
        body = f'<circle cx="9" cy="7" r="5" fill="{c}" stroke="{c}" stroke-width="2"/>'
    elif symbol == "line":
        body = f'<line x1="1" y1="7" x2="17" y2="7" stroke="{c}" stroke-width="3"{dash_attr}/>'
    else:
        body = (
            f'<rect x="2" y="2" width="14" height="10" fill="{c}" fill-opacity="0.25" '
            f'stroke="{c}" stroke-width="2"{dash_attr}/>'
        )
    return f'<svg width="18" height="14" aria-hidden="true">{body}</svg>'


def legend_html(items: Sequence[LegendItem], keys: Sequence[str], lang: str) -> str:
    rows = []
    for item in items:
        swatches = "".join(_swatch(s, item.colour, item.dash) for s in item.symbols)
        rows.append(
            f'<li class="bm-legend-item" data-layer="{esc(item.layer)}">'
            f'<span class="bm-swatches">{swatches}</span> {esc(item.label)} '
            f'<span class="bm-count">({item.count})</span></li>'
        )
    notes = "".join(f"<li>{esc(k)}</li>" for k in keys)
    direction = "rtl" if lang == "ar" else "ltr"
    return (
        f'<div class="bm-legend" dir="{direction}" lang="{lang}"><ul>{"".join(rows)}</ul>'
        f'<ul class="bm-legend-keys">{notes}</ul></div>'
    )
