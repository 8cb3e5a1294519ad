"""Handling markings: one ordered scheme for every dataset and every export.

Each dataset carries its own marking (the report geodata: `marking` in `layers.json`, which a
layer may raise for itself; imported data brings its own). An export shows the highest marking
of what it contains, or a higher one the user asks for; asking for a lower one is refused, so
nothing leaves at a marking below its content.

The scheme puts the Traffic Light Protocol (TLP 2.0) and the plain "UNCLASSIFIED" on one
scale: UNCLASSIFIED and TLP:CLEAR both mean "may be released"; every TLP colour above them
restricts sharing further. briefmap handles no classified material, so no level above
UNCLASSIFIED exists in the scheme.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from layers.errors import InputError


@dataclass(frozen=True, slots=True)
class Marking:
    label: str  # as printed on the banner
    rank: int  # higher restricts more
    background: str  # banner colours (TLP 2.0 colours on black; US green for UNCLASSIFIED)
    foreground: str


SCHEME: tuple[Marking, ...] = (
    Marking("UNCLASSIFIED", 0, "#007a33", "#ffffff"),
    Marking("TLP:CLEAR", 0, "#000000", "#ffffff"),
    Marking("TLP:GREEN", 1, "#000000", "#33ff00"),
    Marking("TLP:AMBER", 2, "#000000", "#ffc000"),
    Marking("TLP:AMBER+STRICT", 3, "#000000", "#ffc000"),
    Marking("TLP:RED", 4, "#000000", "#ff2b2b"),
)
_BY_LABEL = {m.label: m for m in SCHEME}
_ALIASES = {"TLP:WHITE": "TLP:CLEAR", "U": "UNCLASSIFIED"}  # TLP 1.0 name, common short form


class MarkingError(InputError, ValueError):
    """An unknown marking, or an export asked for below the marking of its content."""

    exit_code = 2  # a marking given on the command line that cannot be honoured: a request


def known() -> str:
    return ", ".join(m.label for m in SCHEME)


def parse(text: str) -> Marking:
    """The marking named by `text` (case and spaces ignored); MarkingError if unknown."""
    key = "".join(str(text).split()).upper()
    key = _ALIASES.get(key, key)
    if key not in _BY_LABEL:
        shown = repr(str(text)[:40]) + ("…" if len(str(text)) > 40 else "")
        raise MarkingError(f"unknown marking {shown} (known: {known()})")
    return _BY_LABEL[key]


def highest(markings: Iterable[Marking]) -> Marking:
    """The most restrictive marking; of equal ranks the first given. UNCLASSIFIED if none."""
    best: Marking | None = None
    for m in markings:
        if best is None or m.rank > best.rank:
            best = m
    return best or SCHEME[0]


def banner_marking(content: Mapping[str, Marking], requested: str | None = None) -> Marking:
    """What the banner of an export says: the highest marking present, or the requested one
    if it is at least as high. `content` maps each dataset or layer shown to its marking, so a
    refusal can name what holds the export up."""
    top = highest(content.values())
    if requested is None or not str(requested).strip():
        return top
    wanted = parse(requested)
    if wanted.rank < top.rank:
        above = sorted(name for name, m in content.items() if m.rank > wanted.rank)
        raise MarkingError(
            f"refused: asked for {wanted.label}, but the export shows data marked {top.label} "
            f"({', '.join(above)}); ask for {top.label} or higher, or hide what is marked above "
            f"{wanted.label}"
        )
    return wanted
