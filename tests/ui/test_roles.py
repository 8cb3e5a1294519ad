"""briefmap served with sign-in (`briefmap serve --sign-in FILE`, Streamlit's st.login against
briefmap's own LemonLDAP::NG provider): what each role sees and may do, and what a visitor who
has not signed in gets (issue 20's probe, as tests).

- a visitor with no sign-in: the sign-in button, nothing else (no map, no controls, no
  briefing from a presenter's link);
- a viewer: the map, filters and exports, but no import, no authoring, no presenting, no
  speaker notes and no report paragraphs (the map holds no key to them);
- an analyst: import and authoring; a presenter: starts a briefing, sees the notes; the
  audience's link opens with no sign-in at all.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

from layers.events.words import w
from layers.i18n import t
from layers.team.oidc import Provider, check_installed
from tests.ui.harness import (
    MAP_FRAME,
    WAIT_MS,
    Guard,
    audience_link,
    free_port,
    open_map,
    run_server,
)

pytestmark = pytest.mark.browser
WALK = "iraq-syria-2025"


@pytest.fixture(scope="module")
def signed(tmp_path_factory):
    """(provider, server): briefmap with sign-in at the provider, which knows its callback."""
    try:
        check_installed()
    except Exception as exc:  # noqa: BLE001 - a required test: fail naming what to install
        pytest.fail(str(exc))
    top = Path(tempfile.mkdtemp(dir="/tmp", prefix="briefmap-test-roles-"))
    top.chmod(0o711)  # the portal runs as nobody when the tests run as root
    port = free_port()
    callback = f"http://127.0.0.1:{port}/oauth2callback"
    try:
        with Provider(top / "oidc", free_port(), [callback]) as provider:
            sign_in = top / "sign-in.toml"
            sign_in.write_text(provider.streamlit_secrets(callback, secrets.token_urlsafe(32)))
            cwd = tmp_path_factory.mktemp("roles")
            with run_server(cwd, "--sign-in", str(sign_in), port=port) as server:
                yield provider, server
    finally:
        shutil.rmtree(top, ignore_errors=True)


@pytest.fixture
def fresh(browser):
    """A new browser profile per person, with the network guard."""
    contexts, guard = [], Guard()

    def make():
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        context.route("**/*", guard)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    assert guard.offenders == []


def sign_in(page, server, provider, login: str, path: str = "/"):
    """Sign in from the page at `path`, through the portal's form."""
    user = provider.users[login]
    page.goto(server.url + path)
    page.locator(".st-key-bm-sign-in button").click(timeout=WAIT_MS)
    page.locator("#userfield").fill(user.login, timeout=WAIT_MS)
    page.locator("#passwordfield").fill(user.password)
    page.locator("#lform button[type=submit]").click()
    if path == "/":
        page.get_by_text(f"Signed in as {login}").wait_for(timeout=WAIT_MS)
    else:
        page.wait_for_url(server.url + path, timeout=WAIT_MS)


def _wait_map(page):
    frame = page.frame_locator(MAP_FRAME)
    frame.locator('.leaflet-container[data-basemap="ready"]').wait_for(timeout=WAIT_MS)
    page.locator(".st-key-bm-controls-pending").wait_for(state="detached", timeout=WAIT_MS)
    return frame


def test_a_visitor_who_has_not_signed_in_gets_the_sign_in_button_only(signed, fresh):
    _provider, server = signed
    page = fresh()
    for path in ("/", f"/?walkthrough={WALK}&scene=1&mode=presenter", "/?lang=ar"):
        page.goto(server.url + path)
        page.locator(".st-key-bm-sign-in button").wait_for(timeout=WAIT_MS)
        page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=WAIT_MS)
        assert page.locator(MAP_FRAME).count() == 0
        assert page.locator(".st-key-bm-start-presenting").count() == 0
        assert page.locator('[data-testid="stSidebar"]').get_by_text(t("layers", "en")).count() == 0
    assert "تسجيل الدخول" in page.locator(".st-key-bm-sign-in").inner_text()


def test_a_viewer_sees_the_map_but_cannot_import_author_present_or_read(signed, fresh):
    provider, server = signed
    page = fresh()
    sign_in(page, server, provider, "viewer1")
    frame = _wait_map(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_text(w("import", "en")).count() == 0
    assert sidebar.get_by_text(t("author", "en")).count() == 0
    assert page.locator(".st-key-present").count() == 0
    assert page.locator(".st-key-pack-build").count() == 0  # a pack holds the speaker notes
    sidebar.get_by_text(t("layers", "en"), exact=True).wait_for(timeout=WAIT_MS)  # these: yes
    # the map was given no key to the report paragraphs
    assert frame.locator("body").evaluate("() => window.briefmap.reportsKey") is None
    # a presenter's link: no start button, and it says why
    page.goto(f"{server.url}/?walkthrough={WALK}&scene=2&mode=presenter")
    page.get_by_text(t("needs_presenter", "en")).wait_for(timeout=WAIT_MS)
    assert page.locator(".st-key-bm-start-presenting").count() == 0
    assert page.get_by_text("Speaker notes").count() == 0
    page.locator(".st-key-bm-to-map button").click()  # not a dead end: back to the map
    _wait_map(page)


def test_an_analyst_may_import_but_not_present(signed, fresh):
    provider, server = signed
    page = fresh()
    sign_in(page, server, provider, "analyst1")
    frame = _wait_map(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text(w("import", "en")).wait_for(timeout=WAIT_MS)
    sidebar.get_by_text(t("author", "en")).wait_for(timeout=WAIT_MS)
    page.locator(".st-key-pack-build").wait_for(timeout=WAIT_MS)
    assert page.locator(".st-key-present").count() == 0
    assert frame.locator("body").evaluate("() => window.briefmap.reportsKey")
    # removing an import is an admin's act: no list of imports, no Remove button
    assert sidebar.get_by_text("Imports in the event store").count() == 0
    assert page.locator('[class*="st-key-bm-remove-import"]').count() == 0


def test_a_presenter_starts_a_briefing_and_the_audience_needs_no_sign_in(signed, fresh):
    provider, server = signed
    page = fresh()
    link = f"/?walkthrough={WALK}&scene=2&mode=presenter"
    sign_in(page, server, provider, "presenter1", link)
    assert page.url == server.url + link  # back on the link, not the front page
    page.locator(".st-key-bm-start-presenting button").click(timeout=WAIT_MS)
    page.wait_for_url("**briefing=**", timeout=WAIT_MS)
    page.get_by_text("Speaker notes").first.wait_for(timeout=WAIT_MS)
    link = audience_link(page)
    audience = fresh()  # another browser: never signed in
    open_map(audience, link)
    assert audience.locator("#bm-aud-title").inner_text().strip()
    assert audience.locator(".st-key-bm-sign-in").count() == 0


def test_serving_beyond_loopback_without_sign_in_says_so_on_every_page(tmp_path, fresh):
    with run_server(tmp_path, "--address", "0.0.0.0", "--no-sign-in") as server:  # noqa: S104
        page = fresh()
        open_map(page, server.url)
        page.get_by_text(t("open_without_sign_in", "en")).wait_for(timeout=WAIT_MS)
        page.goto(f"{server.url}/?walkthrough={WALK}&scene=1&mode=presenter&lang=ar")
        page.get_by_text(t("open_without_sign_in", "ar")).wait_for(timeout=WAIT_MS)
        page.locator(".st-key-bm-start-presenting").wait_for(timeout=WAIT_MS)


def test_a_session_that_may_not_upload_is_refused_before_a_byte_is_read(signed):
    """Streamlit takes a file for any live session that asks (the file box need not be on
    its page): a session of a visitor who has not signed in is refused by briefmap first."""
    _provider, server = signed
    stream = server.url.replace("http://", "ws://") + "/_stcore/stream"
    with connect(stream, subprotocols=["streamlit"], max_size=None, open_timeout=60) as ws:
        rerun = BackMsg()
        rerun.rerun_script.query_string = ""
        ws.send(rerun.SerializeToString())
        session = ""
        while not session:
            message = ForwardMsg()
            message.ParseFromString(ws.recv(timeout=120))
            if message.WhichOneof("type") == "new_session":
                session = message.new_session.initialize.session_id
        body = b"--b\r\nContent-Disposition: form-data; name=file; filename=a.csv\r\n\r\nx\r\n--b--"
        xsrf = _xsrf_token(server.url)  # what any visitor's browser is given with the page
        request = Request(
            f"{server.url}/_stcore/upload_file/{session}/f1",
            data=body,
            method="PUT",
            headers={
                "Content-Type": "multipart/form-data; boundary=b",
                "Cookie": f"_streamlit_xsrf={xsrf}",
                "X-Xsrftoken": xsrf,
            },
        )
        with pytest.raises(HTTPError) as refused:
            urlopen(request, timeout=30)  # noqa: S310 - loopback
        assert refused.value.code == 403
        assert refused.value.read() == b"uploads are not open to you"


def _xsrf_token(url: str) -> str:
    """The XSRF cookie Streamlit hands any visitor (with its health answer, as the page's
    first request gets it)."""
    with urlopen(url + "/_stcore/health", timeout=30) as answer:  # noqa: S310 - loopback
        cookies = answer.headers.get_all("Set-Cookie") or []
    for cookie in cookies:
        name, _, rest = cookie.partition("=")
        if name == "_streamlit_xsrf":
            return rest.split(";", 1)[0]
    raise AssertionError(f"no XSRF cookie in {cookies}")
