"""The `briefmap` command: serve the dashboard, validate geodata, export features, show an
item's claims next to the report paragraphs they cite, and import incident data."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from layers import boundary
from layers.cli.config import add_config_command, add_config_option, add_scheme_option, settle
from layers.cli.events import store_dir
from layers.cli.team import add_team_command
from layers.errors import BriefmapError, cli_message, exit_code
from layers.export import formats
from layers.marking import MarkingError
from layers.settings import SettingsError
from layers.view.options import add_filter_options


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        settle(args)  # the settings, resolved once for the command, and its runtime
    except (SettingsError, MarkingError) as exc:  # a setting, a marking scheme file: exit 2
        print(cli_message(exc, args.command), file=sys.stderr)
        return exit_code(exc)
    try:
        return int(args.run(args))
    except (BriefmapError, OSError) as exc:  # what a person can act on; anything else: raised
        print(cli_message(exc, args.command), file=sys.stderr)
        return exit_code(exc)
    except KeyboardInterrupt:
        print(f"briefmap {args.command}: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefmap",
        description="Offline briefing map of Iraq–Syria security after the fall of Assad.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in (_serve_command, _validate_command, _export_command, _scenes_command):
        add(sub)
    _cite_command(sub)
    _event_commands(sub)
    add_team_command(sub)
    add_config_command(sub)
    add_config_option(parser, top=True)
    for command in sub.choices.values():
        add_config_option(command)
        add_scheme_option(command)
    return parser


def _serve_command(sub) -> None:
    """`briefmap serve`."""
    serve = sub.add_parser(
        "serve",
        help="start the dashboard (offline; binds to 127.0.0.1)",
        description="Start the Streamlit dashboard on the shipped (or given) "
        "geodata, with the project's .streamlit settings in force.",
    )
    serve.add_argument("--port", type=int, default=8501, help="port to listen on (default 8501)")
    serve.add_argument(
        "--address",
        default="127.0.0.1",
        help="address to bind (default 127.0.0.1; use 0.0.0.0 to share on a LAN)",
    )
    serve.add_argument("--geodata", type=Path, help="geodata folder to serve (default: shipped)")
    _reports_options(serve)
    serve.add_argument(
        "--store",
        type=store_dir,
        help="event store directory, or a PostgreSQL URI for a team's PostGIS store "
        "(default: from the settings, see `briefmap config`)",
    )
    serve.add_argument(
        "--briefings",
        metavar="URI",
        help="PostgreSQL URI of the team's briefings, shared by its app servers (default: the "
        "store's database when --store is one, else this server's memory)",
    )
    serve.add_argument(
        "--basemap",
        type=Path,
        metavar="FILE",
        help="your own offline basemap: a .pmtiles or .mbtiles archive of vector tiles "
        "(Protomaps v4 or v3, OpenMapTiles) or raster tiles (PNG, JPEG, WEBP), e.g. an "
        "OpenStreetMap extract (default: the shipped basemap)",
    )
    signing = serve.add_mutually_exclusive_group()
    signing.add_argument(
        "--sign-in",
        type=Path,
        metavar="FILE",
        help="TOML file with Streamlit's [auth] section (your OIDC provider): people sign in "
        "and their roles claim says what they may do (README: Serving a team)",
    )
    signing.add_argument(
        "--no-sign-in",
        action="store_true",
        help="serve beyond loopback with no sign-in: everyone who reaches the port may do "
        "everything (the page says so)",
    )
    serve.set_defaults(run=_serve)


def _validate_command(sub) -> None:
    """`briefmap validate`."""
    validate = sub.add_parser(
        "validate",
        help="check geodata files; exit 1 listing every problem",
        description="Validate the shipped geodata, or FILEs as if they took the place of the "
        "same-named files in it (a new .geojson is checked alongside the rest).",
    )
    validate.add_argument("files", nargs="*", type=Path, metavar="FILE")
    validate.add_argument("--geodata", type=Path, help="geodata folder (default: shipped)")
    validate.set_defaults(run=_validate)


def _export_command(sub) -> None:
    """`briefmap export`: what to write and where (filters: `_export_filters`)."""
    export = sub.add_parser(
        "export",
        help="write the view, a scene or a briefing pack: "
        + formats.words([n.upper() for n in formats.names()]),
        description="Write the report features with the export contract (geojson, csv), a map "
        "snapshot (png, svg, pdf), an offline HTML map, or a walkthrough's briefing pack "
        "(--pack: pptx, pdf and html). The filters select exactly what the dashboard shows with "
        "the same filters; the map extent filters nothing unless --bbox is given.",
    )
    export.add_argument(
        "--format",
        choices=formats.names(),
        help="required, except with --pack (then every pack format is written: "
        f"{', '.join(formats.pack_names())})",
    )
    export.add_argument(
        "--out",
        type=Path,
        required=True,
        help="file to write, atomically; an existing file keeps its permissions; a symbolic "
        "link, folder, device or FIFO is refused (links are never followed)",
    )
    export.add_argument(
        "--mkdir", action="store_true", help="create the folder of --out if it does not exist"
    )
    export.add_argument("--walkthrough", metavar="ID", help="walkthrough of --scene or --pack")
    export.add_argument(
        "--scene", type=int, metavar="N", help="scene N (from 1) of the walkthrough"
    )
    export.add_argument(
        "--pack", action="store_true", help="the walkthrough's briefing pack (pptx, pdf, html)"
    )
    export.add_argument(
        "--size", choices=("slide", "a4", "letter"), help="page: 16:9 slide (default), A4, Letter"
    )
    export.add_argument("--dpi", type=int, help="PNG resolution (default 300)")
    export.add_argument("--title", help="title printed on the map (default: the scene's)")
    export.add_argument(
        "--classification",
        metavar="TEXT",
        help="marking for the banner, e.g. TLP:AMBER; refused if below the data's own marking",
    )
    _export_filters(export)
    export.set_defaults(run=_export)


def _export_filters(export: argparse.ArgumentParser) -> None:
    """The view options of `briefmap export`: the dashboard's filters."""
    add_filter_options(export)  # each filter's own options (`layers.view.filters`)
    export.add_argument(
        "--lang",
        choices=("en", "ar"),
        default="en",
        help="language of labels and text (GeoJSON/CSV: of the name/summary columns)",
    )
    export.add_argument("--geodata", type=Path, help="geodata folder (default: shipped)")
    export.add_argument(
        "--basemap",
        type=Path,
        help="your own basemap archive, as `serve --basemap` takes (.pmtiles or .mbtiles; "
        "raster tiles become the map's background picture in PNG/SVG/PDF, any schema in HTML)",
    )
    export.add_argument(
        "--events",
        action="store_true",
        help="also show the imported incidents the filters select (maps: points or density "
        "hexagons as on the map; GeoJSON: as point features; CSV: a note says they are not in "
        "it); the banner is at least their marking",
    )
    export.add_argument(
        "--store",
        type=store_dir,
        help="event store of --events (default: from the settings, see `briefmap config`)",
    )


def _scenes_command(sub) -> None:
    """`briefmap scenes`."""
    scenes = sub.add_parser(
        "scenes",
        help="list the scenes of the walkthroughs",
        description="List each walkthrough's scenes: number, id, titles in both languages "
        "and how many paragraphs each cites. A scene opens directly with "
        "?walkthrough=ID&scene=N.",
    )
    scenes.add_argument("--walkthrough", metavar="ID", help="only this walkthrough")
    scenes.add_argument("--json", action="store_true", help="machine-readable output")
    scenes.add_argument("--geodata", type=Path, help="geodata folder (default: shipped)")
    scenes.set_defaults(run=_scenes)


def _cite_command(sub) -> None:
    """`briefmap cite`."""
    cite = sub.add_parser(
        "cite",
        help="print an item's claims next to the report paragraphs they cite",
        description="Print what briefmap says about a feature, timeline entry or walkthrough "
        "scene (every item with that id), and under it each paragraph it cites, read from the "
        "reports folder and checked against the SHA-256 in sources.json.",
    )
    cite.add_argument("id", help="a feature, timeline annotation or scene id")
    cite.add_argument("--geodata", type=Path, help="geodata folder (default: shipped)")
    _reports_options(cite)
    cite.set_defaults(run=_cite)


def _event_commands(sub) -> None:
    from layers.cli.events import add_commands

    add_commands(sub)


def _reports_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--reports",
        type=Path,
        metavar="DIR",
        help="folder of the source reports, to show cited paragraphs (default: "
        "../shared/reports beside the project, when it exists)",
    )
    group.add_argument(
        "--no-reports",
        action="store_true",
        help="do not read any reports: citations say the report is not loaded",
    )


def reports_folder(args: argparse.Namespace) -> Path | None:
    """The reports folder the settings give (None: no reports)."""
    folder = args.settings.reports
    return Path(os.path.realpath(folder)) if folder is not None else None


def _validate(args: argparse.Namespace) -> int:
    result = boundary.validate(args.settings.geodata, args.files)
    if not result.ok:
        print(f"{result.count} problem(s):", file=sys.stderr)
        for problem in result.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    g = result.geodata
    assert g is not None
    scenes = sum(len(w.scenes) for w in g.walkthroughs.values())
    print(
        f"ok: {len(result.files)} files, {len(g.features)} features in {len(g.layers)} layers, "
        f"{len(g.walkthroughs)} walkthroughs ({scenes} scenes), "
        f"{len(g.annotations)} timeline annotations, {len(g.actors)} actors, "
        f"{len(g.reports)} reports"
    )
    return 0


def _serve(args: argparse.Namespace) -> int:
    from layers.access.signin import SignInError
    from layers.events.store import StoreError
    from layers.serve import ServeError, check_listen, check_sign_in, check_store, serve

    if args.settings.given("store"):  # a folder briefmap may not use, a damaged manifest
        try:
            args.runtime.store().describe()
        except StoreError as exc:
            print(f"briefmap serve: --store: {exc}", file=sys.stderr)
            return 2
    try:
        check_listen(args.port, args.address)
        check_store(args.settings.store)
        check_sign_in(args.settings, args.address, args.no_sign_in)
    except (ServeError, SignInError) as exc:
        print(f"briefmap serve: {exc}", file=sys.stderr)
        return 2
    return serve(args.settings, port=args.port, address=args.address)


def _scenes(args: argparse.Namespace) -> int:
    try:
        geodata = args.runtime.geodata
    except boundary.GeodataError as exc:
        print(exc, file=sys.stderr)
        return 1
    chosen = geodata.walkthroughs
    if args.walkthrough:
        if args.walkthrough not in chosen:
            known = ", ".join(chosen) or "none"
            print(
                f"briefmap scenes: no walkthrough {args.walkthrough!r} (known: {known})",
                file=sys.stderr,
            )
            return 2
        chosen = {args.walkthrough: chosen[args.walkthrough]}
    rows = [
        {
            "walkthrough": w.id,
            "number": n,
            "id": s.id,
            "title_en": s.title_en,
            "title_ar": s.title_ar,
            "citations": len(s.sources),
        }
        for w in chosen.values()
        for n, s in enumerate(w.scenes, start=1)
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for w in chosen.values():
        print(f"{w.id}: {w.title_en} ({len(w.scenes)} scenes)")
        for r in (r for r in rows if r["walkthrough"] == w.id):
            print(
                f"  {r['number']:>2}  {r['id']:<24} {r['title_en']}  |  {r['title_ar']}  "
                f"({r['citations']} citations)"
            )
    return 0


def _cite(args: argparse.Namespace) -> int:
    import difflib

    from layers.reports import load_reports
    from layers.reports.review import find, known_ids, review

    try:
        geodata = args.runtime.geodata
        library = load_reports(reports_folder(args), geodata.reports)
    except BriefmapError as exc:  # the geodata's or the reports folder's problems, in full
        print(f"briefmap cite: {exc}", file=sys.stderr)
        return 1
    items = find(args.id, geodata)
    if not items:
        close = difflib.get_close_matches(args.id, known_ids(geodata), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        print(
            f"briefmap cite: no feature, timeline entry or scene {args.id!r}{hint}", file=sys.stderr
        )
        return 2
    print(review(items, geodata, library))
    missing = library.missing(geodata.reports)
    if missing:
        where = library.folder or "no reports folder"
        print(f"note: not loaded from {where}: {', '.join(missing)}", file=sys.stderr)
    return 0


def _export(args: argparse.Namespace) -> int:
    """Every file is built before any is written; an error ends the command in `main`."""
    from layers.export.products import export_files, write_files

    built = export_files(args)
    write_files(built, args.mkdir)
    for path, product in built:
        print(f"wrote {path} ({product.summary or f'{len(product.data) / 1024:.0f} KiB'})")
        if product.note:
            print(f"briefmap export: note: {product.note}", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
