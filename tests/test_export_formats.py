"""`briefmap export` for maps, HTML and packs: what each combination writes, and the
combinations refused with a clear message (nothing written)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from PIL import Image

from layers.cli import main
from layers.dtg import dtg, stamp
from layers.export.products import Request, file_name
from layers.view import View
from layers.walkthrough import dump_walkthrough, scene_view


def test_military_dtg_and_sortable_stamp():
    when = datetime(2025, 11, 23, 14, 30, tzinfo=UTC)
    assert dtg(when) == "231430Z NOV 25"
    assert stamp(when) == "20251123T1430Z"
    assert file_name(Request("png", View(), when)) == "briefmap-view-en-20251123T1430Z.png"


def test_png_of_a_scene(tmp_path):
    out = tmp_path / "scene.png"
    assert (
        main(["export", "--format", "png", "--scene", "3", "--dpi", "60", "--out", str(out)]) == 0
    )
    image = Image.open(io.BytesIO(out.read_bytes()))
    assert image.size == (800, 450)


@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_data_of_a_scene_matches_its_view_exactly(tmp_path, geodata, fmt):
    out = tmp_path / f"scene.{fmt}"
    assert main(["export", "--format", fmt, "--scene", "4", "--out", str(out)]) == 0
    scene = geodata.walkthroughs["iraq-syria-2025"].scenes[3]
    expected = [f.id for f in scene_view(scene, "en").select(geodata)]
    text = out.read_text(encoding="utf-8")
    if fmt == "geojson":
        got = [f["properties"]["id"] for f in json.loads(text)["features"]]
    else:
        got = [row["id"] for row in csv.DictReader(io.StringIO(text))]
    assert got == expected and expected


def test_pack_without_format_writes_pptx_pdf_and_html(tmp_path, geodata, geodata_copy):
    """A two-scene walkthrough beside the shipped one keeps this quick."""
    shipped = geodata.walkthroughs["iraq-syria-2025"]
    short = replace(shipped, id="short", scenes=shipped.scenes[:2])
    (geodata_copy / "walkthroughs" / "short.yaml").write_text(dump_walkthrough(short), "utf-8")
    out = tmp_path / "out" / "briefing.pptx"
    args = ["export", "--pack", "--out", str(out), "--walkthrough", "short", "--mkdir"]
    assert main([*args, "--geodata", str(geodata_copy)]) == 0
    assert sorted(p.name for p in out.parent.iterdir()) == [
        "briefing.html",
        "briefing.pdf",
        "briefing.pptx",
    ]


ARGS = ["export", "--out"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "png", "--pack"], "--pack makes pptx, pdf or html, not png"),
        (["--format", "png", "--scene", "11"], "has scenes 1 to 10"),
        (["--format", "png", "--scene", "2", "--actors", "isis"], "drop the filter options"),
        (["--format", "pdf", "--pack", "--scene", "2"], "drop --scene"),
        (["--format", "csv", "--dpi", "100"], "--dpi applies to png, svg and pdf"),
        (["--format", "geojson", "--classification", "TLP:AMBER"], "no title or banner"),
        (["--format", "png", "--walkthrough", "nope", "--scene", "1"], "no walkthrough 'nope'"),
        (["--format", "png", "--classification", "SECRET"], "unknown marking 'SECRET'"),
        (["--format", "png", "--dpi", "5"], "dpi: expected 50 to 1200"),
        ([], "--format is required"),
        (["--format", "png", "--walkthrough", "iraq-syria-2025"], "goes with --scene N or --pack"),
    ],
)
def test_bad_combinations_are_clear_errors_and_write_nothing(tmp_path, capsys, args, message):
    out = tmp_path / "x.png"
    out.write_bytes(b"keep me")
    assert main([*ARGS, str(out), *args]) == 2
    assert message in capsys.readouterr().err
    assert out.read_bytes() == b"keep me"


def test_out_must_match_the_format(tmp_path, capsys):
    assert main(["export", "--format", "png", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "does not end in .png" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
