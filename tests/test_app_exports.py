"""Exports in the app (AppTest, no browser): built only when asked, named after the view with a
sortable UTC time, refused with the reason when the marking is too low."""

from __future__ import annotations

import csv
import io
import re

from tests.conftest import run_app


def _downloads(at) -> list:
    return [el for el in at.get("download_button")]


def test_nothing_is_built_until_asked():
    at = run_app()
    assert _downloads(at) == []
    assert "bm_export" not in at.session_state


def test_a_png_of_the_view_is_built_on_request_and_named_with_the_time():
    at = run_app(layers="isis,border")
    at.selectbox(key="exp-format").set_value("csv")
    at.button(key="exp-build").click().run()
    assert not at.exception
    built = at.session_state["bm_export"]
    assert re.fullmatch(r"briefmap-view-en-\d{8}T\d{4}Z\.csv", built.name)
    rows = list(csv.DictReader(io.StringIO(built.data.decode("utf-8"))))
    assert rows and {r["layer"] for r in rows} == {"isis", "border"}
    at.selectbox(key="exp-format").set_value("png")
    at.selectbox(key="exp-size").set_value("a4")
    at.button(key="exp-build").click().run()
    built = at.session_state["bm_export"]
    assert built.name.endswith(".png") and built.data.startswith(b"\x89PNG")
    assert len(_downloads(at)) == 1


def test_a_marking_below_the_data_is_refused_in_words():
    at = run_app()
    at.text_input(key="exp-marking").set_value("SECRET")
    at.button(key="exp-build").click().run()
    assert any("unknown marking" in e.value and "SECRET" in e.value for e in at.error)
    assert at.session_state["bm_export"] is None


def test_exports_show_the_incidents_the_map_shows(app_env, tmp_path):
    """With imported incidents on the map: a map export below their marking is refused, the
    GeoJSON holds them, and the CSV says plainly that it does not."""
    import json

    from layers.events import synth
    from layers.events.store import Source, open_store

    table = synth.table(500, seed=3)
    open_store(tmp_path).upsert(
        table,
        Source("e.csv", "0" * 64, table.num_rows, "acled", marking="TLP:AMBER"),
        may_raise_marking=True,
    )
    app_env(BRIEFMAP_STORE=tmp_path)
    at = run_app()
    at.selectbox(key="exp-format").set_value("png")
    at.text_input(key="exp-marking").set_value("TLP:CLEAR")
    at.button(key="exp-build").click().run()
    assert any("refused" in e.value and "imported incidents" in e.value for e in at.error)
    at.text_input(key="exp-marking").set_value("")
    at.selectbox(key="exp-format").set_value("geojson")
    at.button(key="exp-build").click().run()
    data = json.loads(at.session_state["bm_export"].data)
    assert data["marking"] == "TLP:AMBER"
    assert sum(f["properties"].get("kind") == "imported_incident" for f in data["features"]) > 0
    at.selectbox(key="exp-format").set_value("csv")
    at.button(key="exp-build").click().run()
    assert any("not the" in c.value and "imported incidents" in c.value for c in at.caption)
