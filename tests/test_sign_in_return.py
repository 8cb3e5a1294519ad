"""Coming back to the link one signed in from (layers.routes.ReturnAfterSignIn, around
Streamlit's own /auth/login and /oauth2callback, stood in for here by two tiny routes): the
page's query is kept in a cookie of this address and Streamlit's redirect to `/` goes to it;
nothing but a query of plain pairs survives, and never another host."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.routing import Route

from layers.routes import RETURN_COOKIE, ReturnAfterSignIn
from tests.test_serve_routes import _get

HOST = "briefmap.lan"


@pytest.fixture
def app():
    async def login(_request):  # Streamlit's: off to the provider
        return RedirectResponse("http://provider.lan/authorize?x=1", status_code=302)

    async def callback(_request):  # Streamlit's: back to the app's front page
        return RedirectResponse("/", status_code=302)

    async def page(_request):
        return PlainTextResponse("page")

    return Starlette(
        routes=[
            Route("/auth/login", login),
            Route("/oauth2callback", callback),
            Route("/", page),
        ],  # fmt: skip
        middleware=[Middleware(ReturnAfterSignIn)],
    )


def _login(app, referer: str) -> str:
    status, headers, _ = _get(app, "/auth/login?provider=t", {"Host": HOST, "Referer": referer})
    assert status == 302 and headers["location"].startswith("http://provider.lan/")
    return headers.get("set-cookie", "")


def _back(app, cookie: str) -> tuple[str, str]:
    status, headers, _ = _get(app, "/oauth2callback?code=c&state=s", {"Host": HOST,
                                                                     "Cookie": cookie})  # fmt: skip
    assert status == 302
    return headers["location"], headers.get("set-cookie", "")


def test_a_person_comes_back_to_the_link_they_signed_in_from(app):
    link = "walkthrough=iraq-syria-2025&scene=2&mode=presenter&lang=ar"
    set_cookie = _login(app, f"http://{HOST}/?{link}")
    assert set_cookie.startswith(f"{RETURN_COOKIE}=") and "HttpOnly" in set_cookie
    assert "Max-Age=600" in set_cookie and "SameSite=Lax" in set_cookie
    location, cleared = _back(app, set_cookie.split(";")[0])
    assert location == f"/?{link}"
    assert cleared.startswith(f"{RETURN_COOKIE}=;") and "Max-Age=0" in cleared


def test_without_a_kept_link_streamlit_s_redirect_is_left_alone(app):
    assert _login(app, f"http://{HOST}/") == ""  # the front page: nothing to keep
    assert _back(app, "")[0] == "/"
    assert _back(app, "other=1")[0] == "/"


@pytest.mark.parametrize(
    "referer",
    [
        "http://elsewhere.lan/?walkthrough=x",  # another site's page
        f"http://{HOST}/other/path?walkthrough=x",  # not the app's page
        f"http://{HOST}/?" + "a=" + "x" * 3000,  # larger than any link of ours
        f"http://{HOST}/?" + "&".join(f"k{i}=v" for i in range(50)),
        "not a url",
        "",
    ],
)
def test_only_a_bounded_query_of_this_app_s_own_page_is_kept(app, referer):
    assert _login(app, referer) == ""


@pytest.mark.parametrize(
    "value",
    [
        "//evil.lan",  # no pairs: nothing kept
        "https://evil.lan/",
        quote("a=1\r\nLocation: http://evil.lan", safe=""),
        quote("x" * 3000, safe=""),
    ],
)
def test_a_forged_cookie_never_sends_anyone_off_this_address(app, value):
    location, _ = _back(app, f"{RETURN_COOKIE}={value}")
    assert location.startswith("/") and not location.startswith("//")
    assert "\r" not in location and "\n" not in location and "evil.lan/" not in location
