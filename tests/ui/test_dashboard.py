"""The analyst dashboard in a real browser: filters, shareable URLs, Arabic, the timeline panel,
search, measuring, and sessions that do not leak into each other."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from layers.boundary import load_geodata
from layers.view import View
from tests.conftest import GEODATA
from tests.ui.harness import (
    layer_checkbox,
    map_view,
    open_map,
    runs_done,
    upload,
    wait_for_count,
    wait_runs,
    wait_until,
    watch_runs,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def geodata():
    return load_geodata(GEODATA)


def _ids_drawn(frame) -> set[str]:
    classes = frame.locator("path.bm-f").evaluate_all(
        "els => els.map(e => e.getAttribute('class'))"
    )
    return {m.group(1) for c in classes for m in [re.search(r"bm-id-(\S+)", c)] if m}


def _query(page) -> dict[str, str]:
    # location.href, not page.url: page.url only catches up with the app's replaceState when
    # Playwright next talks to the browser, so a loop of sleeps could read it stale forever
    href = page.evaluate("() => location.href")
    return {k: v[-1] for k, v in parse_qs(urlparse(href).query).items()}


def _choose_actor(page, typed: str, option: str) -> None:
    box = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Actors")
    box.click()
    page.keyboard.type(typed)
    page.get_by_role("option", name=re.compile(re.escape(option))).first.click()
    page.keyboard.press("Escape")


def test_choosing_an_actor_filters_the_map_and_the_url(server, browsing, geodata):
    page = browsing.page
    frame = open_map(page, server.url)
    assert wait_for_count(frame, "path.bm-f", len(View().select(geodata))) > 3
    _choose_actor(page, "Kata", "Kata'ib Hezbollah")
    expected = {f.id for f in View(actors=frozenset({"kataib-hezbollah"})).select(geodata)}
    assert wait_for_count(frame, "path.bm-f", len(expected)) == len(expected)
    assert _ids_drawn(frame) == expected
    assert wait_until(lambda: _query(page).get("actors") == "kataib-hezbollah"), page.url
    assert page.get_by_text("Kata'ib Hezbollah · 3 features shown").is_visible()


def test_reloading_a_link_restores_the_view(server, browsing, geodata):
    link = f"{server.url}/?actors=irgc-quds-force&from=2013&to=2020&layers=iran-network,regional"
    page = browsing.page
    frame = open_map(page, link)
    view = View(
        actors=frozenset({"irgc-quds-force"}),
        layers=frozenset({"iran-network", "regional"}),
        date_from=__import__("datetime").date(2013, 1, 1),
        date_to=__import__("datetime").date(2020, 12, 31),
    )
    expected = {f.id for f in view.select(geodata)}
    assert expected, "the link selects something"
    assert wait_for_count(frame, "path.bm-f", len(expected)) == len(expected)
    assert _ids_drawn(frame) == expected
    assert page.get_by_text("IRGC Quds Force").first.is_visible()
    assert not page.get_by_role("checkbox", name=re.compile("Oil pipelines")).is_checked()
    assert page.get_by_text(re.compile(r"2013 – 2020")).first.is_visible()
    page.reload()
    frame = open_map(page, page.url)
    assert wait_for_count(frame, "path.bm-f", len(expected)) == len(expected)


def test_arabic_link_gives_a_right_to_left_page(server, browsing, geodata):
    page = browsing.page
    frame = open_map(page, f"{server.url}/?lang=ar")
    app = page.locator(".stApp")
    assert app.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert page.get_by_text("الأمن العراقي السوري بعد سقوط الأسد").is_visible()
    assert page.get_by_text("الطبقات", exact=True).is_visible()
    assert page.get_by_text("الخط الزمني من التقريرين").is_visible()
    assert page.locator(".bm-legend[dir=rtl]").count() == 1
    wait_for_count(frame, "path.bm-f", len(View().select(geodata)))
    frame.locator("path.bm-id-al-hol-camp").click()
    popup = frame.locator(".leaflet-popup-content .bm-popup[dir=rtl]")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    assert geodata.feature("al-hol-camp").summary_ar in text
    assert "الفقرة 7" in text
    family = page.locator("h4").first.evaluate("el => getComputedStyle(el).fontFamily")
    assert "bm-arabic" in family
    loaded = """() => Array.from(document.fonts).some(
        f => f.family.replace(/["']/g, '') === 'bm-arabic' && f.status === 'loaded')"""
    assert wait_until(lambda: page.evaluate(loaded)), "Noto Sans Arabic was not loaded"


def test_clicking_an_annotation_moves_and_highlights(server, browsing, geodata):
    page = browsing.page
    frame = open_map(page, server.url)
    wait_for_count(frame, "path.bm-f", len(View().select(geodata)))
    before = map_view(frame)
    page.locator(".st-key-focus-fm-meeting-baghdad button").click()
    baghdad = geodata.feature("baghdad").geometry
    moved = wait_until(
        lambda: (
            lambda v: abs(v[0] - baghdad.y) < 1 and abs(v[1] - baghdad.x) < 1 and v[2] > before[2]
        )(map_view(frame))
    )
    assert moved, f"map stayed at {map_view(frame)}"
    assert frame.locator("path.bm-highlight").count() >= 1


def test_a_panned_map_keeps_its_extent_after_a_filter_change(server, browsing, geodata):
    page = browsing.page
    frame = open_map(page, server.url)
    wait_for_count(frame, "path.bm-f", len(View().select(geodata)))
    container = frame.locator(".leaflet-container")
    # probes: a remount would lose the window flag, a rebuild of the data layers the path tag
    container.evaluate("""el => { window.__bmProbe = 'mounted';
        document.querySelector('path.bm-id-al-hol-camp').dataset.probe = 'kept'; }""")
    runs = runs_done(page)
    container.evaluate("el => window.map.setView([36.0, 40.0], 8)")
    assert wait_until(lambda: _query(page).get("c") == "36.0000,40.0000"), page.url
    wait_runs(page, runs)  # the pan's rerun has ended: the page says so
    assert frame.locator("path.bm-id-al-hol-camp[data-probe=kept]").count() == 1
    runs = runs_done(page)
    layer_checkbox(page, "Oil pipelines").click()
    assert wait_for_count(frame, "path.bm-layer-energy", 0) == 0
    wait_runs(page, runs)  # the toggle's rerun has ended; a remount would have happened in it
    lat, lon, zoom = map_view(frame)
    assert (round(lat, 3), round(lon, 3), zoom) == (36.0, 40.0, 8)
    assert container.evaluate("el => window.__bmProbe") == "mounted"  # never remounted
    assert _query(page).get("c") == "36.0000,40.0000"
    assert _query(page).get("layers")


def test_search_flies_to_an_arabic_name(server, browsing, geodata):
    page = browsing.page
    frame = open_map(page, server.url)
    wait_for_count(frame, "path.bm-f", len(View().select(geodata)))
    page.get_by_placeholder("English or Arabic name or alias").fill("الهول")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="al-Hol camp").click()
    camp = geodata.feature("al-hol-camp").geometry
    assert wait_until(
        lambda: (lambda v: abs(v[0] - camp.y) < 0.3 and abs(v[1] - camp.x) < 0.3 and v[2] >= 8)(
            map_view(frame)
        )
    ), map_view(frame)


def test_measuring_bukamal_to_al_hol(server, browsing, geodata):
    page = browsing.page
    frame = open_map(page, server.url)
    wait_for_count(frame, "path.bm-f", len(View().select(geodata)))
    frame.locator(".bm-measure-button").click()
    frame.locator("path.bm-id-albu-kamal-iran-presence").click()
    frame.locator("path.bm-id-al-hol-camp").click()
    result = frame.locator(".bm-measure-result")
    result.wait_for(timeout=10_000)
    km = float(result.inner_text().split()[0])
    assert 205 <= km <= 225  # geodesic Albu Kamal to al-Hol is about 216 km
    assert frame.locator(".leaflet-popup").count() == 0  # measuring, not opening popups


def test_nothing_matches_says_so(server, browsing):
    page = browsing.page
    open_map(page, f"{server.url}/?actors=arab-league&from=2003&to=2010")
    assert page.get_by_text("Nothing matches these filters").is_visible()


def test_two_sessions_do_not_affect_each_other(server, browser, geodata):
    a_ctx = browser.new_context(viewport={"width": 1600, "height": 1000})
    b_ctx = browser.new_context(viewport={"width": 1600, "height": 1000})
    try:
        a, b = a_ctx.new_page(), b_ctx.new_page()
        fa = open_map(a, f"{server.url}/?actors=isis")
        fb = open_map(b, f"{server.url}/?lang=ar")
        isis = {f.id for f in View(actors=frozenset({"isis"})).select(geodata)}
        everything = {f.id for f in View().select(geodata)}
        assert wait_for_count(fa, "path.bm-f", len(isis)) == len(isis)
        assert wait_for_count(fb, "path.bm-f", len(everything)) == len(everything)
        layer_checkbox(a, "Oil pipelines").click()  # a changes its layers
        layer_checkbox(b, "الأماكن والمحافظات").click()  # b reruns too
        context_ids = {f.id for f in geodata.in_layer("context")}
        assert wait_for_count(fb, "path.bm-f", len(everything - context_ids)) == len(
            everything - context_ids
        )
        assert _ids_drawn(fb) == everything - context_ids  # b kept its own filters
        assert b.locator(".stApp").evaluate("el => getComputedStyle(el).direction") == "rtl"
        assert _ids_drawn(fa) == isis  # a kept isis-only; no Arabic leaked into it
        assert a.locator(".stApp").evaluate("el => getComputedStyle(el).direction") == "ltr"
        assert "actors" not in _query(b) and _query(a).get("actors") == "isis"
    finally:
        a_ctx.close()
        b_ctx.close()


def test_cli_export_writes_what_the_app_draws(server, browsing, geodata, tmp_path):
    """The same filters in a link and on the command line select the same features."""
    import json

    from layers.cli import main

    frame = open_map(browsing.page, f"{server.url}/?actors=iran,isis&from=2013&to=2024-06-30")
    out = tmp_path / "view.geojson"
    assert (
        main(
            [
                "export",
                "--format",
                "geojson",
                "--out",
                str(out),
                "--actors",
                "iran,isis",
                "--from",
                "2013",
                "--to",
                "2024-06-30",
            ]
        )
        == 0
    )
    exported = {f["properties"]["id"] for f in json.loads(out.read_text())["features"]}
    assert exported
    assert wait_for_count(frame, "path.bm-f", len(exported)) == len(exported)
    assert _ids_drawn(frame) == exported


def test_inview_link_keeps_the_senders_box_until_the_map_is_moved(server, browser, geodata):
    """The receiver's window is another size: its first map report must not replace the box
    the link was made with; a pan by hand does."""
    box = (40.5, 34.0, 41.6, 36.9)  # the middle Euphrates, narrower than any window
    link = f"{server.url}/?inview={','.join(map(str, box))}"
    expected = {f.id for f in View(bbox=box).select(geodata)}
    context = browser.new_context(viewport={"width": 1100, "height": 1300})
    page = context.new_page()
    watch_runs(page)
    try:
        frame = open_map(page, link)
        assert wait_for_count(frame, "path.bm-f", len(expected)) == len(expected)
        wait_runs(page, 0, more=2)  # the first run and the run of the map's first report
        assert _query(page).get("inview") == "40.5000,34.0000,41.6000,36.9000", page.url
        assert _ids_drawn(frame) == expected
        assert page.get_by_role("checkbox", name="Only what is in the map view").is_checked()
        frame.locator(".leaflet-container").evaluate("el => window.map.setView([33.0, 44.4], 7)")
        assert wait_until(lambda: _query(page).get("inview", "").startswith("4")), page.url
        assert wait_until(lambda: not _query(page)["inview"].startswith("40.5000,34.0000"))
    finally:
        context.close()


def test_a_corrected_upload_with_the_same_name_and_size_is_taken_at_once(
    server, browsing, tmp_path
):
    text = (GEODATA / "walkthroughs" / "iraq-syria-2025.yaml").read_text(encoding="utf-8")
    broken = text.replace("id: iraq-syria-2025", "id: IRAQ-syria-2025", 1)
    assert len(broken.encode()) == len(text.encode()) and broken != text
    path = tmp_path / "mine.yaml"
    page = browsing.page
    open_map(page, server.url)
    page.get_by_text("Author a walkthrough").click()
    path.write_text(broken, encoding="utf-8")
    upload(page, path)
    error = page.locator('[data-testid="stAlertContentError"]')
    error.first.wait_for(timeout=20_000)
    assert "field 'id'" in error.first.inner_text().replace("\u200b", "")
    path.write_text(text, encoding="utf-8")  # the same name and size, now valid
    upload(page, path)
    # shown in the run the upload caused: no other click or rerun is needed
    page.locator('[class*="st-key-draft-edit-"]').first.wait_for(timeout=20_000)
    assert error.count() == 0
