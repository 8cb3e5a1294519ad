"""Export requests as the CLI and the app make them: which view, scene or walkthrough, in
which format, and the bytes that result. One place decides what a combination means and
refuses the ones that mean nothing, with a message that says what to do instead; what each
format is and which builder makes it is the registry's (`layers.export.formats`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from layers.atomic import check_target, write_bytes_atomic, write_error
from layers.dtg import stamp, utc_now
from layers.errors import StorageError
from layers.events.store import EventSnapshot, EventStore, StoreError
from layers.export import formats
from layers.export.features import view_from_args
from layers.export.pack.build import build_pack
from layers.export.request import Product, ProductError, Request
from layers.model import Geodata
from layers.runtime import open_event_store
from layers.view import View
from layers.view.options import given as filter_options_given
from layers.walkthrough import Scene, Walkthrough

__all__ = ["Product", "ProductError", "Request", "build", "build_product", "check", "file_name"]


def check(req: Request, options: set[str]) -> None:
    """`options` names the options given explicitly (size, dpi, title, classification,
    filters), so that one meaningless for the format is refused rather than ignored."""
    fmt = formats.get(req.fmt)  # ProductError naming the known ones
    if fmt.build is None and not req.pack:
        raise ProductError(f"{req.fmt} is a briefing pack: add --pack and --walkthrough ID")
    if req.pack and fmt.pack is None:
        raise ProductError(f"--pack makes {formats.words(formats.pack_names())}, not {req.fmt}")
    if req.pack and req.walkthrough is None:
        raise ProductError("--pack needs a walkthrough: --walkthrough ID")
    if req.walkthrough is not None and req.scene is None and not req.pack:
        raise ProductError("--walkthrough goes with --scene N or --pack")
    if req.pack and req.scene is not None:
        raise ProductError("--pack takes every scene: drop --scene")
    if (req.scene or req.pack) and "filters" in options:
        raise ProductError("a scene or a pack has its own view: drop the filter options")
    if not req.pack:
        _check_options(fmt, options)
    if req.pack and req.events is not None:
        raise ProductError(
            "a pack shows the walkthrough's report data only: drop --events, or export a "
            "scene with --scene N --events"
        )


def _check_options(fmt: formats.Format, options: set[str]) -> None:
    """An option the format does not take is refused, with the formats that take it."""
    refused = options & (formats.OPTIONS - fmt.options)
    banner = {"title", "classification"}
    if refused & banner and not (fmt.options & banner or refused & {"size", "dpi"}):
        raise ProductError(f"{fmt.name} has no title or banner: drop --title/--classification")
    for option in ("size", "dpi", "title", "classification"):
        if option in refused:
            where = formats.words(formats.taking(option), "and")
            raise ProductError(f"--{option} applies to {where}, not {fmt.name}")


def file_name(req: Request) -> str:
    """briefmap-<what>-<20251123T1430Z>.<suffix>: the view and a sortable UTC time."""
    if req.pack and req.walkthrough:
        what = f"{req.walkthrough.id}-pack"
    elif req.scene is not None:
        what = f"scene-{req.scene.id}"
    else:
        what = "view"
    return f"briefmap-{what}-{req.view.lang}-{stamp(req.when)}{formats.get(req.fmt).suffix}"


def build(req: Request, geodata: Geodata) -> bytes:
    """The export's bytes. Raises ProductError, SnapshotError or MarkingError."""
    return build_product(req, geodata).data


def build_product(req: Request, geodata: Geodata) -> Product:
    """The export's bytes and what to tell about them. Raises ProductError, SnapshotError or
    MarkingError (an export asked for below the marking of what it shows)."""
    fmt = formats.get(req.fmt)
    if req.pack:
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
    if fmt.build is None:
        raise ProductError(f"{req.fmt} is a briefing pack: add --pack and --walkthrough ID")
    return fmt.build(req, geodata)


def scene_of(walkthrough: Walkthrough, number: int) -> Scene:
    if not 1 <= number <= len(walkthrough.scenes):
        raise ProductError(
            f"--scene {number}: {walkthrough.id} has scenes 1 to {len(walkthrough.scenes)}"
        )
    return walkthrough.scenes[number - 1]


# -- the command line ---------------------------------------------------------------------------
def _given(args: Any) -> set[str]:
    given = {o for o in ("size", "dpi", "title", "classification") if getattr(args, o) is not None}
    if filter_options_given(args):  # any filter's option (`layers.view.filters`)
        given.add("filters")
    return given


def _walkthrough(args: Any, geodata: Geodata) -> Walkthrough | None:
    if args.walkthrough is None:
        pack_only = args.format is not None and formats.get(args.format).build is None
        if not (args.scene is not None or args.pack or pack_only):
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
    chosen = (args.format,) if args.format else formats.pack_names()
    out: list[tuple[Request, Path]] = []
    for fmt in chosen:
        req = Request(
            fmt,
            view,
            utc_now(),
            scene,
            walkthrough,
            args.pack or formats.get(fmt).build is None,  # a pack-only format means a pack
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
        if args.format:
            _check_suffix(path, fmt)
        out.append((req, path))
    return out


def _check_suffix(path: Path, fmt: str) -> None:
    """--out must end in the format's suffix; one no format writes is named as such."""
    want = formats.get(fmt).suffix
    if path.suffix.lower() == want:
        return
    if path.suffix:
        try:
            formats.by_suffix(path.suffix)
        except ProductError as exc:
            raise ProductError(f"--out {path.name}: {exc}; give a name ending in {want}") from None
    raise ProductError(f"--out {path.name} does not end in {want}")


def pack_path(out: Path, req: Request) -> Path:
    """Where one file of a pack goes: `--out brief` -> brief.pptx, brief.pdf, brief.html
    beside each other; `--out FOLDER` (an existing folder, `.` or `..`) -> the app's file names
    inside it (briefmap-<walkthrough>-pack-en-<time>.pptx)."""
    if out.name in ("", ".", "..") or out.is_dir():
        return out / file_name(req)
    return out.with_suffix(formats.get(req.fmt).suffix)


def _events(args: Any) -> tuple[EventStore | None, EventSnapshot | None]:
    """The event store of --events and one snapshot of it (None, None without)."""
    if not args.events:
        if args.store is not None:
            raise ProductError("--store names the event store of --events: add --events")
        return None, None
    try:
        store = open_event_store(args.settings.store)
        return store, store.snapshot()
    except StoreError as exc:
        raise ProductError(f"--store: {exc}") from exc


def export_files(args: Any) -> list[tuple[Path, Product]]:
    """What `briefmap export` writes, built before anything is written: a bad --out or a
    request that makes no export fails at once and leaves every file as it was."""
    if args.format:  # before any work: a folder, device or link as --out fails at once
        check_target(args.out, args.mkdir)
    geodata = args.runtime.geodata
    requests = requests_from_args(args, geodata)
    for _req, path in requests:
        check_target(path, args.mkdir)
    return [(path, build_product(req, geodata)) for req, path in requests]


def write_files(built: list[tuple[Path, Product]], make_parents: bool) -> None:
    """Each file atomically; StorageError naming the file (a full disk as such)."""
    for path, product in built:
        try:
            write_bytes_atomic(path, product.data, make_parents)
        except StorageError:
            raise
        except OSError as exc:
            raise StorageError(write_error(exc, path)) from exc
