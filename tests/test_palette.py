"""Layer colours read on a projector and by colour-blind viewers, and code no 'sides'."""

from itertools import combinations

import pytest

from layers.render.palette import VISIONS, contrast, delta_e, is_red

MIN_CONTRAST = 3.0  # WCAG 2 minimum for graphical objects, against the land colour
MIN_DELTA_E = 6.0  # worst pair under normal, protan and deutan vision (CIEDE2000)


def _colours(geodata):
    return {lid: layer.style.colour for lid, layer in geodata.layers.items()}


def test_every_layer_colour_stands_out_from_the_land(geodata):
    for lid, colour in _colours(geodata).items():
        assert contrast(colour) >= MIN_CONTRAST, f"{lid} {colour}: {contrast(colour):.2f}:1"


@pytest.mark.parametrize("vision", VISIONS)
def test_layer_colours_are_distinct_for_each_vision(geodata, vision):
    colours = _colours(geodata)
    worst = min(
        (delta_e(colours[a], colours[b], vision), a, b) for a, b in combinations(sorted(colours), 2)
    )
    assert worst[0] >= MIN_DELTA_E, worst


def test_no_red_that_would_code_a_side(geodata):
    assert not [lid for lid, c in _colours(geodata).items() if is_red(c)]


def test_the_checks_catch_a_bad_palette():
    """Two browns that protanopes cannot tell apart, a pale orange, a red/blue pair."""
    assert delta_e("#7a4a00", "#8c510a", "protanopia") < MIN_DELTA_E
    assert contrast("#e69f00") < MIN_CONTRAST
    assert is_red("#d62728") and not is_red("#0072b2")


def test_ciede2000_matches_published_reference():
    from layers.render.palette import _ciede2000

    # Sharma, Wu & Dalal (2005), test pair 1
    assert _ciede2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
