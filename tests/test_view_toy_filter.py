"""A filter declared once is seen everywhere: one toy filter ("south of a latitude") is added to
the declarations (`layers.view.filters.FILTERS`) and nothing else; the link, the walkthrough
file (written and read back through the boundary), the export options, the words in both
languages, the sidebar's widget state, both engines (pandas table, numpy event index) and the
timeline's entries must all carry it. A reader or writer that names the filters one by one
instead of iterating the declarations fails here."""

from __future__ import annotations

import dataclasses
import types
from typing import Any

import numpy as np
import pandas as pd
import pytest

from layers.view import View, filters
from layers.view import _query as q
from layers.view.spec import FilterSpec, Flag

TOY_KEY = "toy_south_of"  # its sidebar widget's key


def _south_url(params, vocab, notes: list[str]) -> dict[str, Any]:
    raw = q.params_get(params, "south")
    if raw is None:
        return {"south_of": None}
    try:
        value = float(raw)
    except ValueError:
        value = None
    if value is None or not -90 <= value <= 90:
        notes.append(f"south={q.show(raw)} (expected a latitude)")
        return {"south_of": None}
    return {"south_of": value}


def _south_yaml(v, vocab) -> dict[str, Any]:
    raw = v.data.get("south_of")
    if raw is not None and not (isinstance(raw, int | float) and -90 <= raw <= 90):
        v.problem("south_of", "expected a latitude")
        return {"south_of": None}
    return {"south_of": None if raw is None else float(raw)}


TOY = FilterSpec(
    name="south_of",
    fields={"south_of": None},
    url_keys=("south",),
    read_url=_south_url,
    write_url=lambda f: {} if f.south_of is None else {"south": f"{f.south_of:g}"},
    flags=(Flag("--south-of", "south_of", "south", "only what reaches south of this latitude"),),
    words=lambda f, geodata, lang: (
        ""
        if f.south_of is None
        else (f"جنوب خط العرض {f.south_of:g}" if lang == "ar" else f"south of {f.south_of:g}°")
    ),
    words_rank=9,
    to_state=lambda f, geodata: {TOY_KEY: f.south_of},
    from_state=lambda ss, geodata: {"south_of": ss.get(TOY_KEY)},
    table_mask=lambda f, table, geodata: None if f.south_of is None else table["miny"] < f.south_of,
    index_mask=lambda f, index, geodata: None if f.south_of is None else index.lat < f.south_of,
    yaml_keys=("south_of",),
    read_yaml=_south_yaml,
    write_yaml=lambda f: {} if f.south_of is None else {"south_of": f.south_of},
    keeps_annotation=lambda f, a, features, geodata: (
        f.south_of is None or any(x.geometry.bounds[1] < f.south_of for x in features)
    ),
)


@pytest.fixture
def toy(monkeypatch):
    monkeypatch.setattr(filters, "FILTERS", (*filters.FILTERS, TOY))
    return View(south_of=33.5)


def test_the_toy_is_not_there_without_its_declaration(geodata):
    with pytest.raises(TypeError, match="south_of"):
        View(south_of=33.5)


def test_a_link_carries_the_toy_filter_both_ways(toy, geodata):
    from layers.view.url import from_query, to_query

    query = to_query(toy.with_changes(actors=frozenset({"iran"})))
    assert query == {"actors": "iran", "south": "33.5"}
    back = from_query(query, geodata)
    assert back == toy.with_changes(actors=frozenset({"iran"})) and not back.notes
    bad = from_query({"south": "north-pole"}, geodata)
    assert bad.south_of is None and any("south=" in n for n in bad.notes)
    assert "south" not in to_query(View())


def test_a_walkthrough_file_carries_the_toy_filter_both_ways(toy, geodata):
    from layers.boundary import validate_walkthrough_text
    from layers.walkthrough import dump_walkthrough

    walkthrough = next(iter(geodata.walkthroughs.values()))
    first = walkthrough.scenes[0]
    scenes = (dataclasses.replace(first, view=first.view.with_changes(south_of=33.5)),)
    text = dump_walkthrough(dataclasses.replace(walkthrough, scenes=scenes))
    assert "south_of: 33.5" in text
    read, problems = validate_walkthrough_text(text, "w.yaml", geodata)
    assert not problems and read is not None
    assert read.scenes[0].view.south_of == 33.5
    assert read.scenes[0].view == scenes[0].view
    refused, problems = validate_walkthrough_text(
        text.replace("south_of: 33.5", "south_of: hot"), "w.yaml", geodata
    )
    assert refused is None and any("view.south_of" in str(p) for p in problems)


def test_the_export_command_takes_the_toy_filter(toy, geodata, tmp_path):
    from layers.cli.commands import _parser
    from layers.export.features import view_from_args
    from layers.export.products import _given

    argv = ["export", "--format", "png", "--out", str(tmp_path / "m.png"), "--south-of", "33.5"]
    args = _parser().parse_args(argv)
    assert args.south_of == "33.5"
    assert view_from_args(args, geodata).south_of == 33.5
    assert "filters" in _given(args)
    plain = _parser().parse_args(argv[:-2])
    assert "filters" not in _given(plain)


def test_the_words_say_the_toy_filter_in_both_languages(toy, geodata):
    from layers.view.words import describe

    assert describe(toy, geodata) == "south of 33.5°"
    assert describe(toy.with_changes(lang="ar"), geodata) == "جنوب خط العرض 33.5"
    both = describe(toy.with_changes(types=frozenset({"pipeline"})), geodata)
    assert both.endswith("south of 33.5°") and both != "south of 33.5°"


def test_the_sidebar_state_holds_the_toy_filter(toy, geodata, monkeypatch):
    from dashboard import state

    session: dict[str, Any] = {}
    monkeypatch.setattr(state, "st", types.SimpleNamespace(session_state=session))
    state.seed_widgets(View(), geodata)
    assert TOY_KEY in session and session[TOY_KEY] is None  # its default
    assert state.current_view(geodata) == View()
    state.seed_widgets(toy, geodata)
    assert session[TOY_KEY] == 33.5
    assert state.current_view(geodata) == toy


def _points(geodata) -> tuple[pd.DataFrame, Any]:
    """The same 40 points as a feature table and as an event index."""
    from layers.events.index import Codes, EventIndex
    from layers.events.schema import ACTOR_COLUMNS
    from layers.table import COLUMNS

    rng = np.random.default_rng(7)
    lat = rng.uniform(29, 38, 40).astype(np.float32)
    lon = rng.uniform(38, 48, 40).astype(np.float32)
    layer = next(lid for lid, layer in geodata.layers.items() if layer.visible)
    rows = [
        dict(zip(COLUMNS, (f"p{i}", layer, "event", "event", frozenset(), pd.NaT, pd.NaT,
                           float(x), float(y), float(x), float(y)), strict=True))
        for i, (x, y) in enumerate(zip(lon, lat, strict=True))
    ]  # fmt: skip
    n = len(lat)
    zeros = np.zeros(n, dtype=np.int32)
    index = EventIndex(
        generation=1,
        lat=lat,
        lon=lon,
        day_start=zeros + 19000,
        day_end=zeros + 19000,
        time_precision=np.ones(n, dtype=np.int8),
        geo_precision=np.ones(n, dtype=np.int8),
        fatalities=zeros,
        h3=np.zeros(n, dtype=np.uint64),
        event_type=Codes(zeros, ("Battles",)),
        actors={c: Codes(zeros, ("",)) for c in ACTOR_COLUMNS},
    )
    return pd.DataFrame(rows, columns=list(COLUMNS)), index


def test_both_engines_apply_the_toy_filter_alike(toy, geodata):
    from layers.events.index import event_mask

    table, index = _points(geodata)
    on_table = toy.mask(table, geodata).to_numpy()
    on_index = event_mask(index, toy, geodata)
    assert 0 < on_table.sum() < len(table)  # the toy filter keeps some, not all
    assert np.array_equal(on_table, on_index)
    assert np.array_equal(on_table, table["miny"].to_numpy() < 33.5)
    assert View().mask(table, geodata).all() and event_mask(index, View(), geodata).all()


def test_the_timeline_follows_the_toy_filter(toy, geodata):
    from layers.annotations import visible_annotations

    everything = visible_annotations(View(), geodata)
    south = visible_annotations(toy, geodata)
    expected = [
        a
        for a in everything
        if any(geodata.feature(fid).geometry.bounds[1] < 33.5 for fid in a.features)
    ]
    assert 0 < len(south) < len(everything)
    assert south == expected
