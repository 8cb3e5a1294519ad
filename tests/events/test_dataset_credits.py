"""A snapshot credits the datasets its imported incidents come from: ACLED for ACLED's, UCDP
GED for UCDP's (ids `UCDP-<id>`), both when both are in view, in English and Arabic."""

from __future__ import annotations

import io

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


def test_the_datasets_are_those_of_the_events_in_the_box(tmp_path, geodata):
    """Each place's credit, beside one worked out in pandas from the stored rows."""
    store = _store(tmp_path / "store", 50, 40)
    shown = shown_events(store, View(), geodata)
    table = store.table().to_pandas()
    seen = set()
    for lon, lat in sorted(set(zip(table.longitude, table.latitude, strict=True))):
        box = (lon - 3e-5, lat - 3e-5, lon + 3e-5, lat + 3e-5)
        here = table[(table.longitude - lon).abs().lt(3e-5) & (table.latitude - lat).abs().lt(3e-5)]
        ucdp = here.event_id_cnty.str.startswith("UCDP-")
        expected = (("ACLED",) if (~ucdp).any() else ()) + (("UCDP GED",) if ucdp.any() else ())
        assert shown.datasets(box) == expected, (lon, lat)
        seen.add(expected)
    assert {("ACLED",), ("UCDP GED",)} <= seen
    assert shown.datasets() == ("ACLED", "UCDP GED")
    assert shown.datasets((0.0, 0.0, 1.0, 1.0)) == ()


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
