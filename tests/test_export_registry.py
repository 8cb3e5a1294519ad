"""The export format registry (`layers.export.formats`) is the one list of formats: a toy format
registered once is a choice of `briefmap export`, a format of the app's export menu and a file
of the briefing pack, with the options it declares and no others; an unknown suffix or format
is refused with the known ones named."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from layers.cli import main
from layers.export import formats
from layers.export.formats import Format
from layers.export.pack.build import build_pack
from layers.export.request import Product, ProductError
from layers.view import View
from tests.conftest import run_app

WHEN = datetime(2025, 11, 23, 14, 30, tzinfo=UTC)


def _toy_file(req, geodata) -> Product:
    """One line per feature the request's view selects: its id."""
    ids = [f.id for f in req.view.select(geodata)]
    return Product(("TOY " + " ".join(ids)).encode("utf-8"), note="a toy file")


def _toy_pack(parts) -> bytes:
    titles = [parts.content.scene_title(i) for i in range(len(parts.content.scenes))]
    return ("TOY PACK " + " | ".join(titles)).encode("utf-8")


@pytest.fixture
def toy():
    fmt = formats.register(
        Format("toy", ".toy", "text/x-toy", _toy_file, _toy_pack, frozenset({"title"}))
    )
    yield fmt
    formats.unregister("toy")
    assert "toy" not in formats.names()


def test_the_shipped_formats_are_each_surfaces(toy):
    assert formats.names()[:7] == ("pptx", "png", "svg", "pdf", "html", "geojson", "csv")
    assert formats.view_formats()[:6] == ("png", "svg", "pdf", "html", "geojson", "csv")
    assert formats.pack_names()[:3] == ("pptx", "pdf", "html")
    assert formats.names()[-1] == "toy" and formats.pack_names()[-1] == "toy"
    assert formats.get("geojson").media_type == "application/geo+json"


def test_a_registered_format_is_a_choice_of_the_command_line(toy, tmp_path, geodata, capsys):
    out = tmp_path / "view.toy"
    assert main(["export", "--format", "toy", "--out", str(out), "--layers", "isis"]) == 0
    want = [f.id for f in View(layers=frozenset({"isis"})).select(geodata)]
    assert want and out.read_text(encoding="utf-8") == "TOY " + " ".join(want)
    assert "note: a toy file" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    assert "toy" in capsys.readouterr().out


def test_without_registration_the_command_line_refuses_it(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["export", "--format", "toy", "--out", str(tmp_path / "v.toy")])
    assert stop.value.code == 2
    assert "invalid choice: 'toy'" in capsys.readouterr().err
    with pytest.raises(ProductError, match="expected one of pptx, png.*got 'toy'"):
        formats.get("toy")


def test_a_registered_format_takes_only_its_options(toy, tmp_path, capsys):
    out = tmp_path / "view.toy"
    assert main(["export", "--format", "toy", "--out", str(out), "--title", "T"]) == 0
    assert main(["export", "--format", "toy", "--out", str(out), "--dpi", "100"]) == 2
    assert "--dpi applies to png, svg and pdf, not toy" in capsys.readouterr().err
    assert main(["export", "--format", "toy", "--out", str(out), "--classification", "TLP:RED"])
    assert "--classification applies to png, svg, pdf and html, not toy" in capsys.readouterr().err


def test_the_app_offers_it_and_builds_it(toy):
    at = run_app(layers="isis")
    assert "TOY" in at.selectbox(key="exp-format").options
    at.selectbox(key="exp-format").set_value("toy")
    at.button(key="exp-build").click().run()
    assert not at.exception
    built = at.session_state["bm_export"]
    assert built.name.endswith(".toy") and built.mime == "text/x-toy"
    assert built.data.startswith(b"TOY ") and built.note == "a toy file"


def test_the_pack_holds_it(toy, geodata, tmp_path):
    shipped = geodata.walkthroughs["iraq-syria-2025"]
    short = replace(shipped, scenes=shipped.scenes[:2])
    files = build_pack(short, geodata, "en", WHEN, formats=("toy",)).files
    assert list(files) == ["toy"]
    titles = " | ".join(s.title_en for s in short.scenes)
    assert files["toy"].decode("utf-8") == f"TOY PACK {titles}"
    out = tmp_path / "brief.toy"
    args = ["export", "--pack", "--format", "toy", "--out", str(out), "--scene", "1"]
    assert main(args) == 2  # a pack takes every scene, whatever its format
    assert main(["export", "--pack", "--format", "toy", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"TOY PACK ")


def test_a_format_without_a_pack_writer_makes_no_pack(geodata, capsys, tmp_path):
    with pytest.raises(ProductError, match="a pack is made of pptx, pdf or html, not png"):
        build_pack(geodata.walkthroughs["iraq-syria-2025"], geodata, "en", WHEN, formats=("png",))
    assert main(["export", "--pack", "--format", "svg", "--out", str(tmp_path / "x.svg")]) == 2
    assert "--pack makes pptx, pdf or html, not svg" in capsys.readouterr().err


def test_an_unknown_suffix_is_refused_clearly(tmp_path, capsys):
    out = tmp_path / "view.kml"
    assert main(["export", "--format", "png", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "no export format writes .kml files (known: .pptx, .png, .svg" in err
    assert "give a name ending in .png" in err and not out.exists()
    assert formats.by_suffix(".GeoJSON").name == "geojson"
    with pytest.raises(ProductError, match="no export format writes .kml files"):
        formats.by_suffix(".kml")


@pytest.mark.parametrize(
    ("fmt", "message"),
    [
        (Format("png", ".png2", "image/png", _toy_file), "registered already"),
        (Format("toy", ".png", "text/x-toy", _toy_file), "suffix .png is png's already"),
        (Format("toy", "toy", "text/x-toy", _toy_file), "suffix 'toy'"),
        (Format("Toy!", ".toy", "text/x-toy", _toy_file), "format name 'Toy!'"),
        (Format("toy", ".toy", "text/x-toy"), "a builder, a pack writer or both"),
        (Format("toy", ".toy", "t/x", _toy_file, None, frozenset({"dpl"})), "unknown options dpl"),
    ],
)
def test_a_malformed_or_clashing_format_is_refused(fmt, message):
    with pytest.raises(ProductError, match=message):
        formats.register(fmt)
    assert formats.names().count(fmt.name) <= 1


def test_the_command_line_lists_the_formats_without_loading_the_builders():
    """The registry names its builders without importing them: `briefmap serve` or
    `validate` load neither matplotlib nor python-pptx; building a view's file loads the first
    and never the second."""
    import subprocess
    import sys

    probe = (
        "import sys, layers.cli\n"
        "from layers.cli.commands import _parser\n"
        "_parser()\n"
        "print('matplotlib' in sys.modules, 'pptx' in sys.modules)\n"
        "from layers.export import formats\n"
        "from layers.export import builders\n"
        "print('matplotlib' in sys.modules, 'pptx' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[:2] == ["False False", "True False"]
