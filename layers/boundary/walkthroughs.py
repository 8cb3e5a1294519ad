"""Walkthrough files (YAML): ordered scenes, each a saved view plus words, validated like every
other geodata file. A problem names the file, the scene (index and id) and the field."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from layers.boundary.claims import Known, read_citation
from layers.boundary.problems import Fields, ProblemLog, show
from layers.boundary.yamlio import parse_yaml
from layers.view import View
from layers.view.scene import keys as scene_view_keys
from layers.view.scene import read_view
from layers.view.spec import Vocabulary
from layers.walkthrough import Scene, Walkthrough

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
_TOP_KEYS = frozenset({"id", "title_en", "title_ar", "description_en", "description_ar", "scenes"})


@dataclass(frozen=True)
class SceneContext:
    """What a scene may name: layers, actors, types, features (ids that exist). Types and
    features are None when the features could not be read (then they go unchecked)."""

    known: Known
    types: frozenset[str] | None
    features: frozenset[str] | None


def walkthrough_from_text(
    text: str, file: str, ctx: SceneContext, log: ProblemLog
) -> Walkthrough | None:
    """Parse a walkthrough file's text (bounded YAML) and read it; None if anything is wrong."""
    before = len(log.problems)
    data = parse_yaml(text, file, log)
    if len(log.problems) > before:  # not YAML, or past a limit: nothing more to say
        return None
    return read_walkthrough(data, file, ctx, log)


def read_walkthrough(
    data: Any, file: str, ctx: SceneContext, log: ProblemLog
) -> Walkthrough | None:
    if not isinstance(data, dict):
        log.add(file, "", "", "expected a mapping with id, titles and scenes")
        return None
    f = log.at(file, "", data)
    f.unknown(_TOP_KEYS)
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
        item = f"scenes[{i}]" + (f" (id {show(ident)})" if isinstance(ident, str) else "")
        if not isinstance(entry, dict):
            log.add(file, item, "", "expected a mapping")
            ok = False
            continue
        f = log.at(file, item, entry)
        if isinstance(ident, str):
            if ident in seen:
                f.problem("id", f"duplicate scene id {show(ident)}")
            seen.add(ident)
        scene = _scene(f, ctx)
        ok = ok and f.ok and scene is not None
        if scene is not None:
            scenes.append(scene)
    return tuple(scenes) if ok else None


def _scene(f: Fields, ctx: SceneContext) -> Scene | None:
    f.unknown(_SCENE_KEYS)
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
        f.problem("view", f"expected a mapping ({', '.join(scene_view_keys())})")
        return None, None
    v = Fields(f.log, f.file, f.item, raw, "view.")
    vocab = Vocabulary(frozenset(ctx.known.layers), frozenset(ctx.known.actors), ctx.types)
    view = read_view(v, vocab)
    extent = _extent(v)
    if not v.ok:
        f.ok = False
        return None, None
    return view, extent


def _known_ids(f: Fields, name: str, known: Iterable[str] | None, what: str) -> Any:
    values = f.text_list(name)
    known = set(known) if known is not None else None
    for value in values:
        if known is not None and value not in known:
            f.problem(name, f"unknown {what} {show(value)}")
    return frozenset(values) if name != "highlight" else values


def _degrees(x: Any) -> bool:
    """A finite number in the range of a longitude or latitude (no NaN, no 400-digit int)."""
    return isinstance(x, int | float) and not isinstance(x, bool) and -180 <= x <= 180


def _extent(f: Fields) -> tuple[float, float, float, float] | None:
    raw = f.data.get("extent")
    if raw is None:
        return None
    if not isinstance(raw, list) or len(raw) != 4 or not all(_degrees(x) for x in raw):
        f.problem("extent", f"expected [west, south, east, north] in degrees, got {show(raw)}")
        return None
    w, s, e, n = (float(x) for x in raw)
    if not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
        f.problem("extent", "expected west < east and south < north, within -180..180/-90..90")
        return None
    return (w, s, e, n)
