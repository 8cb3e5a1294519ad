"""Walkthrough files (YAML): ordered scenes, each a saved view plus words, validated like every
other geodata file. A problem names the file, the scene (index and id) and the field."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml

from layers.boundary.claims import Known, read_citation
from layers.boundary.problems import Fields, ProblemLog
from layers.dates import DateError, parse_date
from layers.model import Scene, Walkthrough
from layers.view import View

MAX_BYTES = 1_000_000
_SCENE_KEYS = frozenset(
    {
        "id",
        "title_en",
        "title_ar",
        "points_en",
        "points_ar",
        "notes_en",
        "notes_ar",
        "view",
        "highlight",
        "sources",
    }
)
_VIEW_KEYS = frozenset({"layers", "actors", "types", "from", "to", "undated", "extent"})
_TOP_KEYS = frozenset({"id", "title_en", "title_ar", "description_en", "description_ar", "scenes"})


@dataclass(frozen=True)
class SceneContext:
    """What a scene may name: layers, actors, types, features (ids that exist)."""

    known: Known
    types: frozenset[str]
    features: frozenset[str]


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping."""


def _mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} appears twice", key_node.start_mark
            )
        seen[key] = loader.construct_object(value_node, deep=True)
    return seen


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def parse_yaml(text: str, file: str, log: ProblemLog) -> Any | None:
    if len(text.encode("utf-8")) > MAX_BYTES:
        log.add(file, "", "", f"is larger than {MAX_BYTES // 1000} kB")
        return None
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1} column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)
        log.add(file, where, "", f"is not valid YAML: {reason}")
        return None


def read_walkthrough(
    data: Any, file: str, ctx: SceneContext, log: ProblemLog
) -> Walkthrough | None:
    if not isinstance(data, dict):
        log.add(file, "", "", "expected a mapping with id, titles and scenes")
        return None
    f = log.at(file, "", data)
    for name in sorted(set(data) - _TOP_KEYS):
        f.problem(name, "unknown field")
    ident = f.ident("id")
    titles = (f.text("title_en", lang="en"), f.text("title_ar", lang="ar"))
    texts = (
        f.text("description_en", required=False, lang="en") or "",
        f.text("description_ar", required=False, lang="ar") or "",
    )
    scenes = _scenes(data.get("scenes"), file, ctx, log, f)
    if not f.ok or scenes is None:
        return None
    return Walkthrough(ident, titles[0], titles[1], texts[0], texts[1], scenes)  # type: ignore[arg-type]


def _scenes(
    raw: Any, file: str, ctx: SceneContext, log: ProblemLog, top: Fields
) -> tuple[Scene, ...] | None:
    if not isinstance(raw, list) or not raw:
        top.problem("scenes", "expected a list of at least one scene")
        return None
    scenes, ok, seen = [], True, set()
    for i, entry in enumerate(raw):
        ident = entry.get("id") if isinstance(entry, dict) else None
        item = f"scenes[{i}]" + (f" (id {ident!r})" if isinstance(ident, str) else "")
        if not isinstance(entry, dict):
            log.add(file, item, "", "expected a mapping")
            ok = False
            continue
        f = log.at(file, item, entry)
        if ident in seen:
            f.problem("id", f"duplicate scene id {ident!r}")
        seen.add(ident)
        scene = _scene(f, ctx)
        ok = ok and f.ok and scene is not None
        if scene is not None:
            scenes.append(scene)
    return tuple(scenes) if ok else None


def _scene(f: Fields, ctx: SceneContext) -> Scene | None:
    for name in sorted(set(f.data) - _SCENE_KEYS):
        f.problem(name, "unknown field")
    ident = f.ident("id")
    titles = (f.text("title_en", lang="en"), f.text("title_ar", lang="ar"))
    points_en = f.text_list("points_en", required=True)
    points_ar = f.text_list("points_ar", required=True, lang="ar")
    for name, points in (("points_en", points_en), ("points_ar", points_ar)):
        if f.data.get(name) is not None and not points and f.ok:
            f.problem(name, "needs at least one key point")
    notes = (f.text("notes_en", lang="en"), f.text("notes_ar", lang="ar"))
    highlight = _known_ids(f, "highlight", ctx.features, "feature")
    sources = f.each("sources", lambda s, _i: read_citation(s, ctx.known), required=True)
    if isinstance(f.data.get("sources"), list) and not f.data["sources"]:
        f.problem("sources", "a scene cites at least one paragraph")
    view, extent = _view(f, ctx)
    if not f.ok or view is None:
        return None
    return Scene(
        ident,
        titles[0],
        titles[1],
        points_en,
        points_ar,
        notes[0],
        notes[1],  # type: ignore[arg-type]
        view,
        extent,
        highlight,
        sources,
    )


def _view(f: Fields, ctx: SceneContext) -> tuple[View | None, tuple | None]:
    raw = f.raw("view")
    if raw is None:
        return None, None
    if not isinstance(raw, dict):
        f.problem("view", "expected a mapping (layers, actors, types, from, to, undated, extent)")
        return None, None
    v = Fields(f.log, f.file, f.item, raw, "view.")
    for name in sorted(set(raw) - _VIEW_KEYS):
        v.problem(name, "unknown field")
    layers = None
    if raw.get("layers") not in (None, "default"):
        layers = (
            _known_ids(v, "layers", ctx.known.layers, "layer")
            if raw["layers"] != "all"
            else ctx.known.layers
        )
    actors = _known_ids(v, "actors", ctx.known.actors, "actor")
    types = _known_ids(v, "types", ctx.types, "type")
    lo, hi = _day(v, "from", end=False), _day(v, "to", end=True)
    if lo and hi and lo > hi:
        v.problem("to", f"ends ({hi}) before 'from' ({lo})")
    undated = v.flag("undated", True)
    extent = _extent(v)
    if not v.ok:
        f.ok = False
        return None, None
    view = View(
        layers=frozenset(layers) if layers is not None else None,
        actors=actors,
        types=types,
        date_from=lo,
        date_to=hi,
        include_undated=undated,
    )
    return view, extent


def _known_ids(f: Fields, name: str, known: Iterable[str], what: str) -> Any:
    values = f.text_list(name)
    known = set(known)
    for value in values:
        if value not in known:
            f.problem(name, f"unknown {what} {value!r}")
    return frozenset(values) if name != "highlight" else values


def _day(f: Fields, name: str, end: bool) -> date | None:
    raw = f.data.get(name)
    if raw is None:
        return None
    if isinstance(raw, date):
        return raw
    try:
        span = parse_date(str(raw))
    except DateError as exc:
        f.problem(name, str(exc))
        return None
    return span.end if end else span.start


def _extent(f: Fields) -> tuple[float, float, float, float] | None:
    raw = f.data.get("extent")
    if raw is None:
        return None
    if (
        not isinstance(raw, list)
        or len(raw) != 4
        or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in raw)
    ):
        f.problem("extent", f"expected [west, south, east, north] in degrees, got {raw!r}")
        return None
    w, s, e, n = (float(x) for x in raw)
    if not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
        f.problem("extent", "expected west < east and south < north, within -180..180/-90..90")
        return None
    return (w, s, e, n)
