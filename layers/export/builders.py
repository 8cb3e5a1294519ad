"""The files of a view or a scene, one builder per kind: a map picture (PNG, SVG, PDF), the
offline HTML page, and the data (GeoJSON, CSV). Each takes a `Request` and the geodata and
returns a `Product`; the format registry (`layers.export.formats`) says which builder makes
which format.

May import: the core modules, `layers.snapshot`, `layers.render.standalone`, the event store's
read side, and `layers.export.request` / `layers.export.features`. Not the registry."""

from __future__ import annotations

import math
from typing import Any

from layers.dtg import dtg
from layers.events.export import events_features
from layers.events.shown import MARKING_NAME, ShownEvents, shown_events
from layers.events.store import StoreError
from layers.events.words import w as event_words
from layers.export.features import csv_text, geojson_text
from layers.export.request import Product, ProductError, Request
from layers.i18n import t
from layers.marking import banner_marking
from layers.model import Feature, Geodata
from layers.render.standalone import Page, offline_html
from layers.snapshot import Snapshot, render, save
from layers.snapshot.contents import layer_markings
from layers.snapshot.projection import Projection, clamp_frame, fit_to_aspect
from layers.snapshot.render import VIEWPORT_PX, drawn_features, view_frame
from layers.view import View
from layers.view.words import describe
from layers.walkthrough import scene_view


def map_file(req: Request, geodata: Geodata) -> Product:
    """A map picture in `req.fmt` (png, svg or pdf), as `layers.snapshot` draws it."""
    fig, _ = render(_snapshot(req, geodata, _shown(req, _view(req), geodata)), geodata)
    return Product(save(fig, req.fmt, when=req.when))


def page_file(req: Request, geodata: Geodata) -> Product:
    """The offline HTML map of the view or scene."""
    snap = _snapshot(req, geodata, _shown(req, _view(req), geodata))
    return Product(_html(req, snap, geodata).encode("utf-8"))


def geojson_file(req: Request, geodata: Geodata) -> Product:
    """The features, then the events shown (marked at the top with the highest marking of
    both)."""
    view = _view(req)
    shown = _shown(req, view, geodata)
    _check_marking(req, view, geodata, shown)
    features = view.select(geodata)
    summary = _summary(features, view, geodata)
    if shown is None:
        return Product(geojson_text(features, view.lang).encode("utf-8"), summary=summary)
    members = {"marking": banner_marking(_markings(view, geodata, shown)).label}
    extra = events_features(shown.result.selection)
    text = geojson_text(features, view.lang, extra=extra, members=members)
    summary += f" and {shown.count:,} imported incidents"
    return Product(text.encode("utf-8"), summary=summary)


def csv_file(req: Request, geodata: Geodata) -> Product:
    """The features only, and a note that says so when events are shown."""
    view = _view(req)
    shown = _shown(req, view, geodata)
    _check_marking(req, view, geodata, shown)
    features = view.select(geodata)
    note = None
    if shown is not None:
        note = (
            f"the CSV holds the {len(features)} report features only, not the "
            f"{shown.count:,} imported incidents shown: export GeoJSON for both, or the "
            "incidents panel's ACLED CSV"
        )
    summary = _summary(features, view, geodata)
    return Product(csv_text(features, view.lang).encode("utf-8"), note, summary)


def _summary(features: list[Feature], view: View, geodata: Geodata) -> str:
    return f"{len(features)} features ({describe(view, geodata)})"


def _view(req: Request) -> View:
    return scene_view(req.scene, req.view.lang) if req.scene else req.view


def _check_marking(req: Request, view: View, geodata: Geodata, shown: ShownEvents | None) -> None:
    """Data has no banner to print a marking on, but one asked for is never ignored."""
    if req.classification is not None:
        banner_marking(_markings(view, geodata, shown), req.classification)


def _shown(req: Request, view: View, geodata: Geodata) -> ShownEvents | None:
    if req.events is None:
        return None
    try:
        return shown_events(req.events_snapshot or req.events, view, geodata)
    except StoreError as exc:
        raise ProductError(f"imported incidents: {exc}") from exc


def _markings(view: View, geodata: Geodata, shown: ShownEvents | None) -> dict[str, Any]:
    """The marking of each layer the view shows, and of the imported incidents if shown."""
    markings: dict[str, Any] = dict(layer_markings(view, geodata))
    if shown is not None:
        markings[MARKING_NAME] = shown.marking
    return markings


def _snapshot(req: Request, geodata: Geodata, shown: ShownEvents | None = None) -> Snapshot:
    kw = {"size": req.size, "dpi": req.dpi, "classification": req.classification, "when": req.when}
    kw["events"] = shown
    kw["basemap"] = req.basemap
    if req.scene is not None:
        snap = Snapshot.of_scene(req.scene, geodata, req.view.lang, **kw)
    else:
        snap = Snapshot(req.view, frame=req.frame, **kw)
    return Snapshot(**{**snap.__dict__, "title": req.title or snap.title})


def _html(req: Request, snap: Snapshot, geodata: Geodata) -> str:
    view = snap.view
    frame = clamp_frame(snap.frame or view_frame(view, geodata))
    proj = Projection.fitted(frame)
    features = drawn_features(view, geodata, proj, fit_to_aspect(proj, frame, 16 / 9))
    markings = layer_markings(view, geodata)
    events, meta_events = None, ""
    if snap.events is not None:
        markings[MARKING_NAME] = snap.events.marking
        zoom = view.zoom if view.zoom is not None else fit_zoom(frame)
        events = snap.events.payload(frame, zoom, view.lang)
        named = ", ".join(snap.events.datasets(frame)) or "ACLED"
        meta_events = f" · {event_words('layer', view.lang)}: {events['in_view']:,} ({named})"
    marking = banner_marking(markings, req.classification)
    title = snap.title or t("app_title", view.lang)
    points: tuple[str, ...] = ()
    if req.scene is not None:
        points = req.scene.points_ar if view.lang == "ar" else req.scene.points_en
    highlight = tuple(f for f in features if f.id in snap.highlight)
    page = Page(title, points, tuple(features), frame, highlight, snap.sources, events)
    meta = f"DTG {dtg(req.when)} · {describe(view, geodata)}{meta_events}"
    return offline_html(
        [page], geodata, view.lang, title=title, marking=marking, meta=meta, basemap=req.basemap
    )


def fit_zoom(frame: tuple[float, float, float, float]) -> float:
    """The web map's zoom at which `frame` fills a dashboard-sized map (as the page opens)."""
    span = max(frame[2] - frame[0], 1e-6)
    return min(9.0, math.log2(360 * VIEWPORT_PX[0] / (256 * span)))
