"""The `briefmap` command: serve the dashboard, validate geodata, export features."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from layers import boundary


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    return int(args.run(args))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefmap",
        description="Offline briefing map of Iraq–Syria security after the fall of Assad.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

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
    serve.set_defaults(run=_serve)

    validate = sub.add_parser(
        "validate",
        help="check geodata files; exit 1 listing every problem",
        description="Validate the shipped geodata, or FILEs as if they took the place of the "
        "same-named files in it (a new .geojson is checked alongside the rest).",
    )
    validate.add_argument("files", nargs="*", type=Path, metavar="FILE")
    validate.add_argument("--geodata", type=Path, help="geodata folder (default: shipped)")
    validate.set_defaults(run=_validate)

    export = sub.add_parser(
        "export",
        help="write report features as GeoJSON or CSV, filtered like the app",
        description="Write the report features with the export contract (see README). The "
        "filters select exactly what the dashboard shows with the same filters; the map "
        "extent filters nothing unless --bbox is given.",
    )
    export.add_argument("--format", choices=("geojson", "csv"), required=True)
    export.add_argument("--out", type=Path, required=True, help="file to write (atomically)")
    export.add_argument(
        "--layers",
        help="comma-separated layer ids, or 'all' (default: the layers the app shows by default)",
    )
    export.add_argument("--actors", help="comma-separated actor ids (members included)")
    export.add_argument("--types", help="comma-separated incident or feature types")
    export.add_argument(
        "--from",
        dest="date_from",
        metavar="YYYY-MM-DD",
        help="keep items whose period reaches this date or later",
    )
    export.add_argument(
        "--to",
        dest="date_to",
        metavar="YYYY-MM-DD",
        help="keep items whose period starts by this date",
    )
    export.add_argument("--bbox", metavar="W,S,E,N", help="only what intersects this box")
    export.add_argument(
        "--lang",
        choices=("en", "ar"),
        default="en",
        help="language of the name/summary label columns (both stay in the data)",
    )
    export.add_argument("--geodata", type=Path, help="geodata folder (default: shipped)")
    export.set_defaults(run=_export)
    return parser


def _validate(args: argparse.Namespace) -> int:
    result = boundary.validate(args.geodata, args.files)
    if not result.ok:
        print(f"{len(result.problems)} problem(s):", file=sys.stderr)
        for problem in result.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    g = result.geodata
    assert g is not None
    print(
        f"ok: {len(result.files)} files, {len(g.features)} features in {len(g.layers)} layers, "
        f"{len(g.annotations)} timeline annotations, {len(g.actors)} actors, "
        f"{len(g.reports)} reports"
    )
    return 0


def _serve(args: argparse.Namespace) -> int:
    from layers.serve import serve

    return serve(port=args.port, address=args.address, geodata=args.geodata)


def _export(args: argparse.Namespace) -> int:
    from layers.export import export_cli

    return export_cli(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
