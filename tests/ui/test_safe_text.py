"""Markdown and links from data, links and files show as text in a real browser.

A server runs on a copy of the geodata with a payload planted in every text that reaches a
Streamlit element: a layer's name and help, a feature's name (search results, the highlight
caption), a walkthrough's titles and speaker notes, a timeline entry. Links carry the payload in
every query key, and uploads in their file name. The network guard fails the test on any
request off the machine; the page must hold no image or link built from the payload, and the
payload's characters must be there as text. The payload starts with a blank line: text that
ended the HTML block it is shown in (a legend, a timeline entry, the key points, the audience's
title) would turn what follows into live Markdown.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

from tests.conftest import GEODATA
from tests.ui.harness import (
    audience_link,
    open_map,
    present,
    run_server,
    runs_done,
    server_cpu,
    upload,
    wait_runs,
)

pytestmark = pytest.mark.browser

MARK = "evil.invalid"
PAYLOAD = (
    f"\n\n![p](http://{MARK}/p.png) [lnk](http://{MARK}/x) :red[**RED**] <b>b</b> "
    f"http://{MARK}/auto www.{MARK}"
)
KEYS = ("layers", "actors", "types", "from", "to", "undated", "inview", "lang", "c", "z", "x")
# CPU seconds the server may spend on one refused upload, its rerun of the page included (the
# refusal itself takes a small part of it; an alias bomb expanded would take minutes).
CPU_S = 5.0


def _plant(root: Path) -> None:
    def edit(name: str, change) -> None:
        path = root / name
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    def layer(d):
        for entry in d["layers"]:  # the legend shows whichever layer is on the map
            entry.update(name_en="Layer " + PAYLOAD, description_en="Help " + PAYLOAD)

    def feature(d):
        d["features"][0]["properties"]["name_en"] = "Zebrafeature " + PAYLOAD
        d["features"][0]["properties"]["summary_en"] = "Summary " + PAYLOAD

    def annotation(d):
        for entry in d["annotations"]:
            entry.update(title_en="Entry " + PAYLOAD, text_en="Text " + PAYLOAD)

    edit("layers.json", layer)
    edit("features/isis.geojson", feature)
    edit("timeline.json", annotation)
    path = root / "walkthroughs" / "iraq-syria-2025.yaml"
    walk = yaml.safe_load(path.read_text(encoding="utf-8"))
    walk["title_en"] = "Walk " + PAYLOAD
    walk["scenes"][0].update(title_en="First " + PAYLOAD, notes_en="Notes " + PAYLOAD)
    walk["scenes"][0]["points_en"] = ["Point " + PAYLOAD, "Other " + PAYLOAD]
    walk["scenes"][1]["title_en"] = "Second " + PAYLOAD
    path.write_text(yaml.safe_dump(walk, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("planted")
    root = tmp / "geodata"
    shutil.copytree(GEODATA, root)
    _plant(root)
    with run_server(tmp, "--geodata", str(root)) as server:
        yield server, root


def _nothing_built_from_payload(page) -> None:
    for frame in page.frames:
        if "streamlit_folium" in (frame.name or "") or frame.url.startswith("about:"):
            continue
        built = frame.locator(f'img[src*="{MARK}"], a[href*="{MARK}"], [style*="{MARK}"]')
        assert built.count() == 0, frame.url
    assert page.locator(f'img[src*="{MARK}"], a[href*="{MARK}"]').count() == 0


def _shown_as_text(page, min_count: int = 1) -> int:
    n = page.get_by_text(":red[**RED**]", exact=False).count()
    assert n >= min_count
    return n


def test_every_query_key_carries_the_payload(planted, browsing):
    server, _root = planted
    query = "&".join(f"{key}={quote(PAYLOAD)}" for key in KEYS)
    open_map(browsing.page, f"{server.url}/?{query}")
    page = browsing.page
    warning = page.locator('[data-testid="stAlertContentWarning"]')
    warning.first.wait_for(timeout=20_000)
    text = warning.first.inner_text().replace("\u200b", "")
    assert "![p](http://evil.invalid/p.png)" in text or "unknown key" in text
    _nothing_built_from_payload(page)
    _shown_as_text(page)


def test_planted_names_labels_help_and_search_show_as_text(planted, browsing):
    server, _root = planted
    page = browsing.page
    open_map(page, server.url)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Layer ![p]", exact=False).first.wait_for(timeout=20_000)
    page.locator('[data-testid="stSidebar"] input[type="text"]').first.fill("Zebrafeature")
    page.keyboard.press("Enter")
    button = sidebar.get_by_role("button", name="Zebrafeature", exact=False)
    button.first.wait_for(timeout=20_000)
    button.first.click()
    page.get_by_text("Highlighted: Zebrafeature", exact=False).first.wait_for(timeout=20_000)
    help_icon = sidebar.locator('[data-testid="stTooltipHoverTarget"]').first
    help_icon.hover()
    page.get_by_text("Help ![p]", exact=False).first.wait_for(timeout=10_000)
    page.get_by_text("Entry ![p]", exact=False).first.wait_for(timeout=10_000)
    for block in (".bm-legend", ".bm-tl-head", ".bm-tl-text"):  # escaped HTML blocks
        assert ":red[**RED**]" in page.locator(block).first.inner_text(), block
    _nothing_built_from_payload(page)
    _shown_as_text(page, min_count=3)


def test_presenter_titles_notes_and_next_scene_show_as_text(planted, browsing):
    server, _root = planted
    page = browsing.page
    present(page, f"{server.url}/?walkthrough=iraq-syria-2025&scene=1")
    for text in ("First ![p]", "Notes ![p]", "Second ![p]", "Walk ![p]", "Point ![p]"):
        page.get_by_text(text, exact=False).first.wait_for(timeout=20_000)
    _nothing_built_from_payload(page)
    _shown_as_text(page, min_count=5)
    open_map(page, audience_link(page))  # the projector: title and key points in large type
    for text in ("First ![p]", "Point ![p]", "Other ![p]"):
        page.get_by_text(text, exact=False).first.wait_for(timeout=20_000)
    assert page.locator("#bm-aud-title").inner_text().startswith("First")
    _nothing_built_from_payload(page)
    _shown_as_text(page, min_count=3)


def test_uploaded_titles_and_file_names_show_as_text(planted, browsing, tmp_path):
    server, root = planted
    page = browsing.page
    open_map(page, server.url)
    page.get_by_text("Author a walkthrough").click()
    broken = tmp_path / f"x\n\n![p](https:{MARK}) [lnk](https:{MARK}).yaml"
    broken.write_text("id: [broken\n", encoding="utf-8")
    upload(page, broken)
    error = page.locator('[data-testid="stAlertContentError"]')
    error.first.wait_for(timeout=20_000)
    assert f"![p](https:{MARK})" in error.first.inner_text().replace("\u200b", "")
    good = tmp_path / "mine.yaml"
    shutil.copy(root / "walkthroughs" / "iraq-syria-2025.yaml", good)
    upload(page, good)
    page.get_by_text("1. First ![p]", exact=False).first.wait_for(timeout=20_000)
    _nothing_built_from_payload(page)


def test_an_alias_bomb_upload_does_not_hold_up_another_user(server, browser, tmp_path):
    """The worst files a walkthrough upload can be cost the server little CPU (the server's own
    user + system time, which a loaded machine does not stretch), so they hold no one up; a
    second session's page loads after each."""
    bomb = tmp_path / "bomb.yaml"
    chain = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    chain += [f"a{k}: &a{k} [" + ",".join([f"*a{k - 1}"] * 9) + "]" for k in range(1, 10)]
    bomb.write_text("\n".join(chain) + "\nscenes: *a9\n", encoding="utf-8")
    assert bomb.stat().st_size < 1000  # the 700-byte class of file
    crowd = tmp_path / "crowd.yaml"
    crowd.write_text("x: [" + ",".join(["1"] * 120_000) + "]\n", encoding="utf-8")
    first = browser.new_context(viewport={"width": 1400, "height": 900})
    second = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        uploader = first.new_page()
        open_map(uploader, server.url)
        uploader.get_by_text("Author a walkthrough").click()
        visitor = second.new_page()
        for path in (bomb, crowd):
            runs, cpu = runs_done(uploader), server_cpu(server)
            upload(uploader, path)
            wait_runs(uploader, runs)  # the upload's run has ended (refused)
            used = server_cpu(server) - cpu
            assert used <= CPU_S, f"the server spent {used:.2f} s of CPU on {path.name}"
            visitor.goto(server.url)  # and another user's page still loads
            visitor.get_by_text("Filters").first.wait_for(timeout=120_000)
        errors = uploader.locator('[data-testid="stAlertContentError"]')
        errors.first.wait_for(timeout=10_000)
        assert "is not valid YAML" in errors.first.inner_text()
    finally:
        first.close()
        second.close()
