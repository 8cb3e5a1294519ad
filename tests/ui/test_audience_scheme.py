"""`briefmap serve --marking-scheme FILE`: the projector (audience) window, at 1920×1080, shows
the organisation's marking, in its colours, top and bottom."""

from __future__ import annotations

import pytest

from layers.paths import PROJECT_ROOT
from tests.ui.harness import Guard, audience_link, describe_pages, open_map, present, run_server

UK = PROJECT_ROOT / "docs" / "examples" / "markings" / "uk-gsc.toml"


@pytest.fixture(scope="module")
def uk_server(tmp_path_factory):
    with run_server(tmp_path_factory.mktemp("cwd"), "--marking-scheme", str(UK)) as server:
        yield server


def test_the_audience_banner_is_the_schemes(uk_server, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    guard = Guard()
    context.route("**/*", guard)
    pages = [context.new_page(), context.new_page()]
    try:
        pres, aud = pages
        present(pres, f"{uk_server.url}/?walkthrough=iraq-syria-2025&scene=1&lang=en")
        open_map(aud, audience_link(pres))
        for edge in ("top", "bottom"):
            banner = aud.get_by_test_id(f"bm-banner-{edge}")
            assert banner.inner_text().strip() == "OFFICIAL"  # TLP:CLEAR under this scheme
            colour = banner.evaluate("el => getComputedStyle(el).backgroundColor")
            assert colour == "rgb(29, 79, 145)"  # the scheme's #1d4f91
        aud.screenshot(path=tmp_path / "audience-uk.png")
    except BaseException:
        print(describe_pages(pages))
        raise
    finally:
        context.close()
    assert guard.offenders == [], f"requests left the machine: {guard.offenders}"
