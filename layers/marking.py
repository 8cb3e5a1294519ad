"""Handling markings: one ordered scheme for every dataset and every export.

Each dataset carries its own marking (the report geodata: `marking` in `layers.json`, which a
layer may raise for itself; imported data brings its own). An export shows the highest marking
of what it contains, or a higher one the user asks for; asking for a lower one is refused, so
nothing leaves at a marking below its content.

The scheme is the organisation's: an ordered list of levels, lowest first, with optional
caveats (`Scheme`; read from a TOML file by `layers.boundary.markings`, chosen by the
`marking_scheme` setting). The default, `TLP`, puts the Traffic Light Protocol (TLP 2.0) and
the plain "UNCLASSIFIED" on one scale: UNCLASSIFIED and TLP:CLEAR both mean "may be released";
every TLP colour above them restricts sharing further.

A marking is written LEVEL//CAVEAT/CAVEAT/REL TO AAA, BBB (e.g. "SECRET//REL TO GBR, USA",
"SECRET//NOFORN"). "The highest" of several markings (what an export or the event store is
marked) is worked out as an analyst marks a product made of parts:

- the level is the highest level of any part;
- a restrictive caveat on any part (NOFORN, UK EYES ONLY, ORCON) is on the whole (union);
- releasability narrows: the whole may go only to the countries every part may go to, so the
  REL TO lists are intersected. A part at a level where the scheme controls release
  (`release_from`) without a REL TO list may go to no one else, so the whole loses its REL TO;
  parts below that level (UNCLASSIFIED) do not narrow it. When a REL TO was claimed by some
  part and the combination leaves none but the scheme's own country, the whole carries the
  scheme's not-releasable caveat (NOFORN) so that no reader takes a part's REL TO for the
  whole's.

One scheme is in force per process (`active`): the runtime sets it once from the settings
(`use`); the module-level functions (`parse`, `highest`, `banner_marking`, `known`) answer with
it, so every banner, export, audience view and import follows the same scheme.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from layers.errors import InputError

SEPARATOR = "//"
REL_TO = "REL TO"
_REL = re.compile(r"^REL ?TO\b ?")


@dataclass(frozen=True, slots=True)
class Marking:
    label: str  # as printed on the banner: the level, then its caveats
    rank: int  # of the level; higher restricts more
    background: str  # banner colours (the level's)
    foreground: str
    level: str = ""  # the level's own label ("" : the label, for a marking without caveats)
    caveats: tuple[str, ...] = ()  # restrictive caveats, in the scheme's order
    release: tuple[str, ...] | None = None  # REL TO countries (own country first); None: none


@dataclass(frozen=True, slots=True)
class Caveat:
    label: str  # e.g. NOFORN, UK EYES ONLY
    rank_from: int = 0  # the lowest level rank it may go with
    not_releasable: bool = False  # the caveat that says "no foreign release" (at most one)


@dataclass(frozen=True, slots=True)
class Release:
    """REL TO lists: `own` is the scheme's own country (listed first, always releasable to);
    `rank_from` the lowest level rank where releasability is controlled."""

    own: str
    rank_from: int
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()  # e.g. FVEY -> AUS, CAN, GBR, NZL, USA

    def expand(self, codes: Iterable[str]) -> set[str]:
        """The countries `codes` name, each group code replaced by its members."""
        groups = dict(self.groups)
        return {country for c in codes for country in groups.get(c, (c,))}

    def written(self, countries: Iterable[str]) -> list[str]:
        """`countries` (own country excluded) as a REL TO list writes them: a group's code
        for every group wholly in it (in the scheme's order), then the other codes sorted."""
        rest, named = set(countries) - {self.own}, []
        for code, members in self.groups:
            whole = set(members) - {self.own}
            if whole and whole <= rest:
                named.append(code)
                rest -= whole
        return named + sorted(rest)


class MarkingError(InputError, ValueError):
    """An unknown marking, or an export asked for below the marking of its content."""

    exit_code = 2  # a marking given on the command line that cannot be honoured: a request


class MarkingRaiseError(MarkingError):
    """An import that would raise the event store's marking, by someone who may not."""


def _key(text: str) -> str:
    return "".join(str(text).split()).upper()


def _shown(text: object) -> str:
    text = str(text)
    return repr(text[:40]) + ("…" if len(text) > 40 else "")


@dataclass(frozen=True)
class Scheme:
    """An ordered list of levels (lowest first) with their aliases, the caveats the scheme
    knows, and its REL TO rule (None: no REL TO). `default` is the marking of data nobody
    marked (ACLED's public data, an old import that recorded none)."""

    name: str
    levels: tuple[Marking, ...]
    default: str
    aliases: Mapping[str, str] = field(default_factory=dict)  # other name -> level label
    caveats: tuple[Caveat, ...] = ()
    release: Release | None = None
    source: str = "built in"  # the file it was read from

    def __post_init__(self) -> None:
        by_key = {_key(m.label): m for m in self.levels}
        by_key.update({_key(a): by_key[_key(label)] for a, label in self.aliases.items()})
        object.__setattr__(self, "_levels", by_key)
        object.__setattr__(self, "_caveats", {_key(c.label): c for c in self.caveats})

    @property
    def lowest(self) -> Marking:
        return self.levels[0]

    def known(self) -> str:
        return ", ".join(m.label for m in self.levels)

    def describe(self) -> str:
        caveats = f"; caveats {', '.join(c.label for c in self.caveats)}" if self.caveats else ""
        rel = f"; {REL_TO} (own {self.release.own})" if self.release else ""
        return f"{self.name}: {self.known()}{caveats}{rel}"

    # -- reading a marking ---------------------------------------------------------------
    def parse(self, text: str) -> Marking:
        """The marking named by `text` (case and spaces ignored); MarkingError if unknown."""
        blocks = " ".join(str(text).split()).upper().split(SEPARATOR)
        level = self._levels.get(_key(blocks[0]))  # type: ignore[attr-defined]
        if level is None:
            raise MarkingError(f"unknown marking {_shown(text)} (known: {self.known()})")
        caveats: set[str] = set()
        release: set[str] | None = None
        for item in (i.strip() for b in blocks[1:] for i in b.split("/")):
            if _REL.match(item) and self.release is not None:
                release = self._countries(text, item, release)
            else:
                caveats.add(self._caveat(text, item, level).label)
        return self._checked(text, level, caveats, release)

    def compose(self, level: str, caveats: Iterable[str] = (), release: str = "") -> Marking:
        """The marking a form's parts make (a level, chosen caveats, a REL TO list of country
        codes as typed, "" for none), read as any marking is: MarkingError if they do not go
        together (NOFORN with REL TO, a caveat below its level, a malformed code)."""
        parts = [str(c) for c in caveats]
        if str(release).strip():
            parts.append(f"{REL_TO} {_REL.sub('', str(release).strip().upper(), count=1)}")
        return self.parse(f"{level}{SEPARATOR}{'/'.join(parts)}" if parts else str(level))

    def _caveat(self, text: str, item: str, level: Marking) -> Caveat:
        found = self._caveats.get(_key(item))  # type: ignore[attr-defined]
        if found is None:
            known = ", ".join(c.label for c in self.caveats) or "none"
            hint = f", {REL_TO} AAA, BBB" if self.release else ""
            raise MarkingError(
                f"unknown caveat {_shown(item)} in {_shown(text)} (known caveats: {known}{hint})"
            )
        if level.rank < found.rank_from:
            raise MarkingError(f"{_shown(text)}: {found.label} does not go with {level.label}")
        return found

    def _countries(self, text: str, item: str, before: set[str] | None) -> set[str]:
        words = _REL.sub("", item.strip(), count=1)
        codes = [c.strip() for c in words.split(",")]
        bad = [c for c in codes if not (3 <= len(c) <= 4 and c.isascii() and c.isalpha())]
        if before is not None or bad or not codes:
            what = "two REL TO lists" if before is not None else f"country code {_shown(bad)}"
            raise MarkingError(
                f"{_shown(text)}: {what}; write {REL_TO} followed by 3- or 4-letter codes "
                "separated by commas, e.g. REL TO GBR, USA"
            )
        return self.release.expand(codes) if self.release else set(codes)

    def _checked(
        self, text: str, level: Marking, caveats: set[str], release: set[str] | None
    ) -> Marking:
        if release is not None:
            assert self.release is not None
            if level.rank < self.release.rank_from:
                raise MarkingError(f"{_shown(text)}: {level.label} takes no {REL_TO} list")
            if caveats & self._not_releasable():
                raise MarkingError(f"{_shown(text)}: not releasable and {REL_TO} at once")
        return self.make(level, caveats, release)

    def _not_releasable(self) -> set[str]:
        return {c.label for c in self.caveats if c.not_releasable}

    def make(self, level: Marking, caveats: Iterable[str], release: Iterable[str] | None):
        """The marking of `level` with these caveats and REL TO list, labelled as the scheme
        writes it (caveats in the scheme's order, the own country first in REL TO)."""
        level = self.levels[[m.label for m in self.levels].index(level.level or level.label)]
        chosen = set(caveats)
        ordered = tuple(c.label for c in self.caveats if c.label in chosen)
        rel = None
        if release is not None and self.release is not None:
            rel = (self.release.own, *self.release.written(release))
        if not ordered and rel is None:
            return level
        parts = [*ordered, *([f"{REL_TO} {', '.join(rel)}"] if rel else [])]
        label = f"{level.label}{SEPARATOR}{'/'.join(parts)}"
        colours = (level.background, level.foreground)
        return Marking(label, level.rank, *colours, level.label, ordered, rel)

    # -- comparing and combining ---------------------------------------------------------
    def _reach(self, m: Marking) -> frozenset[str] | None:
        """Who a marking lets the data go to beyond the scheme's own country: None for anyone
        (no release control at its level), else the REL TO countries (empty: no one)."""
        if self.release is None:
            return None
        if set(m.caveats) & self._not_releasable():
            return frozenset()
        if m.release is not None:
            return frozenset(self.release.expand(m.release)) - {self.release.own}
        return None if m.rank < self.release.rank_from else frozenset()

    def dominates(self, a: Marking, b: Marking) -> bool:
        """Whether `a` restricts at least as much as `b` (a banner `a` may cover data `b`)."""
        reach_a, reach_b = self._reach(a), self._reach(b)
        wider = reach_b is not None and (reach_a is None or not reach_a <= reach_b)
        return a.rank >= b.rank and set(a.caveats) >= set(b.caveats) and not wider

    def highest(self, markings: Iterable[Marking]) -> Marking:
        """The marking of a whole made of parts so marked (see the module's docstring); of
        equal levels the first given. The scheme's lowest level if none."""
        parts = list(markings)
        if not parts:
            return self.lowest
        top = parts[0]
        for m in parts[1:]:
            if m.rank > top.rank:
                top = m
        if all(not m.caveats and m.release is None for m in parts):
            return top
        caveats = {c for m in parts for c in m.caveats}
        reaches = [r for r in map(self._reach, parts) if r is not None]
        release = None
        if reaches and self.release is not None:
            common = frozenset.intersection(*reaches)
            claimed = any(m.release is not None for m in parts)
            if common:
                release = common
            elif claimed and self._not_releasable():
                caveats |= {sorted(self._not_releasable())[0]}
        return self.make(top, caveats, release)

    def banner_marking(
        self, content: Mapping[str, Marking], requested: str | None = None
    ) -> Marking:
        """What the banner of an export says: the highest marking present, or the requested
        one if it restricts at least as much. `content` maps each dataset or layer shown to its
        marking, so a refusal can name what holds the export up."""
        top = self.highest(content.values())
        if requested is None or not str(requested).strip():
            return top
        wanted = self.parse(requested)
        if not self.dominates(wanted, top):
            above = sorted(n for n, m in content.items() if not self.dominates(wanted, m))
            raise MarkingError(
                f"refused: asked for {wanted.label}, but the export shows data marked "
                f"{top.label} ({', '.join(above)}); ask for {top.label} or higher, or hide what "
                f"is marked above {wanted.label}"
            )
        return wanted


def _tlp() -> Scheme:
    levels = (
        Marking("UNCLASSIFIED", 0, "#007a33", "#ffffff"),  # US green
        Marking("TLP:CLEAR", 0, "#000000", "#ffffff"),  # TLP 2.0 colours on black
        Marking("TLP:GREEN", 1, "#000000", "#33ff00"),
        Marking("TLP:AMBER", 2, "#000000", "#ffc000"),
        Marking("TLP:AMBER+STRICT", 3, "#000000", "#ffc000"),
        Marking("TLP:RED", 4, "#000000", "#ff2b2b"),
    )
    aliases = {"TLP:WHITE": "TLP:CLEAR", "U": "UNCLASSIFIED"}  # TLP 1.0 name, short form
    return Scheme("TLP 2.0", levels, "TLP:CLEAR", aliases)


TLP = _tlp()  # the default scheme
_ACTIVE: list[Scheme] = [TLP]


def active() -> Scheme:
    """The scheme in force in this process."""
    return _ACTIVE[0]


def use(scheme: Scheme) -> Scheme:
    """Put `scheme` in force (the runtime does, from the settings); the one it replaces."""
    before, _ACTIVE[0] = _ACTIVE[0], scheme
    return before


@contextmanager
def using(scheme: Scheme) -> Iterator[Scheme]:
    """`scheme` in force for a block (tests), the previous one back after it."""
    before = use(scheme)
    try:
        yield scheme
    finally:
        use(before)


def known() -> str:
    return active().known()


def parse(text: str) -> Marking:
    """The marking named by `text` in the scheme in force; MarkingError if unknown."""
    return active().parse(text)


def highest(markings: Iterable[Marking]) -> Marking:
    """The most restrictive combination (see the module's docstring), in the scheme in force."""
    return active().highest(markings)


def dominates(a: Marking, b: Marking) -> bool:
    return active().dominates(a, b)


def banner_marking(content: Mapping[str, Marking], requested: str | None = None) -> Marking:
    """`Scheme.banner_marking` in the scheme in force."""
    return active().banner_marking(content, requested)
