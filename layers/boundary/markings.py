"""The boundary for an organisation's marking scheme: a TOML file read, checked and turned
into a `layers.marking.Scheme`, or one `SchemeError` listing every problem with the file and
the field (`levels[2].background: …`).

TOML, not YAML: a scheme is a few lines of configuration, like the settings file, and TOML has
no aliases or anchors (a YAML "billion laughs" file cannot be written in it) and no scalars
that turn into dates. The file is read bounded (`MAX_BYTES`), a FIFO or a device refused.

    name = "UK Government Security Classifications"
    default = "OFFICIAL"               # the marking of data nobody marked

    [[levels]]                         # lowest first
    label = "OFFICIAL"
    background = "#2b71c7"             # banner colours
    foreground = "#ffffff"
    aliases = ["TLP:CLEAR"]            # other names read as this level (optional)
    equal_to_previous = false          # ranks with the level before it (optional)

    [[caveats]]                        # optional
    label = "UK EYES ONLY"
    from = "OFFICIAL-SENSITIVE"        # the lowest level it goes with (optional)
    not_releasable = true              # the caveat meaning "no foreign release" (at most one)

    [release]                          # optional: REL TO lists
    own = "GBR"                        # the scheme's own country, listed first
    from = "OFFICIAL-SENSITIVE"        # the lowest level where release is controlled

    [release.groups]                   # optional: a code standing for its countries
    FVEY = ["AUS", "CAN", "GBR", "NZL", "USA"]
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from layers.boundary.tomlio import TomlRefused, read_toml
from layers.marking import Caveat, Marking, MarkingError, Release, Scheme

MAX_BYTES = 64 << 10
MAX_ITEMS = 64
_LABEL = re.compile(r"^[A-Z0-9][A-Z0-9 :+\-._]{0,39}$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_COUNTRY = re.compile(r"^[A-Z]{3,4}$")
_TOP = {"name", "default", "levels", "caveats", "release"}
_LEVEL = {"label", "background", "foreground", "aliases", "equal_to_previous"}
_CAVEAT = {"label", "from", "not_releasable"}
_RELEASE = {"own", "from", "groups"}


class SchemeError(MarkingError):
    """A marking scheme file briefmap cannot use; the message lists every problem."""

    def __init__(self, file: str, problems: list[str] | None = None):
        self.file, self.problems = file, list(problems or [])
        if problems is None:  # a message of its own
            super().__init__(file)
            return
        more = f"; and {len(problems) - 8} more" if len(problems) > 8 else ""
        shown = "; ".join(problems[:8]) + more
        super().__init__(f"marking scheme {file}: {shown}")


def read_scheme(path: Path) -> Scheme:
    """The scheme in the TOML file `path`; SchemeError naming the file and each field."""
    try:
        data = read_toml(path, MAX_BYTES, "a marking scheme")
    except TomlRefused as exc:
        raise SchemeError(str(path), [str(exc)]) from None
    return scheme_from(data, str(path))


def scheme_from(data: dict[str, Any], where: str) -> Scheme:
    """The scheme `data` (a parsed file) describes, checked whole."""
    problems: list[str] = []
    _unknown(data, _TOP, "", problems)
    name = _text(data, "name", "", problems, required=True) or "?"
    levels, aliases = _levels(data.get("levels"), problems)
    ranks = {_key(m.label): m.rank for m in levels}
    ranks |= {_key(a): ranks[_key(label)] for a, label in aliases.items()}
    caveats = _caveats(data.get("caveats", []), ranks, problems)
    release = _release(data.get("release"), ranks, problems)
    default = _text(data, "default", "", problems, required=True)
    if default is not None and _key(default) not in ranks:
        problems.append(f"default: {default[:40]!r} is not one of the levels")
    _collisions(levels, aliases, caveats, problems)
    if problems:
        raise SchemeError(where, problems)
    assert default is not None
    found = {_key(m.label): m.label for m in levels} | {_key(a): t for a, t in aliases.items()}
    chosen = found[_key(default)]
    return Scheme(name, tuple(levels), chosen, aliases, tuple(caveats), release, where)


def _key(text: str) -> str:
    return "".join(str(text).split()).upper()


def _levels(raw: Any, problems: list[str]) -> tuple[list[Marking], dict[str, str]]:
    if not isinstance(raw, list) or not raw or len(raw) > MAX_ITEMS:
        problems.append(f"levels: expected a list of 1 to {MAX_ITEMS} [[levels]] tables")
        return [Marking("?", 0, "#000000", "#ffffff")], {}
    levels: list[Marking] = []
    aliases: dict[str, str] = {}
    for k, item in enumerate(raw):
        where = f"levels[{k + 1}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: expected a table with label, background, foreground")
            continue
        _unknown(item, _LEVEL, where, problems)
        label = _label(item, "label", where, problems) or f"?{k}"
        colours = [_colour(item, key, where, problems) for key in ("background", "foreground")]
        same = item.get("equal_to_previous", False)
        if not isinstance(same, bool) or (same and not levels):
            problems.append(f"{where}.equal_to_previous: true or false, and not on the first")
            same = False
        rank = (levels[-1].rank if same else levels[-1].rank + 1) if levels else 0
        levels.append(Marking(label, rank, *colours))
        for alias in _list(item, "aliases", where, problems):
            aliases[alias] = label
    return levels, aliases


def _caveats(raw: Any, ranks: dict[str, int], problems: list[str]) -> list[Caveat]:
    if not isinstance(raw, list) or len(raw) > MAX_ITEMS:
        problems.append(f"caveats: expected a list of at most {MAX_ITEMS} [[caveats]] tables")
        return []
    out: list[Caveat] = []
    for k, item in enumerate(raw):
        where = f"caveats[{k + 1}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: expected a table with a label")
            continue
        _unknown(item, _CAVEAT, where, problems)
        label = _label(item, "label", where, problems) or f"?{k}"
        rank = _rank(item, where, ranks, problems)
        flag = item.get("not_releasable", False)
        if not isinstance(flag, bool):
            problems.append(f"{where}.not_releasable: expected true or false")
            flag = False
        out.append(Caveat(label, rank, flag))
    if sum(c.not_releasable for c in out) > 1:
        problems.append("caveats: at most one caveat is not_releasable")
    return out


def _release(raw: Any, ranks: dict[str, int], problems: list[str]) -> Release | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problems.append("release: expected a table with own and from")
        return None
    _unknown(raw, _RELEASE, "release", problems)
    own = _text(raw, "own", "release", problems, required=True)
    if own is not None and not _COUNTRY.match(own):
        problems.append(f"release.own: {own[:40]!r} is not a 3- or 4-letter country code")
    groups = _groups(raw.get("groups", {}), problems)
    return Release(own or "?", _rank(raw, "release", ranks, problems), groups)


def _groups(raw: Any, problems: list[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`[release.groups]`: a code standing for several countries (FVEY = [AUS, ...])."""
    if not isinstance(raw, dict) or len(raw) > MAX_ITEMS:
        problems.append(f"release.groups: expected a table of at most {MAX_ITEMS} codes")
        return ()
    groups = []
    for code, members in raw.items():
        where = f"release.groups.{str(code)[:20]}"
        if not _COUNTRY.match(str(code)):
            problems.append(f"{where}: the group's code must be 3 or 4 capital letters")
        elif (
            not isinstance(members, list)
            or not 1 <= len(members) <= MAX_ITEMS
            or not all(isinstance(c, str) and _COUNTRY.match(c) for c in members)
        ):
            problems.append(f"{where}: expected a list of 3- or 4-letter country codes")
        elif code in members or set(members) & set(raw):
            problems.append(f"{where}: a group lists countries, not groups")
        else:
            groups.append((str(code), tuple(members)))
    return tuple(groups)


def _rank(item: dict, where: str, ranks: dict[str, int], problems: list[str]) -> int:
    level = _text(item, "from", where, problems, required=False)
    if level is None:
        return 0
    if _key(level) not in ranks:
        problems.append(f"{where}.from: {level[:40]!r} is not one of the levels")
        return 0
    return ranks[_key(level)]


def _collisions(levels, aliases, caveats, problems: list[str]) -> None:
    seen: set[str] = set()
    names = [m.label for m in levels] + list(aliases) + [c.label for c in caveats]
    for name in names:
        if _key(name) in seen:
            problems.append(f"{name!r} is named twice (levels, aliases and caveats are one list)")
        seen.add(_key(name))
    for caveat in caveats:
        if _key(caveat.label).startswith("RELTO"):
            problems.append(f"caveats: {caveat.label!r}: REL TO lists are the [release] table")


def _unknown(item: dict, known: set[str], where: str, problems: list[str]) -> None:
    extra = sorted(set(item) - known)
    if extra:
        at = f"{where}: " if where else ""
        problems.append(
            f"{at}unknown key(s) {', '.join(repr(str(e)[:40]) for e in extra[:5])} "
            f"(known: {', '.join(sorted(known))})"
        )


def _text(item: dict, key: str, where: str, problems: list[str], required: bool) -> str | None:
    at = f"{where}.{key}" if where else key
    value = item.get(key)
    if value is None:
        if required:
            problems.append(f"{at}: missing")
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        problems.append(f"{at}: expected text of 1 to 200 characters")
        return None
    return " ".join(value.split())


def _label(item: dict, key: str, where: str, problems: list[str]) -> str | None:
    value = _text(item, key, where, problems, required=True)
    if value is not None and not _LABEL.match(value):
        problems.append(
            f"{where}.{key}: {value[:40]!r} must be 1 to 40 capital letters, digits, spaces or "
            ": + - . _ (no '/': it separates caveats)"
        )
        return None
    return value


def _colour(item: dict, key: str, where: str, problems: list[str]) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not _COLOUR.match(value):
        problems.append(f"{where}.{key}: expected a colour as #rrggbb, got {str(value)[:20]!r}")
        return "#000000"
    return value


def _list(item: dict, key: str, where: str, problems: list[str]) -> list[str]:
    value = item.get(key, [])
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        problems.append(f"{where}.{key}: expected a list of names")
        return []
    out = []
    for name in value:
        if not isinstance(name, str) or not _LABEL.match(" ".join(name.split()).upper()):
            problems.append(f"{where}.{key}: {str(name)[:40]!r} is not a marking name")
        else:
            out.append(" ".join(name.split()).upper())
    return out
