"""A snapshot credits the datasets its imported incidents come from: ACLED for ACLED's, UCDP
GED for UCDP's (ids `UCDP-<id>`), both when both are in view, in English and Arabic."""

from __future__ import annotations

import io

import numpy as np
import pyarrow as pa
import pytest
from pypdf import PdfReader

from layers.cli import main
from layers.events import synth
from layers.events.shown import shown_events
from layers.events.store import Source, open_store
from layers.snapshot import Snapshot, render, save
from layers.snapshot.words import w
from layers.view import View

NEAR = {"center": (34.45, 40.95), "zoom": 10}  # around Albu Kamal, where synth puts events


def _ucdp(n: int, seed: int) -> pa.Table:
    table = synth.table(n, seed=seed)
    ids = pa.array([f"UCDP-{400_000 + i}" for i in range(n)])
    return table.set_column(table.schema.get_field_index("event_id_cnty"), "event_id_cnty", ids)


def _store(root, acled: int, ucdp: int):
    store = open_store(root)
    if acled:
        table = synth.table(acled, seed=5)
        store.upsert(table, Source("acled.csv", "0" * 64, acled, "acled"))
    if ucdp:
        store.upsert(_ucdp(ucdp, 9), Source("ged.csv", "1" * 64, ucdp, "ucdp"))
    return store


@pytest.mark.parametrize(
    ("acled", "ucdp", "credited"),
    [(300, 0, ["ACLED"]), (0, 300, ["UCDP GED"]), (300, 300, ["ACLED", "UCDP GED"])],
    ids=["acled-only", "ucdp-only", "both"],
)
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_credits_name_the_datasets_in_view(tmp_path, geodata, acled, ucdp, credited, lang):
    store = _store(tmp_path / "store", acled, ucdp)
    view = View(lang=lang, **NEAR)
    fig, contents = render(Snapshot(view, events=shown_events(store, view, geodata)), geodata)
    assert contents.events is not None and contents.events.in_view > 0
    assert contents.events.datasets == tuple(credited)
    for name, key in (("ACLED", "credit_acled"), ("UCDP GED", "credit_ucdp")):
        assert (w(key, lang) in contents.credits) == (name in credited), contents.credits
    if lang == "en":
        text = PdfReader(io.BytesIO(save(fig, "pdf"))).pages[0].extract_text()
        assert ("Uppsala" in text) == ("UCDP GED" in credited)
        assert ("Armed Conflict" in text) == ("ACLED" in credited)


def test_the_datasets_are_those_of_the_rows_asked_about(tmp_path, geodata):
    store = _store(tmp_path / "store", 50, 40)
    shown = shown_events(store, View(**NEAR), geodata)
    ids = store.take(shown.index.generation, range(shown.index.size), ["event_id_cnty"])
    is_ucdp = np.array([i.startswith("UCDP-") for i in ids.column(0).to_pylist()])
    assert shown.datasets(is_ucdp) == ("UCDP GED",)
    assert shown.datasets(~is_ucdp) == ("ACLED",)
    assert shown.datasets(np.ones_like(is_ucdp)) == ("ACLED", "UCDP GED")
    assert shown.datasets(np.zeros_like(is_ucdp)) == ()


@pytest.mark.parametrize(
    ("acled", "ucdp", "named"), [(0, 60, "(UCDP GED)"), (60, 60, "(ACLED, UCDP GED)")]
)
def test_the_offline_page_names_the_datasets(tmp_path, acled, ucdp, named):
    root = tmp_path / "store"
    _store(root, acled, ucdp)
    out = tmp_path / "view.html"
    args = ["export", "--format", "html", "--events", "--store", str(root)]
    assert main([*args, "--bbox", "40.5,34.0,41.5,35.0", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert named in page
    assert ("(ACLED)" in page) is False
