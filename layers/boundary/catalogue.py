"""The layer catalogue (`layers.json`): layers, their style and handling marking, and the area
of interest."""

from __future__ import annotations

import re
from typing import Any

from layers.boundary.context import read_records, top_list
from layers.boundary.problems import Fields, ProblemLog, show
from layers.marking import MarkingError, active, dominates
from layers.marking import parse as parse_marking
from layers.model import Layer, LayerStyle, Theme

_LAYER_FIELDS = frozenset(
    {"id", "name_en", "name_ar", "theme", "visible", "hypothetical", "style"}
    | {"description_en", "description_ar", "marking"}
)


def read_catalogue(
    data: Any, file: str, log: ProblemLog
) -> tuple[dict[str, Layer], tuple[float, float, float, float]]:
    dataset = _dataset_marking(data, file, log)
    layers = read_records(
        top_list(data, file, "layers", log),
        file,
        "layers",
        log,
        lambda f: _layer(f, dataset),
    )
    aoi = data.get("area_of_interest") if isinstance(data, dict) else None
    if data is not None and not _is_bbox(aoi):
        log.add(
            file,
            "",
            "area_of_interest",
            "expected [west, south, east, north] in degrees with west < east, south < north",
        )
    if not _is_bbox(aoi):
        aoi = [-180.0, -90.0, 180.0, 90.0]
    return layers, tuple(float(v) for v in aoi)  # type: ignore[return-value]


def _dataset_marking(data: Any, file: str, log: ProblemLog) -> str:
    """The marking of the whole dataset (required): every layer carries it, or a higher one."""
    raw = data.get("marking") if isinstance(data, dict) else None
    if data is not None and not isinstance(raw, str):
        log.add(file, "", "marking", 'expected the dataset\'s handling marking, e.g. "TLP:CLEAR"')
    elif isinstance(raw, str):
        try:
            return parse_marking(raw).label
        except MarkingError as exc:
            log.add(file, "", "marking", str(exc))
    return active().default


def _layer_marking(f: Fields, dataset: str) -> str:
    raw = f.raw("marking", required=False)
    if raw is None:
        return dataset
    try:
        own, base = parse_marking(str(raw)), parse_marking(dataset)
    except MarkingError as exc:
        f.problem("marking", str(exc))
        return dataset
    if not dominates(own, base):  # lower, or releasable wider than the dataset
        f.problem("marking", f"{own.label} is below the dataset's marking {base.label}")
    return own.label


def _is_bbox(value: Any) -> bool:
    if not isinstance(value, list) or len(value) != 4:
        return False
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
        return False
    w, s, e, n = value
    return -180 <= w < e <= 180 and -90 <= s < n <= 90


def _layer(f: Fields, dataset_marking: str) -> Layer | None:
    f.unknown(_LAYER_FIELDS)
    ident = f.ident("id")
    names = (f.text("name_en", lang="en"), f.text("name_ar", lang="ar"))
    theme = f.choice("theme", {t.value for t in Theme})
    visible, hypothetical = f.flag("visible", True), f.flag("hypothetical", False)
    if theme == Theme.SCENARIOS and (visible or not hypothetical):
        f.problem("visible", "a scenarios layer must be hypothetical and off by default")
    texts = (f.text("description_en", lang="en"), f.text("description_ar", lang="ar"))
    style = _style(f)
    marking = _layer_marking(f, dataset_marking)
    if not f.ok or style is None:
        return None
    return Layer(
        ident,
        names[0],
        names[1],
        Theme(theme),
        visible,
        style,  # type: ignore[arg-type]
        texts[0],
        texts[1],
        hypothetical,
        marking,
    )


def _style(f: Fields) -> LayerStyle | None:
    raw = f.raw("style")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        f.problem("style", "expected an object with colour, fill_colour, weight …")
        return None
    s = Fields(f.log, f.file, f.item, raw, "style.")
    s.unknown({"colour", "fill_colour", "weight", "fill_opacity", "dash", "radius"})
    colour, fill = s.colour("colour"), s.colour("fill_colour", required=False)
    weight = s.number("weight", 2.0, 0.5, 12)
    opacity = s.number("fill_opacity", 0.2, 0, 1)
    radius = s.number("radius", 7.0, 2, 30)
    dash = raw.get("dash")
    if dash is not None and not (isinstance(dash, str) and re.fullmatch(r"\d+( \d+)*", dash)):
        s.problem("dash", f"expected a dash pattern like '6 4', got {show(dash)}")
    if not s.ok:
        f.ok = False
        return None
    return LayerStyle(colour, fill or colour, weight, opacity, dash, radius)  # type: ignore[arg-type]
