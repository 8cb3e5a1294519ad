"""The importer in the app: a file goes into the store with a progress bar and its counts; a
bad file lists its problems by line and column as text, and nothing is stored."""

from __future__ import annotations

import pytest

from layers.events.store import open_store
from tests.events.helpers import rows, snapshot, write
from tests.ui.harness import open_map, run_server, runs_done, wait_runs

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def upload_server(tmp_path_factory):
    store = tmp_path_factory.mktemp("upload-store")
    with run_server(tmp_path_factory.mktemp("cwd-upload"), "--store", str(store)) as s:
        yield s, store


def _upload(page, path) -> None:
    page.get_by_text("Import incidents (ACLED CSV or GeoJSON)").click()
    box = page.locator(".st-key-events-upload [data-testid='stFileUploaderDropzoneInput']")
    box.set_input_files(str(path))
    page.get_by_role("button", name="Import", exact=True).click()


def test_uploaded_file_is_imported_with_counts(upload_server, browsing, tmp_path):
    server, store = upload_server
    page = browsing.page
    open_map(page, server.url)
    data = rows(40, seed=21)
    runs = runs_done(page)
    _upload(page, write(tmp_path / "acled export.csv", data))
    page.get_by_text("acled export.csv: 40 new, 0 revised, 0 unchanged, 0 removed").wait_for(
        timeout=120_000
    )
    # the outcome stays after the map redraws with the new data (a rerun)
    page.get_by_text("rows/s", exact=False).first.wait_for(timeout=120_000)
    wait_runs(page, runs, more=2)  # the file's run and the import's run have ended, at rest
    assert page.get_by_text("acled export.csv: 40 new", exact=False).is_visible()
    info = open_store(store).describe()
    assert info.rows == 40
    assert info.imports[-1]["marking"] == "TLP:CLEAR"  # the form's default, ACLED's public data
    assert page.locator(".st-key-events-marking").is_visible()


def test_bad_upload_lists_problems_and_stores_nothing(upload_server, browsing, tmp_path):
    server, store = upload_server
    page = browsing.page
    open_map(page, server.url)
    before = snapshot(store)
    data = rows(5, seed=22)
    data[3]["latitude"] = "![x](http://e.invalid/p.png) <b>95</b>"
    _upload(page, write(tmp_path / "bad.csv", data))
    page.get_by_text("Nothing was imported: 1 problem in the file").wait_for(timeout=30_000)
    code = page.locator("[data-testid='stCode']").filter(has_text="bad.csv: line 5")
    assert "column 'latitude'" in code.inner_text()
    assert "![x](http://e.invalid/p.png) <b>95</b>" in code.inner_text()  # text, not markup
    assert snapshot(store) == before
