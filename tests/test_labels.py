"""Label priorities, texts and sizes shared by every renderer (layers.render.labels)."""

from __future__ import annotations

from shapely.geometry import LineString, Point, box

from layers.render.labels import (
    PRIORITIES,
    Priority,
    feature_label,
    label_items,
    label_style,
    marker_obstacles,
    span_min_zoom,
)


def test_priority_order_is_scene_then_features_then_basemap():
    assert [p.name for p in PRIORITIES] == ["HIGHLIGHT", "FEATURE", "CAPITAL", "TOWN", "COUNTRY"]
    assert Priority.HIGHLIGHT < Priority.FEATURE < Priority.CAPITAL < Priority.COUNTRY


def test_features_on_a_named_place_are_labelled_with_its_spelling(geodata):
    qusayr = geodata.feature("qusayr-iran-presence")
    assert feature_label(qusayr, "en") == "Qusayr"
    assert feature_label(qusayr, "ar") == "القصير"
    assert feature_label(geodata.feature("albu-kamal-iran-presence"), "en") == "Albu Kamal"
    # a camp keeps its own name; a line its own
    assert feature_label(geodata.feature("al-hol-camp"), "en") == "al-Hol camp"
    pipeline = geodata.feature("kirkuk-baniyas-pipeline")
    assert feature_label(pipeline, "ar") == pipeline.name_ar
    # "context: subject" is labelled with its subject (the popup keeps the whole name)
    covert = geodata.feature("scenario-covert-operations")
    assert feature_label(covert, "en") == "covert operations in the border desert"
    assert feature_label(covert, "ar") == covert.name_ar.split(": ", 1)[1]


def test_one_label_per_place_and_highlight_wins(geodata):
    baghdad = [f for f in geodata.features if f.coord_source == "naturalearth:1159151547"]
    assert len(baghdad) >= 3
    items = label_items(baghdad, "en", highlight={"arab-league-summit-baghdad"})
    texts = [i["text"] for i in items]
    assert texts.count("Baghdad") == 1
    top = next(i for i in items if i["text"] == "Baghdad")
    assert top["priority"] == Priority.HIGHLIGHT and top["key"] == "baghdad"


def test_projector_labels_are_at_least_16_px_and_larger_than_screen():
    for p in PRIORITIES:
        assert label_style(p, "projector").size >= 16
        assert label_style(p, "projector").size > label_style(p, "screen").size


def test_lines_and_areas_wait_for_the_zoom_where_they_fit():
    assert span_min_zoom(Point(40, 34)) == 0
    small, large = box(40, 34, 40.2, 34.2), box(35, 30, 50, 38)
    assert span_min_zoom(small) > span_min_zoom(large)
    # 90 px across: a 0.2° box at lat 34 needs zoom 10, a 15° one zoom 4
    assert span_min_zoom(small) == 10 and span_min_zoom(large) == 4
    assert span_min_zoom(LineString([(40, 34), (41, 34)])) == 7


def test_marker_obstacles_cover_the_halo_of_highlighted_points(geodata):
    hol = geodata.feature("al-hol-camp")
    plain, lit = marker_obstacles([hol], geodata), marker_obstacles([hol], geodata, {hol.id})
    assert plain[0]["r"] < lit[0]["r"] == 18.5
