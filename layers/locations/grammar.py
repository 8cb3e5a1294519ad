"""The coord_source grammar: a prefix, and for `derived:` an expression with optional words.

    coord_source := "naturalearth:" ID | "geonames:" ID | "knowledge:" WORDS
                  | "derived:" EXPR [ "—" WORDS ]
    EXPR         := REF | NAME "(" ARG { "," ARG } ")"
    ARG          := EXPR | COUNTRY | NUMBER [ "km" | "deg" ]
    REF          := "naturalearth:" ID | "geonames:" ID | "feature:" ID
    COUNTRY      := three capital letters (ISO 3166-1 alpha-3, as Natural Earth has them)

`FUNCTIONS` lists every function with the arguments it takes; `derive.py` evaluates them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from layers.errors import InputError

PREFIXES = ("naturalearth", "geonames", "derived", "knowledge")
MAX_LENGTH = 2000  # characters in a coord_source
MAX_DEPTH = 12  # functions nested in one another

# name -> (argument kinds, what it gives). Kinds: geom (an EXPR), country, km, deg, number.
FUNCTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "point": (("number", "number"), "the position lon, lat as written"),
    "midpoint": (("geom", "geom"), "the geodesic midpoint of two points"),
    "border": (("country", "country"), "the shared boundary of two countries, as one line"),
    "tripoint": (("country", "country", "country"), "where three countries meet"),
    "nearest": (("geom", "geom"), "the point of the first geometry nearest the second"),
    "along": (("geom", "geom", "km"), "the point D km along a line from its end nearest P"),
    "line": (("geom", "geom", "..."), "straight segments through two or more points"),
    "countries": (("country", "..."), "the union of countries"),
    "union": (("geom", "geom", "..."), "the union of geometries"),
    "buffer": (("geom", "km"), "everything within D km of a geometry (geodesic)"),
    "clip": (("geom", "geom"), "the part of a geometry inside an area"),
    "simplify": (("geom", "deg"), "Douglas-Peucker simplification at T degrees"),
}


class GrammarError(InputError, ValueError):
    """A coord_source that does not follow the grammar; the message says where and why."""


@dataclass(frozen=True)
class Ref:
    kind: str  # naturalearth | geonames | feature
    id: str


@dataclass(frozen=True)
class Number:
    value: float
    unit: str  # "" | "km" | "deg"


@dataclass(frozen=True)
class Country:
    code: str


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple


@dataclass(frozen=True)
class CoordSource:
    prefix: str
    expr: Ref | Call | None  # None for knowledge:
    words: str


_TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<ref>(?:naturalearth|geonames|feature):[A-Za-z0-9][A-Za-z0-9_.-]*)"
    r"|(?P<number>-?\d+(?:\.\d+)?)\s*(?P<unit>km|deg|°)?"
    r"|(?P<country>[A-Z]{3})\b"
    r"|(?P<name>[a-z_]+)"
    r"|(?P<punct>[(),])"
    r"|(?P<rest>—.*)"
    r")",
    re.S,
)


def _short(text: str) -> str:
    """A bounded repr for messages: a coord_source may come from a user's file."""
    return repr(text if len(text) <= 40 else text[:37] + "...")


def parse(text: str) -> CoordSource:
    """Read a coord_source; raise GrammarError saying what is wrong and where."""
    if len(text) > MAX_LENGTH:
        raise GrammarError(f"is {len(text)} characters long (at most {MAX_LENGTH})")
    prefix, sep, body = text.partition(":")
    if not sep or prefix not in PREFIXES or not body.strip():
        raise GrammarError(
            "expected naturalearth:<ne_id>, geonames:<id>, derived:<expression> or "
            f"knowledge:<words>, got {_short(text)}"
        )
    if prefix == "knowledge":
        return CoordSource(prefix, None, body.strip())
    if prefix in ("naturalearth", "geonames"):
        if not re.fullmatch(r"\d+", body):
            raise GrammarError(f"{prefix}: takes a numeric id, got {_short(body)}")
        return CoordSource(prefix, Ref(prefix, body), "")
    if not re.match(r"\s*(?:(?:naturalearth|geonames|feature):|[a-z_]+\s*\()", body):
        raise GrammarError(
            f"derived: needs an expression such as midpoint(geonames:A, geonames:B), got "
            f"{_short(body.strip())}; words go after ' — ', a hand-drawn shape under knowledge:"
        )
    tokens = _tokens(body)
    parser = _Parser(tokens, body)
    expr = parser.expr()
    words = parser.words()
    return CoordSource(prefix, expr, words)


def _tokens(body: str) -> list[tuple[str, object, int]]:
    out, pos = [], 0
    while pos < len(body):
        if not body[pos:].strip():
            break
        m = _TOKEN.match(body, pos)
        if m is None or m.end() == pos:
            raise GrammarError(f"cannot read {_short(body[pos:].strip())} at character {pos}")
        kind = m.lastgroup if m.lastgroup != "unit" else "number"
        if kind == "ref":
            k, _, ident = m.group("ref").partition(":")
            out.append(("ref", Ref(k, ident), pos))
        elif kind == "number":
            unit = {"°": "deg"}.get(m.group("unit") or "", m.group("unit") or "")
            out.append(("number", Number(float(m.group("number")), unit), pos))
        elif kind == "rest":
            out.append(("rest", m.group("rest")[1:].strip(), pos))
        else:
            out.append((kind, m.group(kind), pos))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, object, int]], body: str):
        self.tokens, self.i, self.body, self.depth = tokens, 0, body, 0

    def _peek(self) -> tuple[str, object, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _take(self, kind: str, value: object = None) -> object:
        tok = self._peek()
        if tok is None or tok[0] != kind or (value is not None and tok[1] != value):
            got = "the end" if tok is None else _short(str(tok[1]))
            want = repr(value) if value is not None else kind
            raise GrammarError(f"expected {want}, found {got} in {_short(self.body)}")
        self.i += 1
        return tok[1]

    def expr(self) -> Ref | Call:
        tok = self._peek()
        if tok is not None and tok[0] == "ref":
            self.i += 1
            return tok[1]  # type: ignore[return-value]
        name = self._take("name")
        if name not in FUNCTIONS:
            raise GrammarError(
                f"unknown function {_short(str(name))} (known: {', '.join(FUNCTIONS)})"
            )
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise GrammarError(f"functions nested more than {MAX_DEPTH} deep")
        self._take("punct", "(")
        args = [self._arg()]
        while self._peek() is not None and self._peek()[1] == ",":  # type: ignore[index]
            self.i += 1
            args.append(self._arg())
        self._take("punct", ")")
        self.depth -= 1
        _check_arity(name, args)  # type: ignore[arg-type]
        return Call(name, tuple(args))  # type: ignore[arg-type]

    def _arg(self) -> object:
        tok = self._peek()
        if tok is not None and tok[0] == "number":
            self.i += 1
            return tok[1]
        if tok is not None and tok[0] == "country":
            self.i += 1
            return Country(tok[1])  # type: ignore[arg-type]
        return self.expr()

    def words(self) -> str:
        tok = self._peek()
        if tok is None:
            return ""
        if tok[0] != "rest":
            raise GrammarError(
                f"unexpected {_short(str(tok[1]))} after the expression in {_short(self.body)} "
                "(words go after ' — ')"
            )
        self.i += 1
        return str(tok[1])


def _kind(arg: object) -> str:
    if isinstance(arg, Number):
        return arg.unit or "number"
    return "country" if isinstance(arg, Country) else "geom"


def _check_arity(name: str, args: list[object]) -> None:
    wanted, _ = FUNCTIONS[name]
    repeat = wanted[-1] == "..."
    fixed = wanted[:-1] if repeat else wanted
    kinds = [_kind(a) for a in args]
    if len(kinds) < len(fixed) or (not repeat and len(kinds) > len(fixed)):
        raise GrammarError(f"{name}() takes {_say(wanted)}, got {len(kinds)} argument(s)")
    for i, kind in enumerate(kinds):
        want = fixed[min(i, len(fixed) - 1)]
        if kind != want:
            raise GrammarError(f"{name}() argument {i + 1}: expected {want}, got {kind}")


def _say(wanted: tuple[str, ...]) -> str:
    return ", ".join("more" if w == "..." else w for w in wanted)
