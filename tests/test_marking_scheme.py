"""The organisation's marking scheme: read from a TOML file (the shipped examples: TLP 2.0, UK
GSC, a US-style banner), chosen by the settings, and followed by the banners, the exports and
the imports; how caveats combine into "the highest"."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from layers import marking
from layers.boundary import load_geodata
from layers.boundary.markings import MAX_BYTES, SchemeError, read_scheme
from layers.cli import main
from layers.errors import BriefmapError
from layers.events.importer import import_file
from layers.events.store import open_store
from layers.marking import TLP, MarkingError
from layers.paths import PROJECT_ROOT
from layers.render.escape import md
from tests.events.helpers import rows, write

EXAMPLES = PROJECT_ROOT / "docs" / "examples" / "markings"
UK = EXAMPLES / "uk-gsc.toml"
US = EXAMPLES / "us-banner.toml"


def test_the_tlp_example_is_the_built_in_default():
    scheme = read_scheme(EXAMPLES / "tlp.toml")
    assert scheme.levels == TLP.levels and scheme.default == TLP.default
    assert dict(scheme.aliases) == {"U": "UNCLASSIFIED", "TLP:WHITE": "TLP:CLEAR"}
    assert dict(TLP.aliases) == dict(scheme.aliases)


@pytest.mark.parametrize(
    ("file", "levels"),
    [
        (UK, ["OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET"]),
        (US, ["UNCLASSIFIED", "CONFIDENTIAL", "SECRET", "TOP SECRET"]),
    ],
)
def test_the_shipped_schemes_are_ordered_lowest_first(file, levels):
    scheme = read_scheme(file)
    assert [m.label for m in scheme.levels] == levels
    assert [m.rank for m in scheme.levels] == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("file", "text", "label"),
    [
        (UK, "official sensitive", "OFFICIAL-SENSITIVE"),
        (UK, "SECRET//REL TO GBR, USA", "SECRET//REL TO GBR, USA"),
        (UK, "secret // rel to usa,gbr", "SECRET//REL TO GBR, USA"),  # own country first
        (UK, "TLP:CLEAR", "OFFICIAL"),  # what was marked before the team took the scheme
        (US, "SECRET//REL TO GBR, USA", "SECRET//REL TO USA, GBR"),
        (US, "S//NOFORN/ORCON", "SECRET//ORCON/NOFORN"),  # in the scheme's order
        (US, "TS", "TOP SECRET"),
    ],
)
def test_markings_with_caveats_are_read_and_written_as_the_scheme_writes_them(file, text, label):
    assert read_scheme(file).parse(text).label == label


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("RESTRICTED", "unknown marking 'RESTRICTED' (known: UNCLASSIFIED, CONFIDENTIAL"),
        ("SECRET//EXDIS", "unknown caveat 'EXDIS'"),
        ("SECRET//NOFORN//REL TO GBR", "not releasable and REL TO at once"),
        ("UNCLASSIFIED//REL TO GBR", "UNCLASSIFIED takes no REL TO list"),
        ("UNCLASSIFIED//NOFORN", "NOFORN does not go with UNCLASSIFIED"),
        ("SECRET//REL TO GB", "country code"),
        ("SECRET//REL TO GBR//REL TO AUS", "two REL TO lists"),
    ],
)
def test_a_marking_the_scheme_does_not_allow_is_refused_saying_why(text, message):
    with pytest.raises(MarkingError, match=message.replace("(", r"\(")):
        read_scheme(US).parse(text)


@pytest.mark.parametrize(
    ("parts", "whole"),
    [
        (["S//REL TO USA, GBR, AUS", "C//REL TO USA, GBR"], "SECRET//REL TO USA, GBR"),
        (["SECRET//REL TO USA, GBR", "SECRET//REL TO USA, AUS"], "SECRET//NOFORN"),
        (["SECRET//REL TO USA, GBR", "CONFIDENTIAL"], "SECRET//NOFORN"),  # no REL TO: no one
        (["SECRET//REL TO USA, GBR", "UNCLASSIFIED"], "SECRET//REL TO USA, GBR"),
        (["CONFIDENTIAL//ORCON", "SECRET"], "SECRET//ORCON"),  # restrictive caveats: union
        (["SECRET", "CONFIDENTIAL"], "SECRET"),  # nothing claimed, nothing added
        (["UNCLASSIFIED", "UNCLASSIFIED"], "UNCLASSIFIED"),
    ],
)
def test_the_highest_of_parts_intersects_releasability_and_joins_caveats(parts, whole):
    scheme = read_scheme(US)
    assert scheme.highest([scheme.parse(p) for p in parts]).label == whole
    assert scheme.highest([scheme.parse(p) for p in reversed(parts)]).label == whole


@pytest.mark.parametrize(
    ("requested", "allowed"),
    [
        ("SECRET//REL TO USA, GBR", True),
        ("SECRET//NOFORN", True),  # narrower release
        ("TOP SECRET//REL TO USA, GBR", True),
        ("SECRET//REL TO USA, GBR, AUS", False),  # wider release than the content's
        ("SECRET", True),  # no REL TO at a release-controlled level: to no one, narrower
        ("CONFIDENTIAL//REL TO USA, GBR", False),
    ],
)
def test_a_requested_banner_must_restrict_at_least_as_much_as_the_content(requested, allowed):
    scheme = read_scheme(US)
    content = {"reporting": scheme.parse("SECRET//REL TO USA, GBR"), "isis": scheme.lowest}
    if allowed:
        assert scheme.banner_marking(content, requested).label == scheme.parse(requested).label
    else:
        with pytest.raises(MarkingError, match=r"refused: .*\(reporting\)"):
            scheme.banner_marking(content, requested)


def test_no_rel_to_at_a_controlled_level_is_narrower_than_any_rel_to():
    scheme = read_scheme(US)
    assert scheme.dominates(scheme.parse("SECRET"), scheme.parse("SECRET//REL TO USA, GBR"))
    assert not scheme.dominates(scheme.parse("SECRET//REL TO USA, GBR"), scheme.parse("SECRET"))


def _scheme_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scheme.toml"
    path.write_text(text, encoding="utf-8")
    return path


LEVEL = '[[levels]]\nlabel = "{}"\nbackground = "#000000"\nforeground = "#ffffff"\n'
GOOD = 'name = "x"\ndefault = "LOW"\n' + LEVEL.format("LOW") + LEVEL.format("HIGH")


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (GOOD.replace('default = "LOW"', 'default = "MIDDLE"'), "default: 'MIDDLE' is not"),
        (GOOD.replace('"#000000"', '"black"', 1), "levels[1].background: expected a colour"),
        (GOOD.replace('label = "HIGH"', 'label = "HIGH//X"'), "levels[2].label: 'HIGH//X'"),
        (GOOD + LEVEL.format("L O W"), "'L O W' is named twice"),  # spaces are ignored
        (GOOD + 'colour = "red"\n', "unknown key(s) 'colour'"),
        (GOOD + '[[caveats]]\nlabel = "EYES"\nfrom = "NOPE"\n', "caveats[1].from: 'NOPE'"),
        (GOOD + '[release]\nown = "Britain"\n', "release.own: 'Britain'"),
        (GOOD + '[release]\nown = "GBR"\ngroups = 3\n', "release.groups: expected a table"),
        (GOOD + '[release]\nown = "GBR"\n[release.groups]\nfvey = ["AUS"]\n', "3 or 4 capital"),
        (GOOD + '[release]\nown = "GBR"\n[release.groups]\nFVEY = []\n', "release.groups.FVEY"),
        (GOOD + '[release]\nown = "GBR"\n[release.groups]\nFVEY = ["A"]\n', "country codes"),
        (
            GOOD + '[release]\nown = "GBR"\n[release.groups]\nAB = ["AUS"]\nFVEY = ["AB"]\n',
            "country codes",  # "AB" is not a code: groups cannot nest
        ),
        (
            GOOD + '[release]\nown = "GBR"\n[release.groups]\nABC = ["AUS"]\nFVEY = ["ABC"]\n',
            "a group lists countries, not groups",
        ),
        ('name = "x"\ndefault = "LOW"\nlevels = []\n', "levels: expected a list of 1 to 64"),
        (GOOD.replace('name = "x"\n', ""), "name: missing"),
        ("levels = [\n", "not TOML"),
    ],
)
def test_a_bad_scheme_file_is_refused_naming_the_file_and_the_field(tmp_path, text, field):
    path = _scheme_file(tmp_path, text)
    with pytest.raises(SchemeError) as err:
        read_scheme(path)
    assert str(path) in str(err.value) and field in str(err.value)


def test_a_deeply_nested_file_is_refused_in_one_line(tmp_path, capsys):
    """tomllib recurses once per nested array: 20,000 brackets (40 KB) overflow the stack. The
    settings file, read by the same parser, is refused alike."""
    deep = _scheme_file(tmp_path, "name = " + "[" * 20_000 + "1" + "]" * 20_000 + "\n")
    with pytest.raises(SchemeError, match="scheme.toml: nested too deeply"):
        read_scheme(deep)
    assert main(["config", "--config", str(deep)]) == 2
    assert "nested too deeply" in capsys.readouterr().err


def test_a_scheme_file_is_read_bounded_and_never_waited_on(tmp_path):
    big = _scheme_file(tmp_path, GOOD + "#" * MAX_BYTES)
    with pytest.raises(SchemeError, match="scheme.toml"):
        read_scheme(big)
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    with pytest.raises(SchemeError, match="fifo.toml"):
        read_scheme(fifo)


def test_the_command_line_follows_the_scheme_for_a_classification(tmp_path, capsys):
    out = tmp_path / "map.html"
    argv = ["export", "--format", "html", "--out", str(out), "--lang", "en"]
    assert main([*argv, "--classification", "OFFICIAL-SENSITIVE"]) == 2
    err = capsys.readouterr().err
    assert "unknown marking 'OFFICIAL-SENSITIVE' (known: UNCLASSIFIED, TLP:CLEAR" in err
    assert not out.exists()
    uk = [*argv, "--marking-scheme", str(UK)]
    assert main([*uk, "--classification", "OFFICIAL-SENSITIVE"]) == 0
    page = out.read_text(encoding="utf-8")
    assert 'style="background:#1d4f91;color:#ffd54f">OFFICIAL-SENSITIVE</div>' in page


def test_briefmap_config_names_the_scheme_and_its_levels(tmp_path, capsys):
    config = _scheme_file(tmp_path, f'marking_scheme = "{US}"\n').rename(tmp_path / "c.toml")
    assert main(["config", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert f"marking_scheme  {US}  (file {config})" in out
    assert "marking levels: US-style classification banner: UNCLASSIFIED, CONFIDENTIAL" in out
    assert main(["config", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)["marking_scheme"]
    assert shown == {"value": None, "from": "default"}


def test_a_bad_scheme_stops_a_command_in_one_line(tmp_path, capsys):
    path = _scheme_file(tmp_path, GOOD.replace('"#000000"', '"black"', 1))
    assert main(["config", "--marking-scheme", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("briefmap config: marking scheme ") and "levels[1].background" in err
    assert len(err.splitlines()) == 1


def test_imports_are_marked_in_the_scheme_and_old_labels_read_through_aliases(tmp_path):
    store = open_store(tmp_path / "s")
    import_file(store, write(tmp_path / "a.csv", rows(5, seed=1)))  # TLP: recorded TLP:CLEAR
    with marking.using(read_scheme(UK)):
        assert store.describe().marking().label == "OFFICIAL"
        import_file(store, write(tmp_path / "b.csv", rows(5, seed=2)))  # the scheme's default
        import_file(
            store,
            write(tmp_path / "c.csv", rows(5, seed=3)),
            marking="official sensitive",
            may_raise_marking=True,
        )
        info = store.describe()
        assert [e["marking"] for e in info.imports] == [
            "TLP:CLEAR",
            "OFFICIAL",
            "OFFICIAL-SENSITIVE",
        ]
        assert info.marking().label == "OFFICIAL-SENSITIVE"
    with pytest.raises(BriefmapError, match="import 2: marking: unknown marking 'OFFICIAL'"):
        store.describe()  # back under TLP, the store says which import it cannot read


def test_the_geodata_is_read_in_the_scheme_or_refused_naming_layers_json(tmp_path):
    with marking.using(read_scheme(UK)):
        layers = load_geodata(PROJECT_ROOT / "geodata").layers
        assert {layer.marking for layer in layers.values()} == {"OFFICIAL"}
    strict = _scheme_file(tmp_path, GOOD)  # no alias for TLP:CLEAR
    with marking.using(read_scheme(strict)), pytest.raises(Exception) as err:
        load_geodata(PROJECT_ROOT / "geodata")
    assert "layers.json" in str(err.value) and "unknown marking 'TLP:CLEAR'" in str(err.value)


def test_the_audience_banner_follows_the_scheme(tmp_path):
    """The projector (audience) view's banner: the scheme's level and colours, and a layer
    raised to SECRET//REL TO GBR, USA in the geodata reaches it."""
    from dataclasses import replace

    from layers.render.projector import banner_html, projector_frame
    from layers.walkthrough import scene_view

    with marking.using(read_scheme(UK)):
        geodata = load_geodata(PROJECT_ROOT / "geodata")
        scene = next(iter(geodata.walkthroughs.values())).scenes[0]
        frame = projector_frame(scene, geodata, "en")
        assert frame.marking.label == "OFFICIAL"
        assert 'style="background:#1d4f91;color:#ffffff">OFFICIAL</div>' in banner_html(
            frame.marking, "top"
        )
        lid = scene_view(scene, "en").visible_layers(geodata)[0]
        raised = replace(geodata.layers[lid], marking="SECRET//REL TO USA, GBR")
        geodata = replace(geodata, layers={**geodata.layers, lid: raised})
        top = projector_frame(scene, geodata, "en").marking
        assert (top.label, top.background) == ("SECRET//REL TO GBR, USA", "#b00020")


def test_an_import_nobody_marked_takes_the_schemes_default(tmp_path):
    from layers.events import synth
    from layers.events.store import Source

    store = open_store(tmp_path / "s")
    with marking.using(read_scheme(_scheme_file(tmp_path, GOOD))):  # knows no TLP label
        store.apply(synth.table(5, seed=1), None, Source("a.csv", "0" * 64, 5, "acled"))
        assert store.describe().imports[0]["marking"] == "LOW"


def test_a_layer_may_not_be_released_wider_than_its_dataset(geodata_copy):
    path = geodata_copy / "layers.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["marking"] = "SECRET//REL TO GBR, USA"
    data["layers"][0]["marking"] = "SECRET//REL TO GBR, USA, AUS"  # same level, wider release
    data["layers"][1]["marking"] = "SECRET//UK EYES ONLY"  # narrower: allowed
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with marking.using(read_scheme(UK)), pytest.raises(Exception) as err:
        load_geodata(geodata_copy)
    message = str(err.value)
    assert "SECRET//REL TO GBR, AUS, USA is below the dataset's marking" in message
    assert "UK EYES ONLY is below" not in message


def test_the_apps_import_form_offers_the_schemes_levels(app_env):
    from tests.conftest import run_app

    app_env(BRIEFMAP_MARKING_SCHEME=UK)
    at = run_app()
    at.toggle(key="events-import-open").set_value(True).run()
    picker = at.selectbox(key="events-marking")
    assert list(picker.options) == ["OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET"]
    assert picker.value == "OFFICIAL"


def test_a_group_code_stands_for_its_countries_and_is_written_when_whole():
    us = read_scheme(US)
    fvey = us.parse("secret//rel to fvey")
    assert fvey.label == "SECRET//REL TO USA, FVEY" == us.parse(fvey.label).label
    spelled = us.parse("SECRET//REL TO NZL, CAN, GBR, AUS")  # every member: written as FVEY
    assert spelled.label == fvey.label
    assert us.parse("SECRET//REL TO FVEY, DEU").label == "SECRET//REL TO USA, FVEY, DEU"
    some = us.parse("SECRET//REL TO GBR, AUS")
    assert us.highest([fvey, some]).label == "SECRET//REL TO USA, AUS, GBR"  # intersected
    assert us.dominates(some, fvey) and not us.dominates(fvey, some)
    assert us.dominates(fvey, spelled) and us.dominates(spelled, fvey)
    assert us.highest([fvey, us.parse("SECRET//REL TO DEU")]).label == "SECRET//NOFORN"


def test_a_form_composes_level_caveats_and_release_as_any_marking_is_read():
    us = read_scheme(US)
    assert us.compose("SECRET").label == "SECRET"
    assert us.compose("SECRET", ["NOFORN"]).label == "SECRET//NOFORN"
    assert us.compose("SECRET", [], "gbr,  usa").label == us.parse("SECRET//REL TO USA, GBR").label
    assert us.compose("SECRET", [], "REL TO GBR").label == us.parse("SECRET//REL TO GBR").label
    for level, caveats, release in [
        ("SECRET", ["NOFORN"], "GBR"),  # not releasable and released at once
        ("UNCLASSIFIED", ["ORCON"], ""),  # a caveat below its level
        ("SECRET", [], "GB"),  # a code too short
        ("SECRET", [], "GBR; DROP TABLE"),
        ("SECRET", ["NOT-A-CAVEAT"], ""),
        ("NOT-A-LEVEL", [], ""),
    ]:
        with pytest.raises(MarkingError):
            us.compose(level, caveats, release)
    with pytest.raises(MarkingError, match="unknown caveat"):  # TLP knows no REL TO
        marking.TLP.compose("TLP:AMBER", [], "GBR")


def test_the_apps_import_form_takes_caveats_and_release_where_the_scheme_has_them(app_env):
    from tests.conftest import run_app

    app_env(BRIEFMAP_MARKING_SCHEME=US)
    at = run_app()
    at.toggle(key="events-import-open").set_value(True).run()
    at.selectbox(key="events-marking").set_value("SECRET").run()
    assert list(at.multiselect(key="events-caveats").options) == ["ORCON", "NOFORN"]
    at.multiselect(key="events-caveats").set_value(["NOFORN"]).run()
    assert [c.value for c in at.caption if c.value == md("SECRET//NOFORN")]
    at.text_input(key="events-release").set_value("GBR").run()
    assert at.error and "not releasable and REL TO at once" in at.error[0].value
    at.multiselect(key="events-caveats").set_value([]).run()
    at.text_input(key="events-release").set_value("![x](http://example.invalid/a.png)").run()
    assert at.error and r"\!\[X\]" in at.error[0].value  # the refusal shows the text as text


def test_the_tlp_form_has_no_caveats_or_release(app_env):
    from tests.conftest import run_app

    at = run_app()
    at.toggle(key="events-import-open").set_value(True).run()
    assert not [m for m in at.multiselect if m.key == "events-caveats"]
    assert not [t for t in at.text_input if t.key == "events-release"]


def test_serve_hands_the_scheme_to_the_app_and_import_follows_it(tmp_path, capsys):
    from layers.settings import APP_ARGUMENT, for_app, resolve

    settings = resolve({"marking_scheme": UK}, environ={})
    assert for_app([f"{APP_ARGUMENT}={settings.to_json()}"], environ={}).marking_scheme == UK
    store, path = str(tmp_path / "s"), write(tmp_path / "a.csv", rows(5))
    argv = ["import", str(path), "--store", store, "--marking-scheme", str(UK), "--quiet"]
    assert main([*argv, "--marking", "OFFICIAL-SENSITIVE"]) == 2  # raises the marking
    assert main([*argv, "--marking", "OFFICIAL-SENSITIVE", "--raise-marking"]) == 0
    capsys.readouterr()
    assert main(["store", "--store", store, "--marking-scheme", str(UK)]) == 0
    assert "marking: OFFICIAL-SENSITIVE (the highest of the imports below)" in (
        capsys.readouterr().out
    )


def test_a_teams_app_servers_are_given_the_scheme():
    from layers.settings import resolve
    from layers.team.stack import _data_flags

    flags = _data_flags(resolve({"marking_scheme": UK}, environ={}))
    assert flags[flags.index("--marking-scheme") + 1] == str(UK)
    assert "--marking-scheme" not in _data_flags(resolve(environ={}))
