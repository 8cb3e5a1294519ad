"""A View as `briefmap export` options: each filter's flags (from its declaration), read the
way a link's keys are (`layers.view.url`), so an export with given filters writes what the app
shows with the same filters. The command's other options stay in `layers.cli`."""

from __future__ import annotations

import argparse
from typing import Any

from layers.view import filters


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    for spec in filters.declared():
        for flag in spec.flags:
            parser.add_argument(flag.flag, dest=flag.dest, metavar=flag.metavar, help=flag.help)


def given(args: Any) -> bool:
    """True if any filter option was given."""
    return any(
        getattr(args, flag.dest, None) is not None
        for spec in filters.declared()
        for flag in spec.flags
    )


def query_from_args(args: Any, geodata: Any) -> dict[str, str]:
    """The link query the given filter options stand for."""
    query = {}
    for spec in filters.declared():
        for flag in spec.flags:
            value = getattr(args, flag.dest, None)
            if value and flag.to_url is not None:
                value = flag.to_url(value, geodata)
            if value:
                query[flag.url_key] = value
    return query
