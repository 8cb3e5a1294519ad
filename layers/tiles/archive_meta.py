"""What a PMTiles and an MBTiles archive share at the boundary: the error, the summary the map
needs (`ArchiveInfo`, made by `layers.tiles.archive_schema.summary`), and the checks of the
metadata (JSON read by the bounded loader of `layers.boundary.jsonio`, zooms, bounds, the layer
list and the attribution)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from layers.boundary.jsonio import parse_json
from layers.boundary.problems import show
from layers.errors import InputError

if TYPE_CHECKING:
    from pathlib import Path

# The layers of the Protomaps basemap schema that briefmap's style draws (other schemas are
# mapped onto them: `layers.tiles.schemas`).
SCHEMA_LAYERS = ("earth", "water", "boundaries", "places", "roads", "landuse", "landcover")
MAX_METADATA_BYTES = 4_000_000  # Protomaps' own metadata is a few KB
MAX_ATTRIBUTION = 1_000  # characters of plain text
MAX_ATTRIBUTION_HTML = 20_000  # characters as stored, links and all
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
MAX_ZOOM = 24


class ArchiveError(InputError, ValueError):
    """A tile archive briefmap cannot draw; the message names the file and the problem."""


@dataclass(frozen=True)
class ArchiveInfo:
    path: Path
    kind: str  # pmtiles | mbtiles
    min_zoom: int
    max_zoom: int
    bounds: tuple[float, float, float, float]  # west, south, east, north
    layers: tuple[str, ...]
    attribution: str  # plain text, from the archive's metadata
    schema: str = "protomaps-v4"  # a name of `layers.tiles.schemas`
    tile_format: str = "mvt"  # mvt | png | jpeg | webp

    def browser_spec(self, url: str) -> dict[str, Any]:
        return {
            "url": url,
            "max_zoom": self.max_zoom,
            "attribution": self.attribution,
            "bounds": list(self.bounds),
            "schema": self.schema,
            "tile_format": self.tile_format,
        }


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(html: str) -> str:
    """The text of an attribution given as HTML ("<a href=…>OpenStreetMap</a>" → its words)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def _kind_of(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false"}
    if value is None:
        return "null"
    return names.get(type(value), "a number" if isinstance(value, int | float) else "a value")


def metadata_object(path: Path, raw: bytes, what: str = "metadata") -> dict[str, Any]:
    """The archive's metadata JSON as an object, read strictly and within bounds."""
    if len(raw) > MAX_METADATA_BYTES:
        raise ArchiveError(f"{path}: {what} is {len(raw):,} bytes (at most {MAX_METADATA_BYTES:,})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArchiveError(f"{path}: {what} is not UTF-8 text (byte {exc.start})") from None
    try:
        data = parse_json(text)
    except ValueError as exc:  # JSONDecodeError, too deep, duplicate key, NaN, long number
        raise ArchiveError(f"{path}: {what} is not valid JSON ({str(exc)[:160]})") from None
    if not isinstance(data, dict):
        raise ArchiveError(f"{path}: {what} is {_kind_of(data)}; need a JSON object")
    return data


def zoom_range(path: Path, lo: Any, hi: Any) -> tuple[int, int]:
    if not (isinstance(lo, int) and isinstance(hi, int) and 0 <= lo <= hi <= MAX_ZOOM):
        raise ArchiveError(
            f"{path}: zooms {show(lo)} to {show(hi)}; need whole numbers 0 <= min <= max <= "
            f"{MAX_ZOOM}"
        )
    return lo, hi


def checked_bounds(path: Path, bounds: tuple[float, ...]) -> tuple[float, float, float, float]:
    """West, south, east, north: finite, on the globe, in order (a point's archive has a box
    of no area)."""
    if len(bounds) != 4:
        raise ArchiveError(f"{path}: bounds must be four numbers west,south,east,north")
    west, south, east, north = bounds
    if not all(math.isfinite(v) for v in bounds):
        raise ArchiveError(f"{path}: bounds {bounds} are not all finite numbers")
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise ArchiveError(
            f"{path}: bounds {bounds} are not west <= east within ±180 and south <= north "
            "within ±90"
        )
    return west, south, east, north


def attribution(path: Path, meta: dict[str, Any]) -> str:
    raw = meta.get("attribution")
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise ArchiveError(f"{path}: metadata 'attribution' is {_kind_of(raw)}; need text")
    if len(raw) > MAX_ATTRIBUTION_HTML:
        raise ArchiveError(
            f"{path}: metadata 'attribution' is {len(raw):,} characters (at most "
            f"{MAX_ATTRIBUTION_HTML:,} with its HTML)"
        )
    _check_text(path, raw)
    text = plain_text(raw)
    if len(text) > MAX_ATTRIBUTION:
        raise ArchiveError(
            f"{path}: metadata 'attribution' is {len(text):,} characters of text (at most "
            f"{MAX_ATTRIBUTION:,})"
        )
    return text


def _check_text(path: Path, raw: str) -> None:
    """Refuse the attribution, as every other string of a file, when it holds what is not
    text: a lone surrogate (a JSON `\\ud800` escape; it cannot be written as UTF-8, so the
    first page or export that shows it breaks) or a control character (C0 but tab and line
    breaks, DEL, C1: invisible on screen, refused by XML in PPTX and SVG)."""
    found = _NOT_TEXT.search(raw)
    if found is None:
        return
    char = found.group()
    code = f"U+{ord(char):04X}"
    if "\ud800" <= char <= "\udfff":
        why = f"{code}, half of a surrogate pair on its own, which is not text"
    else:
        why = f"the control character {code}"
    raise ArchiveError(
        f"{path}: metadata 'attribution' holds {why} (at character {found.start() + 1:,}); "
        "fix the archive's metadata"
    )
