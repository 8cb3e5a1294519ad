"""Popup and tooltip HTML for a feature. Every value from data goes through `esc`
(`layers.render.escape`): briefmap delivers popups as JSON values, where they are inert anyway,
but the escaping holds wherever the HTML ends up."""

from __future__ import annotations

from functools import lru_cache

import mgrs

from layers.dates import describe
from layers.i18n import pick, t
from layers.model import DateBasis, Feature, Geodata
from layers.provenance import provenance
from layers.render.escape import esc


@lru_cache(maxsize=1)
def _mgrs() -> mgrs.MGRS:
    return mgrs.MGRS()


def mgrs_text(lat: float, lon: float) -> str:
    """MGRS at 10 m, spaced as analysts read it: '37S FA 1234 5678'."""
    raw = _mgrs().toMGRS(lat, lon, MGRSPrecision=4)
    raw = raw.decode() if isinstance(raw, bytes) else raw
    gzd, square, digits = raw[:-10], raw[-10:-8], raw[-8:]
    return f"{gzd} {square} {digits[:4]} {digits[4:]}"


def coordinates_text(feature: Feature, lang: str) -> str:
    geom = feature.geometry
    point = geom if geom.geom_type == "Point" else geom.representative_point()
    text = f"{point.y:.5f}, {point.x:.5f} · MGRS {mgrs_text(point.y, point.x)}"
    if geom.geom_type != "Point":
        text = f"{t('centre', lang)}: {text}"
    return text


def date_text(feature: Feature, lang: str) -> str:
    if feature.date is None:
        return t("undated", lang)
    text = describe(feature.date, lang)
    if feature.date_basis in (DateBasis.REFERENCE, DateBasis.INFERRED):
        text += f" ({t('basis_' + feature.date_basis.value, lang)})"
    return text


def citation_text(report: str, paragraph: int, lang: str) -> str:
    sep = "، " if lang == "ar" else ", "
    return f"{report}{sep}{t('paragraph', lang)} {paragraph}"


def popup_html(feature: Feature, geodata: Geodata, lang: str = "en") -> str:
    other = "en" if lang == "ar" else "ar"
    layer = geodata.layers[feature.layer]
    rows = [
        (t("actors", lang), _actor_names(feature, geodata, lang)),
        (t("date", lang), date_text(feature, lang)),
        (t("location", lang), _location(feature, lang)),
        (t("source", lang), provenance(feature, geodata, lang)),
        (t("coordinates", lang), coordinates_text(feature, lang)),
    ]
    if feature.status:
        as_of = f"({t('as_of', lang)} {feature.status_as_of})"
        status = f"{t('status_' + feature.status, lang)} {as_of}"
        rows.insert(3, (t("status", lang), status))
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
        "<dl>" + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows if v) + "</dl>",
    ]
    for conflict in feature.conflicts:
        parts.append(
            f'<div class="bm-conflict"><b>{esc(t("conflict", lang))}:</b> '
            f"{esc(pick(conflict.note_en, conflict.note_ar, lang))}</div>"
        )
    if feature.sources:
        items = "".join(
            f'<li class="bm-cite">{esc(citation_text(c.report, c.paragraph, lang))}</li>'
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
