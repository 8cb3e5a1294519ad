"""Browser-test fixtures on top of the harness. The browser tests are required: without
chromium they fail with the reason, never skip."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.ui.harness import Guard, Server, chromium_path, describe_pages, launch, run_server

pytestmark = pytest.mark.browser


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test shows what its pages showed and the end of the server's log."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    browser = item.funcargs.get("browser")
    if browser is not None:
        pages = [page for context in browser.contexts for page in context.pages]
        if pages:
            report.sections.append(("pages at the failure", describe_pages(pages)))
    server = item.funcargs.get("server")
    if server is not None and server.log.exists():
        tail = server.log.read_text(errors="replace").splitlines()[-40:]
        report.sections.append(("end of the server log", "\n".join(tail)))


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
