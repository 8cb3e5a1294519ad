"""A briefing pack as one offline HTML file: a page per scene, with its map, points and
sources (`layers.render.standalone`).

May import: `layers.export.pack.content`, `layers.render.standalone`, core modules."""

from __future__ import annotations

from pathlib import Path

from layers.export.pack.content import PackContent
from layers.model import Geodata
from layers.render.standalone import Page, offline_html
from layers.walkthrough import scene_frame


def pack_html(content: PackContent, geodata: Geodata, basemap: Path | None = None) -> str:
    pages = [
        Page(
            content.scene_title(i),
            content.scene_points(i),
            content.features[i],
            scene_frame(scene, geodata),
            tuple(geodata.feature(fid) for fid in scene.highlight),
            scene.sources,
        )
        for i, scene in enumerate(content.scenes)
    ]
    meta = f"DTG {content.dtg} · {content.description}"
    return offline_html(
        pages,
        geodata,
        content.lang,
        title=content.title,
        marking=content.marking,
        meta=meta,
        basemap=basemap,
    )
