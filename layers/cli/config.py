"""The command line's side of the settings: the `--config FILE` option every command takes,
`briefmap config`, and `settle`, which resolves a command's settings once (flags > config file
> environment > defaults) and builds its runtime."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from layers.cli.events import store_dir
from layers.runtime import Runtime
from layers.settings import KEYS, Settings, resolve, shown_value

CONFIG_HELP = (
    "TOML file of settings (geodata, reports, store, basemap, briefings, marking_scheme); flags "
    "override it, it overrides the BRIEFMAP_* environment variables"
)
SCHEME_HELP = (
    "the organisation's marking scheme, a TOML file (examples in docs/examples/markings; "
    "default: TLP 2.0): the levels and caveats banners, exports and imports accept"
)


def add_config_option(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """`--config FILE`, before the command or after it (the latter wins)."""
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help=CONFIG_HELP,
        default=None if top else argparse.SUPPRESS,
    )


def add_scheme_option(parser: argparse.ArgumentParser) -> None:
    """`--marking-scheme FILE` (the `marking_scheme` setting)."""
    parser.add_argument(
        "--marking-scheme", type=Path, metavar="FILE", help=SCHEME_HELP, default=None
    )


def add_config_command(sub) -> None:
    """`briefmap config`."""
    config = sub.add_parser(
        "config",
        help="print the settings in force and where each comes from",
        description="Resolve the settings as any command would (flags, then --config FILE, "
        "then BRIEFMAP_GEODATA, BRIEFMAP_REPORTS, BRIEFMAP_STORE, BRIEFMAP_BASEMAP, "
        "BRIEFMAP_BRIEFINGS, BRIEFMAP_MARKING_SCHEME, then the defaults) and print each value "
        "with its source, and the marking scheme's levels.",
    )
    config.add_argument("--geodata", type=Path, help="geodata folder")
    group = config.add_mutually_exclusive_group()
    group.add_argument("--reports", type=Path, metavar="DIR", help="folder of source reports")
    group.add_argument("--no-reports", action="store_true", help="no reports")
    config.add_argument("--store", type=store_dir, metavar="DIR", help="event store folder")
    config.add_argument("--briefings", metavar="URI", help="database of the briefings")
    config.add_argument("--basemap", type=Path, metavar="FILE", help="basemap archive")
    config.add_argument("--json", action="store_true", help="machine-readable output")
    config.set_defaults(run=run_config)


def run_config(args: argparse.Namespace) -> int:
    settings: Settings = args.settings
    if args.json:
        values = {
            k: None if getattr(settings, k) is None else shown_value(getattr(settings, k))
            for k in KEYS
        }
        rows = {k: {"value": values[k], "from": settings.origin(k)} for k in KEYS}
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print(settings.describe())
    print(f"marking levels: {args.runtime.marking_scheme.describe()}")
    return 0


def settle(args: argparse.Namespace) -> Settings:
    """Resolve the command's settings once (SettingsError naming the source and the key) and
    attach them and the runtime to `args` (`args.settings`, `args.runtime`): commands read
    the resolved paths there, their own options only to know what was typed."""
    flags: dict[str, Path | str | None] = {key: getattr(args, key, None) for key in KEYS}
    if getattr(args, "no_reports", False):
        flags["reports"] = ""
    settings = resolve(flags, getattr(args, "config", None))
    args.settings = settings
    args.runtime = Runtime(settings)
    return settings
