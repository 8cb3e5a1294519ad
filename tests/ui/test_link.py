"""The link to this view: it carries the highlight, and its copy button shows without hovering
over the box (the help line under it points at the button)."""

from __future__ import annotations

import pytest

from tests.ui.harness import open_map, wait_until

pytestmark = pytest.mark.browser
CROSSING = "albu-kamal-qaim-crossing"
# how visible the copy button is: hidden if it or an ancestor is hidden or fully transparent
_SHOWN = """box => {
  let n = box.querySelector('button[aria-label="Copy to clipboard"]');
  if (!n) { return "no button"; }
  for (; n && n !== box.parentElement; n = n.parentElement) {
    const s = getComputedStyle(n);
    if (s.visibility !== "visible" || s.display === "none" || Number(s.opacity) === 0) {
      return "hidden";
    }
  }
  return "shown";
}"""


@pytest.mark.parametrize("lang, name", [("en", "Link to this view"), ("ar", "رابط هذا العرض")])
def test_the_link_keeps_the_highlight_and_shows_its_copy_button(server, browsing, lang, name):
    page = browsing.page
    open_map(page, f"{server.url}/?hl={CROSSING}&lang={lang}")
    page.get_by_role("button", name=name).click()
    box = page.locator('[data-testid="stCode"]').first
    box.wait_for(timeout=20_000)
    assert f"hl={CROSSING}" in box.inner_text()
    page.mouse.move(800, 500)  # over the map, away from the box
    assert wait_until(lambda: box.evaluate(_SHOWN) == "shown", timeout=5), box.evaluate(_SHOWN)
