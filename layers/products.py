"""Export requests as the CLI and the app make them: which view, scene or walkthrough, in
which format, and the bytes that result. One place decides what a combination means and
refuses the ones that mean nothing, with a message that says what to do instead."""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from layers.atomic import UnsafeTarget, check_target, write_bytes_atomic, write_error
from layers.boundary import GeodataError, load_geodata
from layers.dtg import dtg, stamp, utc_now
from layers.events.export import events_features
from layers.events.shown import MARKING_NAME, ShownEvents, shown_events
from layers.events.store import EventSnapshot, EventStore, StoreError, open_store
from layers.events.words import w as event_words
from layers.export import ExportError, csv_text, geojson_text, view_from_args
from layers.i18n import t
from layers.marking import MarkingError, banner_marking
from layers.model import Geodata, Scene, Walkthrough
from layers.render.standalone import Page, offline_html
from layers.snapshot import Snapshot, render, save
from layers.snapshot.contents import layer_markings
from layers.snapshot.projection import Projection, clamp_frame, fit_to_aspect
from layers.snapshot.render import VIEWPORT_PX, drawn_features, view_frame
from layers.view import View
from layers.view_words import describe
from layers.walkthrough import scene_view

MAP_FORMATS = ("png", "svg", "pdf")
DATA_FORMATS = ("geojson", "csv")
FORMATS = (*MAP_FORMATS, "html", "pptx", *DATA_FORMATS)
SUFFIX = {
    "geojson": ".geojson",
    "csv": ".csv",
    "png": ".png",
    "svg": ".svg",
    "pdf": ".pdf",
    "html": ".html",
    "pptx": ".pptx",
}


class ProductError(ExportError):
    """A combination of options that makes no export (with what to do instead)."""


@dataclass(frozen=True)
class Request:
    fmt: str
    view: View
    when: datetime
    scene: Scene | None = None
    walkthrough: Walkthrough | None = None
    pack: bool = False
    size: str = "slide"
    dpi: int = 300
    title: str | None = None
    classification: str | None = None
    frame: tuple[float, float, float, float] | None = None  # the map's extent (the app's)
    events: EventStore | None = None  # imported incidents to show as the view selects them
    events_snapshot: EventSnapshot | None = None  # one generation of it, if already held
    basemap: Path | None = None  # a user's archive (`--basemap`); None: the shipped one


@dataclass(frozen=True)
class Product:
    data: bytes
    note: str | None = None  # what a person should know about the file (e.g. what it lacks)


def check(req: Request, options: set[str]) -> None:
    """`options` names the options given explicitly (size, dpi, title, classification,
    filters), so that one meaningless for the format is refused rather than ignored."""
    if req.fmt not in FORMATS:
        raise ProductError(f"format: expected one of {', '.join(FORMATS)}, got {req.fmt!r}")
    if req.fmt == "pptx" and not req.pack:
        raise ProductError("pptx is a briefing pack: add --pack and --walkthrough ID")
    if req.pack and req.fmt not in ("pptx", "pdf", "html"):
        raise ProductError(f"--pack makes pptx, pdf or html, not {req.fmt}")
    if req.pack and req.walkthrough is None:
        raise ProductError("--pack needs a walkthrough: --walkthrough ID")
    if req.walkthrough is not None and req.scene is None and not req.pack:
        raise ProductError("--walkthrough goes with --scene N or --pack")
    if req.pack and req.scene is not None:
        raise ProductError("--pack takes every scene: drop --scene")
    if (req.scene or req.pack) and "filters" in options:
        raise ProductError("a scene or a pack has its own view: drop the filter options")
    if req.fmt not in MAP_FORMATS and not req.pack:
        bad = options & {"size", "dpi"}
        if bad:
            raise ProductError(f"--{sorted(bad)[0]} applies to png, svg and pdf, not {req.fmt}")
    if req.fmt in DATA_FORMATS and options & {"title", "classification"}:
        raise ProductError(f"{req.fmt} has no title or banner: drop --title/--classification")
    if req.pack and req.events is not None:
        raise ProductError(
            "a pack shows the walkthrough's report data only: drop --events, or export a "
            "scene with --scene N --events"
        )


def file_name(req: Request) -> str:
    """briefmap-<what>-<20251123T1430Z>.<suffix>: the view and a sortable UTC time."""
    if req.pack and req.walkthrough:
        what = f"{req.walkthrough.id}-pack"
    elif req.scene is not None:
        what = f"scene-{req.scene.id}"
    else:
        what = "view"
    return f"briefmap-{what}-{req.view.lang}-{stamp(req.when)}{SUFFIX[req.fmt]}"


def build(req: Request, geodata: Geodata) -> bytes:
    """The export's bytes. Raises ProductError, SnapshotError or MarkingError."""
    return build_product(req, geodata).data


def build_product(req: Request, geodata: Geodata) -> Product:
    """The export's bytes and what to tell about them. Raises ProductError, SnapshotError or
    MarkingError (an export asked for below the marking of what it shows)."""
    if req.pack:
        from layers.pack import build_pack  # python-pptx only when a pack is asked for

        assert req.walkthrough is not None
        pack = build_pack(
            req.walkthrough,
            geodata,
            req.view.lang,
            req.when,
            classification=req.classification,
            formats=(req.fmt,),
            size=req.size,
            basemap=req.basemap,
        )
        return Product(pack.files[req.fmt])
    view = scene_view(req.scene, req.view.lang) if req.scene else req.view
    shown = _shown(req, view, geodata)
    if req.fmt in DATA_FORMATS:
        if req.classification is not None:  # no banner to print it on, but never ignored
            banner_marking(_markings(view, geodata, shown), req.classification)
        return _data(req.fmt, view, geodata, shown)
    snap = _snapshot(req, geodata, shown)
    if req.fmt == "html":
        return Product(_html(req, snap, geodata).encode("utf-8"))
    fig, _ = render(snap, geodata)
    return Product(save(fig, req.fmt, when=req.when))


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


def _data(fmt: str, view: View, geodata: Geodata, shown: ShownEvents | None) -> Product:
    """GeoJSON: the features, then the events shown (marked at the top with the highest
    marking of both). CSV: the features only, and a note that says so."""
    features = view.select(geodata)
    if fmt == "csv":
        note = None
        if shown is not None:
            note = (
                f"the CSV holds the {len(features)} report features only, not the "
                f"{shown.count:,} imported incidents shown: export GeoJSON for both, or the "
                "incidents panel's ACLED CSV"
            )
        return Product(csv_text(features, view.lang).encode("utf-8"), note)
    if shown is None:
        return Product(geojson_text(features, view.lang).encode("utf-8"))
    members = {"marking": banner_marking(_markings(view, geodata, shown)).label}
    extra = events_features(shown.result.selection)
    text = geojson_text(features, view.lang, extra=extra, members=members)
    return Product(text.encode("utf-8"))


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


def scene_of(walkthrough: Walkthrough, number: int) -> Scene:
    if not 1 <= number <= len(walkthrough.scenes):
        raise ProductError(
            f"--scene {number}: {walkthrough.id} has scenes 1 to {len(walkthrough.scenes)}"
        )
    return walkthrough.scenes[number - 1]


# -- the command line ---------------------------------------------------------------------------
_NEW_OPTIONS = ("walkthrough", "scene", "size", "dpi", "title", "classification")


def uses_products(args: Any) -> bool:
    """False for a plain GeoJSON/CSV export of filtered features (`layers.export`)."""
    return (
        args.pack
        or args.events
        or args.format not in DATA_FORMATS
        or any(getattr(args, o) is not None for o in _NEW_OPTIONS)
    )


def _given(args: Any) -> set[str]:
    given = {o for o in ("size", "dpi", "title", "classification") if getattr(args, o) is not None}
    filters = (args.layers, args.actors, args.types, args.date_from, args.date_to, args.bbox)
    if any(v is not None for v in filters):
        given.add("filters")
    return given


def _walkthrough(args: Any, geodata: Geodata) -> Walkthrough | None:
    if args.walkthrough is None:
        if not (args.scene is not None or args.pack or args.format == "pptx"):
            return None
        if len(geodata.walkthroughs) != 1:
            raise ProductError("give --walkthrough ID (there is more than one)")
        return next(iter(geodata.walkthroughs.values()))
    if args.walkthrough not in geodata.walkthroughs:
        known = ", ".join(geodata.walkthroughs) or "none"
        raise ProductError(f"--walkthrough: no walkthrough {args.walkthrough!r} (known: {known})")
    return geodata.walkthroughs[args.walkthrough]


def requests_from_args(args: Any, geodata: Geodata) -> list[tuple[Request, Path]]:
    """The export(s) the command line asks for, with their files; ProductError if the
    combination makes no sense."""
    walkthrough = _walkthrough(args, geodata)
    if args.scene is not None and walkthrough is None:
        raise ProductError("--scene needs a walkthrough")
    given = _given(args)
    events, snapshot = _events(args)
    types = snapshot.type_names() if snapshot is not None else ()
    view = view_from_args(args, geodata, types) if "filters" in given else View(lang=args.lang)
    scene = scene_of(walkthrough, args.scene) if args.scene is not None else None
    if args.format is None and not args.pack:
        raise ProductError("--format is required (except with --pack)")
    formats = (args.format,) if args.format else ("pptx", "pdf", "html")
    out: list[tuple[Request, Path]] = []
    for fmt in formats:
        req = Request(
            fmt,
            view,
            utc_now(),
            scene,
            walkthrough,
            args.pack or fmt == "pptx",
            args.size or "slide",
            300 if args.dpi is None else args.dpi,  # 0 is refused, not taken for the default
            args.title,
            args.classification,
            events=events,
            events_snapshot=snapshot,
            basemap=args.settings.basemap,
        )
        check(req, given | ({"pack"} if args.pack else set()))
        path = args.out if args.format else pack_path(args.out, req)
        if args.format and path.suffix.lower() != SUFFIX[fmt]:
            raise ProductError(f"--out {path.name} does not end in {SUFFIX[fmt]}")
        out.append((req, path))
    return out


def pack_path(out: Path, req: Request) -> Path:
    """Where one file of a pack goes: `--out brief` -> brief.pptx, brief.pdf, brief.html
    beside each other; `--out FOLDER` (an existing folder, `.` or `..`) -> the app's file names
    inside it (briefmap-<walkthrough>-pack-en-<time>.pptx)."""
    if out.name in ("", ".", "..") or out.is_dir():
        return out / file_name(req)
    return out.with_suffix(SUFFIX[req.fmt])


def _events(args: Any) -> tuple[EventStore | None, EventSnapshot | None]:
    """The event store of --events and one snapshot of it (None, None without)."""
    if not args.events:
        if args.store is not None:
            raise ProductError("--store names the event store of --events: add --events")
        return None, None
    try:
        store = open_store(args.settings.store)
        return store, store.snapshot()
    except StoreError as exc:
        raise ProductError(f"--store: {exc}") from exc


def products_cli(args: Any) -> int:
    try:
        geodata = load_geodata(args.settings.geodata)
        requests = requests_from_args(args, geodata)
        for _req, path in requests:  # before any work: a bad --out fails at once
            check_target(path, args.mkdir)
        built = [(path, build_product(req, geodata)) for req, path in requests]
    except GeodataError as exc:
        print(f"briefmap export: {exc}", file=sys.stderr)
        return 1
    except (ExportError, MarkingError, UnsafeTarget) as exc:  # ProductError, SnapshotError too
        print(f"briefmap export: {exc}", file=sys.stderr)
        return 2
    for path, product in built:
        try:
            write_bytes_atomic(path, product.data, args.mkdir)
        except OSError as exc:  # a full disk named as such, with the path
            print(f"briefmap export: {write_error(exc, path)}", file=sys.stderr)
            return 1
    for path, product in built:
        print(f"wrote {path} ({len(product.data) / 1024:.0f} KiB)")
        if product.note:
            print(f"briefmap export: note: {product.note}", file=sys.stderr)
    return 0
