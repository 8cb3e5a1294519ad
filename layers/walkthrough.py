"""Walkthroughs as a presenter uses them: the records (`Walkthrough`, `Scene`), a scene's view
and frame, and the file format.

The format (YAML) is documented in geodata/walkthroughs/README.md; `dump_walkthrough` writes
it, and the boundary (`layers.boundary.walkthroughs`) reads it back. A scene's `view:` is the
view package's (`layers.view.scene`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from layers.contract import citation_dict
from layers.model import Citation, Geodata
from layers.view import View
from layers.view.scene import view_spec

Bounds = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Scene:
    """One step of a briefing: a saved view, what to highlight, and the words to say."""

    id: str
    title_en: str
    title_ar: str
    points_en: tuple[str, ...]  # key points: shown to the audience
    points_ar: tuple[str, ...]
    notes_en: str  # speaker notes: presenter only
    notes_ar: str
    view: View
    extent: tuple[float, float, float, float] | None  # frame: west, south, east, north
    highlight: tuple[str, ...]
    sources: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class Walkthrough:
    id: str
    title_en: str
    title_ar: str
    description_en: str
    description_ar: str
    scenes: tuple[Scene, ...]


def scene_view(scene: Scene, lang: str) -> View:
    return scene.view.with_changes(lang=lang)


# Margin around a scene's frame, in CSS pixels: the highlights fill the map, with room for
# their labels.
SCENE_PADDING = 28
# Highlights closer together than this (degrees) do not make a frame on their own (three
# events in Baghdad): the scene's extent frames them, else a box this wide around them.
MIN_FRAME_DEGREES = 1.0


def scene_frame(scene: Scene, geodata: Geodata) -> Bounds | None:
    """Where the map goes: the bounds of what the scene highlights, else its extent, else
    what it shows. The map fits them with SCENE_PADDING (no zoom is fixed). Highlights that
    all sit in one place are framed by the extent (or MIN_FRAME_DEGREES around them)."""
    geoms = [geodata.feature(fid).geometry for fid in scene.highlight]
    if not geoms and scene.extent:
        return scene.extent
    if not geoms:
        geoms = [f.geometry for f in scene.view.select(geodata)]
    if not geoms:
        return None
    b = [g.bounds for g in geoms]
    w, s, e, n = (
        min(x[0] for x in b),
        min(x[1] for x in b),
        max(x[2] for x in b),
        max(x[3] for x in b),
    )
    if max(e - w, n - s) >= MIN_FRAME_DEGREES:
        return (w, s, e, n)
    if scene.extent:
        return scene.extent
    half = MIN_FRAME_DEGREES / 2
    x, y = (w + e) / 2, (s + n) / 2
    return (x - half, y - half, x + half, y + half)


def scene_dict(scene: Scene) -> dict[str, Any]:
    return {
        "id": scene.id,
        "title_en": scene.title_en,
        "title_ar": scene.title_ar,
        "points_en": list(scene.points_en),
        "points_ar": list(scene.points_ar),
        "notes_en": scene.notes_en,
        "notes_ar": scene.notes_ar,
        "view": view_spec(scene.view, scene.extent),
        "highlight": list(scene.highlight),
        "sources": [citation_dict(c) for c in scene.sources],
    }


def dump_walkthrough(w: Walkthrough) -> str:
    data = {"id": w.id, "title_en": w.title_en, "title_ar": w.title_ar}
    if w.description_en:
        data["description_en"] = w.description_en
    if w.description_ar:
        data["description_ar"] = w.description_ar
    data["scenes"] = [scene_dict(s) for s in w.scenes]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def scene_index(raw: str | None, count: int) -> tuple[int, str | None]:
    """The 0-based scene a link's `scene=N` opens among `count` scenes, and a note when the link
    asked for one that is not there (`scene=99999` opens the last, `scene=nan` the first)."""
    if raw is None:
        return 0, None
    text = raw.strip()
    shown = text if len(text) <= 12 else text[:11] + "…"
    if text.isdigit() and len(text) <= 9:
        number = int(text)
        if 1 <= number <= count:
            return number - 1, None
        index = 0 if number < 1 else count - 1
        return index, f"scene={shown} (scenes 1 to {count}): opened scene {index + 1}"
    return 0, f"scene={shown} (expected a scene number 1 to {count}): opened scene 1"
