"""The export formats, as values: one registry that `briefmap export`, the app's sidebar and the
briefing pack all read, so a format is added in one place and appears on every surface.

A `Format` carries its name, file suffix and media type, the builder of a view's or a scene's
file (`layers.export.builders`; None for a format made only as part of a pack), the writer of
its file in a briefing pack (`layers.export.pack.writers`; None when a pack has none), and the
options that apply to it beyond the view itself (every format takes the filters, the language,
a scene and the imported incidents): `size`, `dpi`, `title`, `classification`. An option given
for a format that does not take it is refused, never ignored (`layers.export.products.check`).

The shipped builders and writers are imported when a file is made, not with the registry: a
surface that only lists the formats (the command line's parser) loads no matplotlib.

May import: `layers.export.request`; `layers.export.builders` and `layers.export.pack.writers`
inside the functions that call them. Never the surfaces (`layers.cli`, `dashboard`) or
`layers.export.products`."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from layers.export.request import Product, ProductError, Request

if TYPE_CHECKING:
    from layers.export.pack.writers import PackParts
    from layers.model import Geodata

Builder = Callable[[Request, "Geodata"], Product]
PackWriter = Callable[["PackParts"], bytes]
OPTIONS = frozenset({"size", "dpi", "title", "classification"})  # those some formats refuse
_NAME = re.compile(r"^[a-z][a-z0-9]{1,11}$")
_SUFFIX = re.compile(r"^\.[a-z0-9]{1,12}$")


@dataclass(frozen=True)
class Format:
    name: str  # what --format takes and the app lists, e.g. "png"
    suffix: str  # of its files, e.g. ".png"
    media_type: str  # what a browser is told it downloads
    build: Builder | None = None  # a view's or a scene's file; None: only in a pack
    pack: PackWriter | None = None  # its file in a briefing pack; None: no pack file
    options: frozenset[str] = frozenset()  # of OPTIONS, those that apply to a view's file


_REGISTRY: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Add a format (after the others: that is the order every surface lists them in).
    ProductError for a malformed or taken name or suffix, or an option no surface knows."""
    if not _NAME.match(fmt.name):
        raise ProductError(f"format name {fmt.name!r}: expected 2-12 lower-case letters/digits")
    if not _SUFFIX.match(fmt.suffix):
        raise ProductError(f"format {fmt.name}: suffix {fmt.suffix!r} is not '.' + a-z/0-9")
    if fmt.name in _REGISTRY:
        raise ProductError(f"format {fmt.name} is registered already")
    taken = [f.name for f in _REGISTRY.values() if f.suffix == fmt.suffix]
    if taken:
        raise ProductError(f"format {fmt.name}: suffix {fmt.suffix} is {taken[0]}'s already")
    if fmt.build is None and fmt.pack is None:
        raise ProductError(f"format {fmt.name}: give a builder, a pack writer or both")
    unknown = fmt.options - OPTIONS
    if unknown:
        raise ProductError(f"format {fmt.name}: unknown options {', '.join(sorted(unknown))}")
    _REGISTRY[fmt.name] = fmt
    return fmt


def unregister(name: str) -> None:
    """Remove a format (a test's toy one, or one a deployment does not offer)."""
    _REGISTRY.pop(name, None)


def get(name: str) -> Format:
    fmt = _REGISTRY.get(name)
    if fmt is None:
        raise ProductError(f"format: expected one of {', '.join(names())}, got {name!r}")
    return fmt


def by_suffix(suffix: str) -> Format:
    """The format whose files end in `suffix` (any case); ProductError naming the known ones."""
    for fmt in _REGISTRY.values():
        if fmt.suffix == suffix.lower():
            return fmt
    known = ", ".join(f.suffix for f in _REGISTRY.values())
    raise ProductError(f"no export format writes {suffix or 'unsuffixed'} files (known: {known})")


def names() -> tuple[str, ...]:
    return tuple(_REGISTRY)


def view_formats() -> tuple[str, ...]:
    """Formats a view or a scene can be exported in (the app's list)."""
    return tuple(f.name for f in _REGISTRY.values() if f.build is not None)


def pack_formats() -> tuple[Format, ...]:
    return tuple(f for f in _REGISTRY.values() if f.pack is not None)


def pack_names() -> tuple[str, ...]:
    return tuple(f.name for f in pack_formats())


def taking(option: str) -> tuple[str, ...]:
    """The view formats `option` applies to."""
    return tuple(f.name for f in _REGISTRY.values() if f.build is not None and option in f.options)


def words(items: Iterable[str], last: str = "or") -> str:
    """'a, b or c' ('a and b' with last='and')."""
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def _built(name: str) -> Builder:
    def build(req: Request, geodata: Geodata) -> Product:
        from layers.export import builders

        return getattr(builders, name)(req, geodata)

    build.__name__ = name
    return build


def _written(name: str) -> PackWriter:
    def write(parts: PackParts) -> bytes:
        from layers.export.pack import writers

        return getattr(writers, name)(parts)

    write.__name__ = name
    return write


_MAP_OPTIONS = frozenset({"size", "dpi", "title", "classification"})
_PAGE_OPTIONS = frozenset({"title", "classification"})
_MAP, _PAGE = _built("map_file"), _built("page_file")
# The order is every surface's: --format's choices, the app's list, a pack's files (PPTX first).
for _fmt in (
    Format(
        "pptx",
        ".pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        pack=_written("pptx_pack"),
    ),
    Format("png", ".png", "image/png", _MAP, None, _MAP_OPTIONS),
    Format("svg", ".svg", "image/svg+xml", _MAP, None, _MAP_OPTIONS),
    Format("pdf", ".pdf", "application/pdf", _MAP, _written("pdf_pack"), _MAP_OPTIONS),
    Format("html", ".html", "text/html", _PAGE, _written("html_pack"), _PAGE_OPTIONS),
    Format("geojson", ".geojson", "application/geo+json", _built("geojson_file")),
    Format("csv", ".csv", "text/csv", _built("csv_file")),
):
    register(_fmt)
