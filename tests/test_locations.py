"""Locations that check themselves: every geometry whose coord_source names a gazetteer entry
or a derivation lies within its stated precision of what that source gives, and the areas of
the reports lie within the countries they are about."""

from __future__ import annotations

import re

import pytest
from shapely.geometry import LineString, Point

from layers.boundary import validate
from layers.locations import GrammarError, parse
from layers.locations.checks import (
    contradicts,
    foreign_km,
    implied_countries,
    named_countries,
    stated_error_km,
)
from layers.locations.derive import DerivationError, Sources, derive, distance_km, natural_earth
from layers.model import PRECISION_KM, Precision
from tests.conftest import GEODATA

KM_PER_DEGREE = 111.0


@pytest.fixture(scope="module")
def sources(geodata, geonames) -> Sources:
    points = {gid: (c["longitude"], c["latitude"]) for gid, c in geonames.items()}
    return natural_earth(GEODATA / "basemap", points, {f.id: f.geometry for f in geodata.features})


def _derivable(geodata, points: bool):
    return [
        f
        for f in geodata.features
        if not f.coord_source.startswith("knowledge:")
        and (f.geometry.geom_type == "Point") == points
    ]


def test_every_derivable_point_is_within_its_precision_of_its_source(geodata, sources):
    checked = _derivable(geodata, points=True)
    assert len(checked) >= 20
    off = []
    for f in checked:
        km = distance_km(f.geometry, derive(f.coord_source, sources))
        if km > PRECISION_KM[f.precision]:
            off.append(f"{f.id}: {km:.1f} km from {f.coord_source!r} ({f.precision} allows ")
            off[-1] += f"{PRECISION_KM[f.precision]} km)"
    assert not off, off
    kinds = {parse(f.coord_source).prefix for f in checked}
    assert kinds == {"naturalearth", "geonames", "derived"}


def test_every_derivable_line_and_area_is_within_its_precision_of_its_source(geodata, sources):
    checked = _derivable(geodata, points=False)
    assert len(checked) >= 10
    for f in checked:
        km = distance_km(f.geometry, derive(f.coord_source, sources))
        assert km <= PRECISION_KM[f.precision], f"{f.id}: {km:.1f} km from its source"


def test_a_point_drawn_far_from_its_source_is_caught(geodata, sources):
    """The al-Walid centre once sat at the Turkey end of the border, 520 km from its source."""
    f = geodata.feature("scenario-coordination-centre-walid")
    km = distance_km(Point(42.37142, 37.05867), derive(f.coord_source, sources))
    assert km > 500
    assert distance_km(f.geometry, derive(f.coord_source, sources)) < 0.01


def _countries(coord_source: str) -> set[str]:
    """Countries an area is about: those its derivation names in countries(...), else the two
    the reports are about."""
    named = re.findall(r"countries\(([A-Z, ]+)\)", coord_source)
    return {c.strip() for group in named for c in group.split(",")} or {"SYR", "IRQ"}


def test_areas_lie_within_the_countries_they_are_about(geodata, sources):
    areas = [f for f in geodata.features if f.geometry.geom_type in ("Polygon", "MultiPolygon")]
    assert len(areas) >= 8
    for f in areas:
        codes = _countries(f.coord_source)
        allowed = derive(f"derived:countries({', '.join(sorted(codes))})", sources)
        margin = PRECISION_KM[f.precision] / KM_PER_DEGREE
        assert allowed.buffer(margin).contains(f.geometry), f"{f.id} spills out of {codes}"


def test_the_area_check_catches_a_belt_spilling_into_jordan_and_turkey(sources):
    belt = derive("derived:buffer(border(SYR, IRQ), 30 km)", sources)
    allowed = derive("derived:countries(SYR, IRQ)", sources)
    assert not allowed.buffer(PRECISION_KM[Precision.NOTIONAL] / KM_PER_DEGREE).contains(belt)
    clipped = derive("derived:clip(buffer(border(SYR, IRQ), 30 km), countries(SYR, IRQ))", sources)
    assert allowed.buffer(1e-9).contains(clipped)


# -- the functions of the grammar ---------------------------------------------------------


def test_midpoint_is_halfway(sources):
    a, b = "geonames:174448", "geonames:92138"  # Albu Kamal, al-Qa'im
    mid = derive(f"derived:midpoint({a}, {b})", sources)
    pa, pb = derive(f"derived:{a}", sources), derive(f"derived:{b}", sources)
    assert distance_km(pa, mid) == pytest.approx(distance_km(pb, mid), abs=0.01)
    assert distance_km(pa, mid) == pytest.approx(distance_km(pa, pb) / 2, abs=0.01)


def test_along_walks_the_border_from_the_named_end(sources):
    tri = derive("derived:tripoint(SYR, IRQ, JOR)", sources)
    assert 33.3 < tri.y < 33.45 and 38.7 < tri.x < 38.85  # the Jordan end, not the Turkey end
    walid = derive("derived:along(border(SYR, IRQ), tripoint(SYR, IRQ, JOR), 6 km)", sources)
    border = derive("derived:border(SYR, IRQ)", sources)
    assert border.distance(walid) < 1e-4  # on the line (a geodesic step, ~10 m at most)
    assert 5.5 < distance_km(tri, walid) <= 6.0  # a straight line is no longer than the walk
    far = derive("derived:along(border(SYR, IRQ), tripoint(SYR, IRQ, TUR), 6 km)", sources)
    assert distance_km(walid, far) > 500


def test_nearest_lies_on_the_line(sources):
    p = derive("derived:nearest(border(SYR, IRQ), point(41.0, 35.0))", sources)
    assert derive("derived:border(SYR, IRQ)", sources).distance(p) < 1e-9


def test_buffer_reaches_its_distance(sources):
    centre = derive("derived:geonames:173797", sources)  # al-Hol
    ring = derive("derived:buffer(geonames:173797, 25 km)", sources).exterior
    far = [distance_km(centre, Point(c)) for c in ring.coords]
    assert min(far) == pytest.approx(25, rel=0.01) and max(far) == pytest.approx(25, rel=0.01)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("derived:same point as the crossing", "needs an expression"),
        ("derived:nowhere(1, 2)", "unknown function 'nowhere'"),
        ("derived:border(SYR)", "border() takes country, country, got 1"),
        ("derived:buffer(border(SYR, IRQ), 30)", "argument 2: expected km, got number"),
        ("derived:midpoint(geonames:1, geonames:2", "expected ')'"),
        ("derived:midpoint(geonames:1, geonames:2) and more", "words go after ' — '"),
        ("geonames:Al Hol", "numeric id"),
        ("gazetteer:12", "expected naturalearth:"),
        ("knowledge:", "expected naturalearth:"),
        ("derived:" + "union(" * 40 + "geonames:1" + ")" * 40, "nested more than 12 deep"),
        ("knowledge:" + "x" * 3000, "at most 2000"),
    ],
)
def test_a_malformed_coord_source_is_refused_with_the_reason(text, message):
    with pytest.raises(GrammarError, match=re.escape(message)):
        parse(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("derived:geonames:999999999", "no GeoNames entry"),
        ("derived:feature:no-such-feature", "no feature entry"),
        ("derived:border(SYR, EGY)", "share no boundary"),
        ("derived:along(border(SYR, IRQ), tripoint(SYR, IRQ, JOR), 5000 km)", "shorter than"),
        ("knowledge:hand-drawn", "cannot be rebuilt"),
    ],
)
def test_a_source_that_cannot_be_rebuilt_says_why(sources, text, message):
    with pytest.raises(DerivationError, match=re.escape(message)):
        derive(text, sources)


def test_validate_names_the_feature_with_a_malformed_coord_source(geodata_copy):
    path = geodata_copy / "features" / "border.geojson"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"derived:nearest(', '"derived:closest('), encoding="utf-8")
    result = validate(geodata_copy)
    assert not result.ok
    [problem] = result.problems
    assert "albu-kamal-qaim-crossing" in str(problem) and "coord_source" in str(problem)
    assert "unknown function 'closest'" in str(problem)


# -- a line crossing a country it is not about; a precision its note contradicts ----------


def _lines(geodata):
    return [f for f in geodata.features if "LineString" in f.geometry.geom_type]


def test_lines_cross_only_the_countries_they_are_about(geodata, sources):
    lines = _lines(geodata)
    assert len(lines) >= 6
    crossing = {}
    for f in lines:
        about = implied_countries(f.geometry, f.coord_source, sources.countries)
        foreign = foreign_km(f.geometry, about, sources.countries)
        if foreign:
            crossing[f.id] = {code: round(km, 1) for code, km in foreign.items()}
    assert not crossing, crossing


def test_the_pipeline_cutting_through_syria_is_caught(geodata, sources):
    """Kirkuk-Ceyhan once ran straight from Silopi to Idil, 12 km of it through Syria's
    north-east tip (about 4 km of it more than 1 km inside); the vertex north of Cizre keeps
    it in Turkey."""
    f = geodata.feature("kirkuk-ceyhan-pipeline")
    coords = [c for c in f.geometry.coords if c != (42.19, 37.34)]
    assert len(coords) == len(f.geometry.coords) - 1, "the Cizre vertex is in the line"
    about = implied_countries(f.geometry, f.coord_source, sources.countries)
    assert about == {"IRQ", "TUR"}
    old = foreign_km(LineString(coords), about, sources.countries)
    assert set(old) == {"SYR"} and 2 < old["SYR"] < 15, old  # km deeper than 1 km in
    assert not foreign_km(f.geometry, about, sources.countries)


def test_a_line_along_a_border_is_about_both_sides(geodata, sources):
    f = geodata.feature("iraq-syria-border")
    assert named_countries(f.coord_source) == {"SYR", "IRQ"}
    assert not foreign_km(f.geometry, {"SYR", "IRQ"}, sources.countries)
    assert foreign_km(f.geometry, {"IRQ"}, sources.countries).get("SYR", 0) == 0  # on the line


def test_no_location_note_states_an_error_beyond_its_precision(geodata):
    noted = [f for f in geodata.features if stated_error_km(f.location_note_en) is not None]
    assert len(noted) >= 3  # al-Hol, the crossing, the two pipelines
    wrong = {
        f.id: (f.precision.value, contradicts(f.precision, f.location_note_en, f.location_note_ar))
        for f in geodata.features
        if contradicts(f.precision, f.location_note_en, f.location_note_ar)
    }
    assert not wrong, wrong
    for f in noted:  # both languages state the same error
        assert stated_error_km(f.location_note_en) == stated_error_km(f.location_note_ar), f.id


@pytest.mark.parametrize(
    ("note", "km"),
    [
        ("Route reconstructed; accurate to a few tens of kilometres, not surveyed.", 20),
        ("between them it may be off by a few tens of kilometres", 20),
        ("the camp itself may lie up to about 2 km away.", 2),
        ("the crossing's buildings lie within a few kilometres of it.", 3),
        ("دقته في حدود عشرات الكيلومترات، وليس مسحاً.", 20),
        ("وقد يبعد المخيم نفسه عنها نحو كيلومترين.", 2),
        ("Its length, about 600 km, is our measurement; a 30 km belt.", None),
        ("طوله نحو 600 كيلومتر؛ حزام بعرض 30 كيلومتراً؛ على بعد نحو 28 كيلومتراً جنوباً.", None),
    ],
)
def test_the_error_a_note_states_is_read(note, km):
    assert stated_error_km(note) == km


def test_approximate_pipelines_with_tens_of_km_notes_are_caught():
    """Both pipelines were 'approximate' (2 km) with notes saying tens of kilometres."""
    old = "Route reconstructed through known pumping stations and towns on the line; "
    old += "accurate to a few tens of kilometres, not surveyed."
    assert contradicts(Precision.APPROXIMATE, old) == 20
    assert contradicts(Precision.REGION, old) == 20
    assert contradicts(Precision.NOTIONAL, old) is None
    assert contradicts(Precision.APPROXIMATE, "may lie up to about 2 km away") is None
