"""Text from data stays text, whatever characters it holds.

- HTML: escaped text never holds a raw line break, and every HTML block the dashboard shows goes
  through one helper that keeps it one line, so a blank line in a value cannot end the block and
  turn what follows into Markdown (the browser half is tests/ui/test_safe_text.py).
- Printed maps and packs: a `$` is a dollar sign, never mathtext ("$$" and "$\\foo$" used to
  crash the export, "$5 and $6" was typeset as maths).
- The boundary: a lone surrogate or a control character in any string of any geodata file or
  walkthrough is a problem naming file, item and field, never a crash later.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

from layers.boundary import validate, validate_walkthrough_text, validate_walkthrough_upload
from layers.boundary.jsonio import read_json
from layers.boundary.problems import ProblemLog
from layers.export.pack.build import build_pack
from layers.render.escape import esc
from layers.snapshot import Snapshot, render, save
from tests.conftest import GEODATA

WHEN = datetime(2025, 11, 23, 14, 30, tzinfo=UTC)
DOLLARS = ("$$", "$\\foo$", "costs $5 and $6")
SVG_TEXT = re.compile(r"<text[^>]*>(.*?)</text>", re.S)
REFUSED = {"surrogate": "\ud800", "low-surrogate": "\udfff", "nul": "\x00", "escape": "\x1b"}
WALK = GEODATA / "walkthroughs" / "iraq-syria-2025.yaml"


# --- HTML -----------------------------------------------------------------------------------


@pytest.mark.parametrize("breaks", ["\n\n", "\r\n\r\n", "\r\r", "\n \n", "\n\t\n"])
def test_escaped_text_never_holds_a_line_break(breaks):
    text = esc(f"After{breaks}![x](http://evil.invalid/p.png){breaks}<b>x</b>")
    assert "\n" not in text and "\r" not in text
    assert "<" not in text


def test_every_html_block_of_the_dashboard_goes_through_one_helper():
    from dashboard.markup import one_block

    dashboard = Path(__file__).parents[1] / "dashboard"
    for path in dashboard.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        if path.name != "markup.py":
            assert "unsafe_allow_html" not in source, path.name
            assert "st.html(" not in source, path.name
    block = one_block("<style>\na {}\n\n</style>\n\n<ul><li>x</li></ul>\r\n")
    assert block.startswith('<div class="bm-html">') and block.endswith("</div>")
    assert "\n" not in block and "\r" not in block


# --- printed maps and packs -----------------------------------------------------------------


def _dollar_geodata(geodata, text: str):
    features = tuple(replace(f, name_en=f"{f.name_en} {text}") for f in geodata.features)
    layers = {k: replace(v, name_en=f"{v.name_en} {text}") for k, v in geodata.layers.items()}
    return replace(geodata, features=features, layers=layers, _by_id={})


@pytest.mark.parametrize("text", DOLLARS)
def test_dollars_in_titles_labels_and_legend_print_as_typed(geodata, text):
    plain = _dollar_geodata(geodata, text)
    scene = plain.walkthroughs["iraq-syria-2025"].scenes[1]
    snap = Snapshot.of_scene(scene, plain, "en", when=WHEN, dpi=60)
    snap = replace(snap, title=f"Title {text}", subtitle=f"Sub {text}", points=(f"Point {text}",))
    fig, _ = render(snap, plain)
    svg = save(fig, "svg").decode("utf-8")
    shown = [t.replace("&amp;", "&") for t in SVG_TEXT.findall(svg)]
    assert f"Title {text}" in shown
    assert any(f"Sub {text}" in t for t in shown)
    assert sum(text in t for t in shown) >= 5  # title, subtitle, point, labels, legend
    assert save(fig, "png").startswith(b"\x89PNG")
    pdf = PdfReader(io.BytesIO(save(fig, "pdf", when=WHEN)))
    assert f"Title {text}" in pdf.pages[0].extract_text()


def test_a_pack_with_dollars_in_every_title_builds(geodata):
    walk = geodata.walkthroughs["iraq-syria-2025"]
    scenes = tuple(
        replace(s, title_en=f"Scene {d}", points_en=(f"Point {d}",))
        for s, d in zip(walk.scenes, DOLLARS, strict=False)
    )
    walk = replace(walk, title_en="Walk $$ $\\foo$", scenes=scenes)
    files = build_pack(walk, geodata, "en", WHEN, formats=("pptx", "pdf")).files
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(files["pdf"])).pages)
    for d in DOLLARS:
        assert f"Scene {d}" in text
    assert "Walk $$ $\\foo$" in text


# --- the boundary ---------------------------------------------------------------------------


def _text_paths(value: Any, path: tuple = ()) -> list[tuple]:
    """The path of the first string at each place (list positions folded), in file order."""
    seen: dict[tuple, tuple] = {}

    def walk(v: Any, p: tuple) -> None:
        if isinstance(v, str):
            seen.setdefault(tuple(k if isinstance(k, str) else 0 for k in p), p)
        elif isinstance(v, dict):
            for k, inner in v.items():
                walk(inner, (*p, k))
        elif isinstance(v, list):
            for i, inner in enumerate(v):
                walk(inner, (*p, i))

    walk(value, path)
    return list(seen.values())


def _json_cases() -> list[tuple[str, tuple]]:
    files = ["sources.json", "actors.json", "layers.json", "timeline.json"]
    files += [f"features/{p.name}" for p in sorted((GEODATA / "features").glob("*.geojson"))]
    cases = []
    for name in files:
        data = json.loads((GEODATA / name).read_text(encoding="utf-8"))
        cases += [(name, p) for p in _text_paths(data)]
    return cases


JSON_CASES = _json_cases()
WALK_CASES = _text_paths(yaml.safe_load(WALK.read_text(encoding="utf-8")))


def _set(data: Any, path: tuple, value: str) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = data[path[-1]] + value


def _last_key(path: tuple) -> str:
    return [k for k in path if isinstance(k, str)][-1]


def test_the_cases_cover_every_kind_of_text():
    fields = {_last_key(p) for _n, p in JSON_CASES} | {_last_key(p) for p in WALK_CASES}
    for name in ("name_en", "name_ar", "summary_en", "description_en", "text_en", "title_en"):
        assert name in fields
    assert {"points_en", "notes_en", "notes_ar", "title_ar"} <= {_last_key(p) for p in WALK_CASES}
    assert len(JSON_CASES) > 60


@pytest.mark.parametrize("char", REFUSED.values(), ids=REFUSED.keys())
@pytest.mark.parametrize(("name", "path"), JSON_CASES, ids=[f"{n}:{p}" for n, p in JSON_CASES])
def test_every_json_text_field_refuses_text_that_is_not_text(tmp_path, name, path, char):
    data = json.loads((GEODATA / name).read_text(encoding="utf-8"))
    _set(data, path, f" {char} end")
    file = tmp_path / "file.json"
    file.write_text(json.dumps(data), encoding="utf-8")  # ASCII: the character as an escape
    log = ProblemLog()
    read = read_json(file, name, log)
    assert len(log.problems) == 1, log.problems
    problem = log.problems[0]
    assert problem.file == name and _last_key(path) in problem.field
    assert f"U+{ord(char):04X}" in problem.message
    str(problem).encode("utf-8")  # printable
    json.dumps(read, ensure_ascii=False).encode("utf-8")  # what later checks read is text


@pytest.mark.parametrize("char", REFUSED.values(), ids=REFUSED.keys())
@pytest.mark.parametrize("path", WALK_CASES, ids=[str(p) for p in WALK_CASES])
def test_every_walkthrough_text_field_refuses_text_that_is_not_text(geodata, path, char):
    data = yaml.safe_load(WALK.read_text(encoding="utf-8"))
    _set(data, path, f" {char} end")
    text = yaml.safe_dump(data, allow_unicode=True)  # the character as a "\u…" escape
    for walkthrough, problems in (
        validate_walkthrough_text(text, "mine.yaml", geodata),
        validate_walkthrough_upload("mine.yaml", text.encode("utf-8"), geodata),
    ):
        assert walkthrough is None
        assert len(problems) == 1, problems
        problem = problems[0]
        assert problem.file == "mine.yaml"
        if 0xD800 <= ord(char) <= 0xDFFF:  # libyaml refuses the "\ud800" escape as it parses
            line = _line_of(text, char)
            assert problem.item.startswith(f"line {line} ") and "Unicode" in problem.message
        else:
            assert _last_key(path) in problem.field
        str(problem).encode("utf-8")


def _line_of(text: str, char: str) -> int:
    """The 1-based line where the YAML dump wrote `char` (as an escape)."""
    escape = f"\\u{ord(char):04x}"
    return next(n for n, line in enumerate(text.splitlines(), 1) if escape in line.lower())


def test_tabs_and_line_breaks_stay_allowed(geodata):
    data = yaml.safe_load(WALK.read_text(encoding="utf-8"))
    data["scenes"][0]["notes_en"] = "First\tline\r\n\r\nsecond line\n\n![x](y)"
    walkthrough, problems = validate_walkthrough_text(yaml.safe_dump(data), "w.yaml", geodata)
    assert not problems and walkthrough is not None


def test_a_geodata_folder_with_bad_text_everywhere_is_refused_not_crashed(geodata_copy):
    for name, path in JSON_CASES:
        file = geodata_copy / name
        data = json.loads(file.read_text(encoding="utf-8"))
        _set(data, path, " \ud800")
        file.write_text(json.dumps(data), encoding="utf-8")
    result = validate(geodata_copy)
    assert not result.ok and result.geodata is None
    named = {p.file for p in result.problems}
    assert {"layers.json", "actors.json", "sources.json"} <= {Path(n).name for n in named}
    assert sum("U+D800" in p.message for p in result.problems) >= 30
    "\n".join(map(str, result.problems)).encode("utf-8")
