"""Handling markings: one ordered scheme, each dataset marked, the banner shows the highest
marking present, and an export below its content's marking is refused."""

from __future__ import annotations

import json

import pytest

from layers.boundary import load_geodata
from layers.cli import main
from layers.marking import MarkingError, banner_marking, highest, parse


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("TLP:CLEAR", "TLP:CLEAR"),
        ("tlp:amber", "TLP:AMBER"),
        (" TLP : AMBER+STRICT ", "TLP:AMBER+STRICT"),
        ("TLP:WHITE", "TLP:CLEAR"),  # TLP 1.0 name
        ("unclassified", "UNCLASSIFIED"),
    ],
)
def test_markings_are_read_whatever_the_case(text, label):
    assert parse(text).label == label


def test_unknown_marking_names_the_known_ones():
    with pytest.raises(MarkingError, match=r"unknown marking 'SECRET' \(known: UNCLASSIFIED"):
        parse("SECRET")


def test_order_of_the_scheme():
    ranks = [parse(x).rank for x in ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:RED")]
    assert ranks == sorted(ranks) and len(set(ranks)) == 4
    assert parse("UNCLASSIFIED").rank == parse("TLP:CLEAR").rank
    assert highest([parse("TLP:GREEN"), parse("TLP:AMBER"), parse("TLP:CLEAR")]).label == (
        "TLP:AMBER"
    )


def test_banner_shows_the_highest_present_or_a_higher_request():
    content = {"isis": parse("TLP:CLEAR"), "acled-import": parse("TLP:AMBER")}
    assert banner_marking(content).label == "TLP:AMBER"
    assert banner_marking(content, "TLP:RED").label == "TLP:RED"
    assert banner_marking({"isis": parse("TLP:CLEAR")}, "UNCLASSIFIED").label == "UNCLASSIFIED"


def test_request_below_the_content_is_refused_naming_what_holds_it_up():
    content = {"isis": parse("TLP:CLEAR"), "acled-import": parse("TLP:AMBER")}
    with pytest.raises(MarkingError) as err:
        banner_marking(content, "TLP:GREEN")
    message = str(err.value)
    assert "refused" in message and "TLP:AMBER" in message and "acled-import" in message
    assert "isis" not in message


def test_shipped_layers_carry_the_dataset_marking(geodata):
    assert {layer.marking for layer in geodata.layers.values()} == {"TLP:CLEAR"}


def _catalogue(root, change):
    path = root / "layers.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_a_layer_may_raise_its_marking(geodata_copy):
    def change(d):
        d["layers"][0]["marking"] = "tlp:amber"

    _catalogue(geodata_copy, change)
    layers = load_geodata(geodata_copy).layers
    assert layers["isis"].marking == "TLP:AMBER" and layers["energy"].marking == "TLP:CLEAR"


@pytest.mark.parametrize(
    ("change", "item", "message"),
    [
        (lambda d: d.pop("marking"), "layers.json: field 'marking'", "handling marking"),
        (lambda d: d.update(marking="SECRET"), "layers.json: field 'marking'", "unknown marking"),
        (
            lambda d: d.update(marking="TLP:AMBER") or d["layers"][1].update(marking="TLP:GREEN"),
            "'smuggling'): field 'marking'",
            "below the dataset's marking TLP:AMBER",
        ),
    ],
)
def test_bad_markings_are_reported(geodata_copy, capsys, change, item, message):
    _catalogue(geodata_copy, change)
    assert main(["validate", "--geodata", str(geodata_copy)]) == 1
    err = capsys.readouterr().err
    line = next((x for x in err.splitlines() if message in x), "")
    assert item in line, err
