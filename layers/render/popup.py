"""Popup and tooltip HTML for a feature. Every value from data goes through `esc`
(`layers.render.escape`): briefmap delivers popups as JSON values, where they are inert anyway,
but the escaping holds wherever the HTML ends up.

Coordinates are given at the grain the location has (an approximate point is not given to
10 m); each citation opens its paragraph (`layers.render.sources`); file names, coordinates and
MGRS stay left to right inside Arabic text.
"""

from __future__ import annotations

from functools import lru_cache

import mgrs

from layers.dates import describe
from layers.i18n import pick, t
from layers.model import DateBasis, Feature, Geodata, Precision
from layers.provenance import provenance_source
from layers.render.escape import esc
from layers.render.sources import grade_html, ltr, source_html
from layers.reports import Library

# decimals of a degree and MGRS digits per axis, by precision: 4 ≈ 10 m, 2 ≈ 1 km, 1 ≈ 10 km
# (the distances of layers.model.PRECISION_KM, rounded to what can be written)
GRAIN = {
    Precision.EXACT: 4,
    Precision.APPROXIMATE: 2,
    Precision.REGION: 1,
    Precision.NOTIONAL: 1,
}


@lru_cache(maxsize=1)
def _mgrs() -> mgrs.MGRS:
    return mgrs.MGRS()


def mgrs_text(lat: float, lon: float, digits: int = 4) -> str:
    """MGRS spaced as analysts read it: '37S FA 1234 5678' (digits=4, 10 m), '37S FA 12 56'
    (digits=2, 1 km)."""
    raw = _mgrs().toMGRS(lat, lon, MGRSPrecision=digits)
    raw = raw.decode() if isinstance(raw, bytes) else raw
    n = 2 * digits
    gzd, square, numbers = raw[: -n - 2], raw[-n - 2 : -n], raw[-n:]
    return f"{gzd} {square} {numbers[:digits]} {numbers[digits:]}"


def coordinates_text(feature: Feature) -> tuple[str, str]:
    """('34.41° N, 40.97° E', '37S FV 12 34') at the feature's grain, for its point or the
    centre of its shape."""
    geom = feature.geometry
    point = geom if geom.geom_type == "Point" else geom.representative_point()
    d = GRAIN[feature.precision]
    lat, lon = point.y, point.x
    ns, ew = ("N" if lat >= 0 else "S"), ("E" if lon >= 0 else "W")
    return f"{abs(lat):.{d}f}° {ns}, {abs(lon):.{d}f}° {ew}", mgrs_text(lat, lon, d)


def coordinates_html(feature: Feature, lang: str) -> str:
    decimal, grid = coordinates_text(feature)
    approx = "≈ " if feature.precision != Precision.EXACT else ""
    text = f"{ltr(approx + decimal)} · {ltr('MGRS ' + grid)}"
    if feature.geometry.geom_type != "Point":
        text = f"{esc(t('centre', lang))}: {text}"
    return text


def date_text(feature: Feature, lang: str) -> str:
    if feature.date is None:
        return t("undated", lang)
    text = describe(feature.date, lang)
    if feature.date_basis in (DateBasis.REFERENCE, DateBasis.INFERRED):
        text += f" ({t('basis_' + feature.date_basis.value, lang)})"
    return text


def popup_html(
    feature: Feature, geodata: Geodata, lang: str = "en", reports: Library | None = None
) -> str:
    """The popup; `reports` gives the cited paragraphs (None: 'report not loaded')."""
    other = "en" if lang == "ar" else "ar"
    layer = geodata.layers[feature.layer]
    source = f"{esc(provenance_source(feature, geodata, lang))} — {grade_html(feature.grade, lang)}"
    rows = [
        (t("actors", lang), esc(_actor_names(feature, geodata, lang))),
        (t("date", lang), esc(date_text(feature, lang))),
        (t("location", lang), esc(_location(feature, lang))),
        (t("source", lang), source),
        (t("coordinates", lang), coordinates_html(feature, lang)),
    ]
    if feature.status:
        as_of = f"({t('as_of', lang)} {feature.status_as_of})"
        rows.insert(3, (t("status", lang), esc(f"{t('status_' + feature.status, lang)} {as_of}")))
    parts = [
        f'<div class="bm-popup" dir="{"rtl" if lang == "ar" else "ltr"}" lang="{lang}" '
        f'data-feature="{esc(feature.id)}">',
        f'<div class="bm-title">{esc(pick(feature.name_en, feature.name_ar, lang))}</div>',
        f'<div class="bm-title-alt" dir="{"rtl" if other == "ar" else "ltr"}" lang="{other}">'
        f"{esc(pick(feature.name_en, feature.name_ar, other))}</div>",
        f'<div class="bm-meta">{esc(pick(layer.name_en, layer.name_ar, lang))} · '
        f'<span class="bm-flag bm-claim-{feature.claim_type.value}">'
        f"{esc(t('claim_' + feature.claim_type.value, lang))}</span></div>",
        f'<p class="bm-summary">{esc(pick(feature.summary_en, feature.summary_ar, lang))}</p>',
        "<dl>" + "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in rows if v) + "</dl>",
    ]
    for conflict in feature.conflicts:
        parts.append(
            f'<div class="bm-conflict"><b>{esc(t("conflict", lang))}:</b> '
            f"{esc(pick(conflict.note_en, conflict.note_ar, lang))}</div>"
        )
    if feature.sources:
        items = "".join(
            f'<li class="bm-cite">{source_html(c, geodata, reports, lang)}</li>'
            for c in feature.sources
        )
        parts.append(
            f'<div><b>{esc(t("citations", lang))}</b><ol class="bm-cites">{items}</ol></div>'
        )
    for ref_id in feature.references:
        ref = geodata.references[ref_id]
        parts.append(
            f'<div class="bm-ref"><b>{esc(t("references", lang))}:</b> '
            f"{esc(ref.title)} — {esc(ref.publisher)}, {esc(ref.date)}</div>"
        )
    parts.append("</div>")
    return "".join(parts)


def tooltip_html(feature: Feature, geodata: Geodata, lang: str = "en") -> str:
    layer = geodata.layers[feature.layer]
    name = esc(pick(feature.name_en, feature.name_ar, lang))
    return (
        f'<span dir="{"rtl" if lang == "ar" else "ltr"}"><b>{name}</b> · '
        f"{esc(pick(layer.name_en, layer.name_ar, lang))}</span>"
    )


def _actor_names(feature: Feature, geodata: Geodata, lang: str) -> str:
    sep = "، " if lang == "ar" else ", "
    return sep.join(
        pick(geodata.actors[a].name_en, geodata.actors[a].name_ar, lang) for a in feature.actors
    )


def _location(feature: Feature, lang: str) -> str:
    text = t("precision_" + feature.precision.value, lang)
    note = pick(feature.location_note_en or "", feature.location_note_ar or "", lang)
    return f"{text} — {note}" if note else text
