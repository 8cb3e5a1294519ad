"""briefmap's own web route (layers/routes.py), called as the server calls it (ASGI, with the raw
path a client sent): assets only by their exact name in the allow-list (a `..`, an encoded
slash or dot, `//`, a backslash or an absolute path is refused before any lookup); the basemap
with HTTP Range requests (206 and Content-Range, 416 past the end, several ranges as
multipart/byteranges); report paragraphs only with a key granted to a live session."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote

import anyio
import pytest
from starlette.applications import Starlette

from layers.briefing import BriefingRoom, new_secret
from layers.publisher import KEY_HEADER, Publisher
from layers.render.assets import BUNDLE_TARGET, STATIC_URL, bundle_bytes, served_assets
from layers.render.basemap import shipped_archive
from layers.reports.library import Library
from layers.routes import BRIEFING_HEADER, BRIEFING_URL, routes
from layers.team.database import DatabaseUnreachable
from tests.archive_builders import good_pmtiles

REPORT = "000_0f03b8209ef71bac.txt"


def _get(app, raw: str, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    """GET `raw` (sent as is) through the ASGI app: status, headers (lower-case), body."""
    path, _, query = raw.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 5000),
        "root_path": "",
        "path": unquote(path),
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
    }
    sent: list[dict] = []
    asked: list[bool] = []

    async def receive():  # the request once; then the client waits (no disconnect)
        if asked:
            await anyio.sleep_forever()
        asked.append(True)
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    # in a thread of its own: a browser test's Playwright may hold this thread's event loop
    with ThreadPoolExecutor(1) as pool:
        pool.submit(anyio.run, app, scope, receive, send).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body


@pytest.fixture
def served(tmp_path):
    archive = good_pmtiles(tmp_path / "user.pmtiles")
    live = {"one"}
    publisher = Publisher(archive, None, cache=tmp_path / "cache", alive=live.__contains__)
    return Starlette(routes=routes(publisher)), publisher, archive, live


def test_every_asset_is_served_by_its_name_with_its_own_bytes(served):
    app, *_ = served
    for name, asset in served_assets().items():
        status, headers, body = _get(app, f"{STATIC_URL}/{name}?v=1")
        assert status == 200 and body == asset.source.read_bytes(), name
        assert "immutable" in headers["cache-control"]
    status, headers, body = _get(app, f"{STATIC_URL}/{BUNDLE_TARGET}")
    assert (status, body) == (200, bundle_bytes())
    assert headers["content-type"].startswith("text/javascript")
    assert headers["cache-control"] == "no-cache"  # not versioned: the browser asks again


@pytest.mark.parametrize(
    "raw",
    [
        "/briefmap/static/../pyproject.toml",
        "/briefmap/static/vendor/../../layers/serve.py",
        "/briefmap/static/vendor/leaflet/../leaflet/leaflet.js",  # in the list once resolved
        "/briefmap/static/./briefmap/briefmap.js",
        "/briefmap/static/vendor%2Fleaflet%2Fleaflet.js",  # decodes to a listed name
        "/briefmap/static/vendor%2fleaflet/leaflet.js",
        "/briefmap/static/%2e%2e/pyproject.toml",
        "/briefmap/static/vendor\\leaflet\\leaflet.js",
        "/briefmap/static//etc/passwd",
        "/briefmap/static//work/wt-labels/pyproject.toml",
        "/briefmap/static/briefmap.js",  # a real file, but not a listed name
        "/briefmap/static/fonts",
        "/briefmap/static/layers/assets/briefmap.js",
        "/briefmap/basemap/../user.pmtiles",
        "/briefmap/basemap/user.pmtiles",  # the file's own name is not the served name
    ],
)
def test_a_name_outside_the_allow_list_is_not_found(served, raw):
    app, *_ = served
    status, _headers, body = _get(app, raw)
    assert status == 404, (raw, status, body[:80])


def _basemap_url(publisher: Publisher) -> str:
    spec, _path = publisher.basemap()
    assert spec["url"].startswith("/briefmap/basemap/")
    return spec["url"]


def test_the_basemap_is_served_where_it_is_with_range_requests(served, tmp_path):
    app, publisher, archive, _live = served
    url, raw = _basemap_url(publisher), archive.read_bytes()
    assert publisher.basemap()[1] == archive and not (tmp_path / "cache").exists()  # no copy
    status, headers, body = _get(app, url, {"Range": "bytes=0-126"})
    assert (status, body) == (206, raw[:127])
    assert headers["content-range"] == f"bytes 0-126/{len(raw)}"
    status, headers, body = _get(app, url, {"Range": "bytes=-10"})  # the last ten bytes
    assert (status, body) == (206, raw[-10:])
    status, _headers, body = _get(app, url)
    assert (status, body) == (200, raw)


def test_a_range_past_the_end_is_416_and_a_bad_one_400(served):
    app, publisher, archive, _live = served
    size = archive.stat().st_size
    status, headers, _body = _get(app, _basemap_url(publisher), {"Range": f"bytes={size}-"})
    assert status == 416 and headers["content-range"] == f"bytes */{size}"
    status, _headers, _body = _get(app, _basemap_url(publisher), {"Range": "bytes=9-2"})
    assert status == 400
    status, _headers, _body = _get(app, _basemap_url(publisher), {"Range": "lines=0-1"})
    assert status == 400


def test_several_ranges_come_as_one_multipart_answer(served):
    app, publisher, archive, _live = served
    raw = archive.read_bytes()
    status, headers, body = _get(app, _basemap_url(publisher), {"Range": "bytes=0-9,100-119"})
    assert status == 206 and headers["content-type"].startswith("multipart/byteranges")
    size = len(raw)
    assert f"Content-Range: bytes 0-9/{size}".encode() in body
    assert f"Content-Range: bytes 100-119/{size}".encode() in body
    assert raw[:10] in body and raw[100:120] in body


def test_ours_is_served_when_no_archive_is_given(tmp_path):
    publisher = Publisher(None, None, cache=tmp_path / "cache")
    app = Starlette(routes=routes(publisher))
    status, _headers, body = _get(app, _basemap_url(publisher), {"Range": "bytes=0-99"})
    assert (status, body) == (206, shipped_archive().read_bytes()[:100])


def _publish(publisher: Publisher) -> str:
    library = publisher.publish_reports(Library(Path("r"), {REPORT: ("one", "نص ثانٍ")}))
    return library.urls[REPORT]


def test_report_paragraphs_only_to_a_granted_live_session(served):
    app, publisher, _archive, live = served
    url = _publish(publisher)
    assert _get(app, url)[0] == 403  # no key
    assert _get(app, url, {KEY_HEADER: "made-up"})[0] == 403
    key = publisher.grant("one")
    status, headers, body = _get(app, url, {KEY_HEADER: key})
    assert status == 200 and json.loads(body) == {"1": "one", "2": "نص ثانٍ"}
    assert "no-store" in headers["cache-control"]
    assert _get(app, url.replace(".json", "0.json"), {KEY_HEADER: key})[0] == 404
    assert _get(app, url + "?key=" + key)[0] == 403  # only the header counts
    live.discard("one")  # the session ended: its key is no longer honoured
    assert _get(app, url, {KEY_HEADER: key})[0] == 403


def test_keys_of_ended_sessions_are_dropped_when_a_key_is_granted(served):
    _app, publisher, _archive, live = served
    old = publisher.grant("one")
    live.clear()
    live.add("two")
    new = publisher.grant("two")
    assert old != new and len(new) >= 32
    assert not publisher.granted(old) and publisher.granted(new)
    assert publisher._keys == {new: "two"}


def _briefing_app(geodata, store):
    publisher = Publisher(shipped_archive(), None, cache=None, alive=lambda _s: False)
    return Starlette(routes=routes(publisher, lambda: store))


@pytest.mark.parametrize(
    "key", [None, "", "short", "x" * 65, "../../etc/passwd-aaaaaaaaaaaa", "é" * 30, "a b" * 9]
)
def test_a_briefing_version_needs_a_plausible_key_in_the_header(geodata, key):
    """The class of what a visitor may send: no header, a malformed key, a key in the query
    (never read: keys stay out of access logs) all get 404 and no lookup."""
    asked = []

    class Store(BriefingRoom):
        def version(self, k):
            asked.append(k)
            return super().version(k)

    store = Store()
    real = store.create(geodata.walkthroughs["iraq-syria-2025"])
    app = _briefing_app(geodata, store)
    headers = {} if key is None else {BRIEFING_HEADER: key}
    status, head, body = _get(app, BRIEFING_URL, headers)
    assert (status, json.loads(body)) == (404, {"version": None})
    assert head["cache-control"] == "no-store" and asked == []
    status, _h, _b = _get(app, f"{BRIEFING_URL}?briefing={real.audience_key}")
    assert status == 404 and asked == []


def test_a_briefing_version_follows_moves_and_ends(geodata):
    store = BriefingRoom()
    b = store.create(geodata.walkthroughs["iraq-syria-2025"])
    app = _briefing_app(geodata, store)

    def ask(key):
        status, _h, body = _get(app, BRIEFING_URL, {BRIEFING_HEADER: key})
        return status, json.loads(body)["version"]

    assert ask(b.audience_key) == (200, 1) == ask(b.presenter_key)
    store.act(b.presenter_key, "next")
    store.act(b.presenter_key, "next")
    assert ask(b.audience_key) == (200, 3)
    store.end(b.channel)
    assert ask(b.audience_key) == (404, None)


def test_a_briefing_version_says_when_the_store_is_away(geodata):
    class Away(BriefingRoom):
        def version(self, key):
            raise DatabaseUnreachable("the team's database does not answer")

    app = _briefing_app(geodata, Away())
    status, _h, body = _get(app, BRIEFING_URL, {BRIEFING_HEADER: new_secret()})
    assert (status, json.loads(body)) == (503, {"version": None})
