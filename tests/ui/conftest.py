"""Browser-test fixtures on top of the harness. The browser tests are required: without
chromium they fail with the reason, never skip."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.ui.harness import Guard, Server, chromium_path, launch, run_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    with run_server(tmp_path_factory.mktemp("cwd")) as s:
        yield s


@pytest.fixture(scope="session")
def browser():
    try:
        chromium_path()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@dataclass
class Browsing:
    page: object
    guard: Guard
    dialogs: list[str]


@pytest.fixture
def browsing(browser) -> Iterator[Browsing]:
    """A fresh context (fresh profile state) with the network guard and a dialog trap."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    guard = Guard()
    context.route("**/*", guard)
    page = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield Browsing(page, guard, dialogs)
    context.close()
    assert guard.offenders == [], f"requests left the machine: {guard.offenders}"
