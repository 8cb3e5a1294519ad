"""Imported incidents in exports of the view: GeoJSON holds them (marked), CSV says plainly
it does not, maps and the offline HTML draw them, and nothing goes out below their marking."""

from __future__ import annotations

import json

import pytest

from layers.boundary import load_geodata
from layers.cli import main
from layers.events import synth
from layers.events.index import event_mask, load_index
from layers.events.store import Source, open_store
from layers.view import View
from tests.conftest import GEODATA


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("events") / "store"
    table = synth.table(3_000, seed=9)
    open_store(root).upsert(
        table,
        Source("amber.csv", "0" * 64, table.num_rows, "acled", marking="TLP:AMBER"),
        may_raise_marking=True,
    )
    return root


def _export(tmp_path, store_dir, fmt, *args):
    out = tmp_path / f"view.{fmt}"
    code = main(["export", "--format", fmt, "--out", str(out), "--events", "--store",
                 str(store_dir), *args])  # fmt: skip
    return code, out


def test_geojson_of_the_view_holds_its_events_and_their_marking(tmp_path, store_dir):
    code, out = _export(tmp_path, store_dir, "geojson", "--types", "Battles")
    assert code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["marking"] == "TLP:AMBER"
    events = [f for f in data["features"] if f["properties"].get("kind") == "imported_incident"]
    store = open_store(store_dir)
    index = load_index(store)
    mask = event_mask(index, View(types=frozenset({"Battles"})), load_geodata(GEODATA))
    ids = store.take(index.generation, mask.nonzero()[0].tolist(), ["event_id_cnty"])
    assert sorted(f["properties"]["event_id_cnty"] for f in events) == sorted(
        ids.column("event_id_cnty").to_pylist()
    )
    assert {f["properties"]["event_type"] for f in events} == {"Battles"}
    first = events[0]
    assert first["geometry"]["coordinates"] == [
        pytest.approx(first["properties"]["longitude"], abs=1e-6),
        pytest.approx(first["properties"]["latitude"], abs=1e-6),
    ]


def test_csv_of_the_view_says_plainly_it_holds_no_events(tmp_path, store_dir, capsys):
    code, out = _export(tmp_path, store_dir, "csv")
    assert code == 0
    assert "not the 3,000 imported incidents" in capsys.readouterr().err
    plain = tmp_path / "plain.csv"
    assert main(["export", "--format", "csv", "--out", str(plain)]) == 0
    assert out.read_bytes() == plain.read_bytes()


def test_a_map_below_the_events_marking_is_refused(tmp_path, store_dir, capsys):
    code, out = _export(tmp_path, store_dir, "png", "--classification", "TLP:CLEAR", "--dpi", "60")
    assert code == 2 and not out.exists()
    err = capsys.readouterr().err
    assert "refused" in err and "imported incidents" in err and "TLP:AMBER" in err


def test_offline_html_carries_the_events_layer(tmp_path, store_dir):
    code, out = _export(tmp_path, store_dir, "html")
    assert code == 0
    html = out.read_text(encoding="utf-8")
    assert "briefmapEvents.layer(" in html and '"mode": "points"' in html
    assert "TLP:AMBER" in html and "(ACLED)" in html


def test_events_with_a_pack_is_an_error(tmp_path, store_dir, capsys):
    code = main(["export", "--format", "pptx", "--pack", "--out", str(tmp_path / "p.pptx"),
                 "--events", "--store", str(store_dir)])  # fmt: skip
    assert code == 2 and "drop --events" in capsys.readouterr().err
    assert not (tmp_path / "p.pptx").exists()


def test_store_without_events_is_an_error(tmp_path, store_dir, capsys):
    code = main(["export", "--format", "png", "--out", str(tmp_path / "v.png"), "--store",
                 str(store_dir)])  # fmt: skip
    assert code == 2 and "add --events" in capsys.readouterr().err
