"""Print labels: the map's places, spellings, priorities and look, and never two labels on top
of each other or close enough to read as one."""

from __future__ import annotations

import itertools
import math

import pytest

from layers.aliases import load_aliases
from layers.render.labels import Priority, feature_label, label_style
from layers.render.style import PX_PER_PT
from layers.snapshot import Snapshot, render
from layers.snapshot.label_choice import basemap_labels
from layers.snapshot.labels import HIGHLIGHT_REACH_PT, LEADER_FROM_PT, REACH_PT
from layers.snapshot.projection import Projection, fit_to_aspect

LINE_GAP_PT = 8  # side by side on one line: well over a word space (~3 pt at these sizes)
STACK_GAP_PT = 3  # one above the other


def _labels(fig):
    return [t for t in fig.axes[0].texts if (t.get_gid() or "").startswith("bm-label")]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_two_labels_touch_in_any_scene(geodata, lang):
    """Every scene of the shipped walkthrough: the boxes the renderer measures for the placed
    labels never overlap, keep a clear gap, and what the scene highlights is named."""
    scenes = geodata.walkthroughs["iraq-syria-2025"].scenes
    for n, scene in enumerate(scenes, start=1):
        fig, contents = render(Snapshot.of_scene(scene, geodata, lang, dpi=60), geodata)
        renderer = fig.canvas.get_renderer()
        texts = _labels(fig)
        assert len(texts) >= 5, f"scene {n}: hardly anything labelled"
        to_pt = 72 / fig.dpi
        for a, b in itertools.combinations(texts, 2):
            box_a, box_b = a.get_window_extent(renderer), b.get_window_extent(renderer)
            across = max(box_a.x0 - box_b.x1, box_b.x0 - box_a.x1) * to_pt
            up = max(box_a.y0 - box_b.y1, box_b.y0 - box_a.y1) * to_pt
            where = f"scene {n} ({lang}): {a.get_text()!r} and {b.get_text()!r}"
            if up < 0:  # on one line
                assert across >= LINE_GAP_PT, f"{where} are {across:.1f} pt apart"
            else:
                assert across >= 0 or up >= STACK_GAP_PT, f"{where} are {up:.1f} pt apart"
        shown = " ".join(t.get_text() for t in texts)
        for f in contents.highlight:
            assert feature_label(f, lang) in shown, f"scene {n}: the highlighted {f.id} is unnamed"


def test_slides_name_places_as_the_map_does(geodata):
    """Scene 3 (the smuggling corridor) labels GeoNames towns from the tiles, with the alias
    table's spellings: never Natural Earth's or GeoNames' own."""
    scene = geodata.walkthroughs["iraq-syria-2025"].scenes[2]
    fig, _ = render(Snapshot.of_scene(scene, geodata, "en", dpi=60), geodata)
    texts = {t.get_text() for t in _labels(fig)}
    assert {"Hajin", "al-Qa'im", "Deir ez-Zor"} <= texts  # Hajin: a GeoNames town of the tiles
    assert not texts & {"Abu Kamal", "Ālbū Kamāl", "Dayr az Zawr", "Al Qa'im"}
    fig, _ = render(Snapshot.of_scene(scene, geodata, "ar", dpi=60), geodata)
    texts = {t.get_text().lstrip("\u200f") for t in _labels(fig)}
    assert {"هجين", "البوكمال", "دير الزور"} <= texts


def _frame(lang, zoom, named=()):
    frame = (40.2, 34.0, 41.8, 35.2)  # around Albu Kamal and Hajin
    proj = Projection.fitted(frame)
    extent = fit_to_aspect(proj, frame, 1.6)
    return {lab.text: lab for lab in basemap_labels(proj, extent, zoom, lang, named)}


def test_towns_show_from_the_zoom_the_map_shows_them():
    """Hajin has min_zoom 7 in the tiles: the web map shows it from zoom 8."""
    assert "Hajin" not in _frame("en", 7.4)
    town = _frame("en", 8.0)["Hajin"]
    assert town.priority == Priority.TOWN and town.dot > 0
    at_ten = _frame("en", 10)
    assert at_ten["Albu Kamal"].priority == Priority.FEATURE  # a place the reports name
    key = load_aliases().by_name("Albu Kamal").key
    assert "Albu Kamal" not in _frame("en", 10, named={key})  # a report feature names it
    assert "البوكمال" in _frame("ar", 10)


def test_label_look_comes_from_the_maps_label_style(geodata):
    scene = geodata.walkthroughs["iraq-syria-2025"].scenes[3]
    fig, _ = render(Snapshot.of_scene(scene, geodata, "en", dpi=60), geodata)
    by_text = {t.get_text(): t for t in _labels(fig)}
    cases = (
        ("Qusayr", Priority.HIGHLIGHT),
        ("Tehran", Priority.FEATURE),
        ("Hamadan", Priority.CAPITAL),
    )
    for text, priority in cases:
        style = label_style(priority)
        assert by_text[text].get_fontsize() == pytest.approx(style.size / PX_PER_PT)
        assert by_text[text].get_color() == style.colour
        assert by_text[text].get_gid() == f"bm-label-{int(priority)}"


def _gap_pt(placed, to_pt: float) -> float:
    """Points between a label's text box and its anchor (0 when the anchor is inside)."""
    x, y = placed.anchor
    x0, y0, x1, y1 = placed.box
    return math.hypot(max(x0 - x, 0, x - x1), max(y0 - y, 0, y - y1)) * to_pt


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_labels_sit_by_their_places_or_are_joined_to_them(geodata, lang):
    """Every scene: each label within reach of its anchor (what the scene highlights a little
    further), and a point's label off its point joined to it by a leader line that starts at
    the point and ends at the text."""
    scenes = geodata.walkthroughs["iraq-syria-2025"].scenes
    far, loose = [], []
    for n, scene in enumerate(scenes, start=1):
        fig, contents = render(Snapshot.of_scene(scene, geodata, lang, dpi=60), geodata)
        to_pt = 72 / fig.dpi
        assert len(contents.labels) >= 5, f"scene {n}: hardly anything labelled"
        named = {feature_label(f, lang) for f in contents.highlight}
        for p in contents.labels:
            gap = _gap_pt(p, to_pt)
            reach = HIGHLIGHT_REACH_PT if p.text in named else REACH_PT
            if gap > reach + 12:  # the reach is measured from a box padded by half an em
                far.append(f"scene {n}: {p.text!r} {gap:.0f} pt from its place")
            if not p.point or gap <= LEADER_FROM_PT:
                continue
            if p.leader is None:
                loose.append(f"scene {n}: {p.text!r} {gap:.0f} pt off and not joined")
                continue
            (sx, sy), (ex, ey) = p.leader
            start = math.hypot(sx - p.anchor[0], sy - p.anchor[1]) * to_pt
            x0, y0, x1, y1 = p.box
            end = math.hypot(max(x0 - ex, 0, ex - x1), max(y0 - ey, 0, ey - y1)) * to_pt
            if start > 4 or end > 2.5:
                loose.append(f"scene {n}: {p.text!r} leader {start:.1f} / {end:.1f} pt off")
    assert far == [] and loose == []
