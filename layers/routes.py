"""briefmap's own web routes, beside Streamlit's (`dashboard/serve_app.py` mounts them):

- `/briefmap/static/<name>`: an asset by its exact name in the allow-list;
- `/briefmap/basemap/<name>.pmtiles`: the basemap archive, with HTTP Range requests (206,
  Content-Range; a range past the end 416; several ranges as multipart/byteranges), which is
  how PMTiles readers fetch tiles;
- `/briefmap/reports/<digest>.json`: a report's paragraphs, only with a key the page was
  granted (the `X-Briefmap-Key` header): 403 without it;
- `/briefmap/briefing/version`: the version of the briefing whose key (either) is in the
  `X-Briefmap-Briefing` header, as `{"version": n}`; 404 for no such briefing. A projector
  window asks it a few times a second and reruns only when it changed: an answer costs one
  lookup, never a run of the page. The key travels in a header, out of the access logs.

A name is looked up, never joined onto a folder; a request whose raw path holds anything but
plain letters, digits, `.`, `_`, `-` and single `/` (an encoded slash or dot, `..`, `//`, a
backslash) is answered 404 before any lookup.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from layers.briefing import BriefingStore, plausible_key
from layers.errors import StorageError
from layers.publisher import KEY_HEADER, REPORTS_URL, Publisher
from layers.render.assets import STATIC_URL
from layers.render.basemap import BASEMAP_URL

_PLAIN = re.compile(rb"/[A-Za-z0-9_.\-]+(/[A-Za-z0-9_.\-]+)*")
FOREVER = "public, max-age=31536000, immutable"  # for a URL that names its content (?v=, digest)
BRIEFING_URL = "/briefmap/briefing/version"
BRIEFING_HEADER = "X-Briefmap-Briefing"
_NO_STORE = {"Cache-Control": "no-store"}
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


def _plain(request: Request) -> bool:
    raw = request.scope.get("raw_path") or request.url.path.encode()
    return bool(_PLAIN.fullmatch(raw)) and b"/../" not in raw + b"/" and b"/./" not in raw + b"/"


def _not_found() -> Response:
    return PlainTextResponse("not found", status_code=404)


def routes(
    publisher: Publisher, briefings: Callable[[], BriefingStore] | None = None
) -> list[Route]:
    async def asset(request: Request) -> Response:
        found = publisher.asset(request.path_params["name"]) if _plain(request) else None
        if found is None:
            return _not_found()
        # a versioned URL (?v=digest) is kept; a bare one (the theme's fonts) is checked again
        headers = {"Cache-Control": FOREVER if "v" in request.query_params else "no-cache"}
        if isinstance(found, bytes):  # the bundle, built in memory
            return Response(found, media_type=_TYPES[".js"], headers=headers)
        kind = _TYPES.get(found.source.suffix)
        return FileResponse(found.source, media_type=kind, headers=headers)

    async def basemap(request: Request) -> Response:
        path = publisher.basemap_file(request.path_params["name"]) if _plain(request) else None
        if path is None:
            return _not_found()
        headers = {"Cache-Control": FOREVER}
        return FileResponse(path, media_type="application/vnd.pmtiles", headers=headers)

    async def report(request: Request) -> Response:
        if not _plain(request):
            return _not_found()
        key = request.headers.get(KEY_HEADER)
        if not publisher.granted(key):
            return PlainTextResponse("forbidden", status_code=403)
        data = publisher.paragraphs(key, request.path_params["name"])
        if data is None:
            return _not_found()
        headers = {"Cache-Control": "private, no-store"}
        return Response(data, media_type="application/json; charset=utf-8", headers=headers)

    async def briefing_version(request: Request) -> Response:
        key = request.headers.get(BRIEFING_HEADER)
        if briefings is None or not plausible_key(key):  # checked before any lookup
            return JSONResponse({"version": None}, status_code=404, headers=_NO_STORE)
        try:  # a database read blocks: never on the event loop every session shares
            version = await run_in_threadpool(briefings().version, key)
        except StorageError:  # the team's database is away: the window keeps its scene
            return JSONResponse({"version": None}, status_code=503, headers=_NO_STORE)
        status = 404 if version is None else 200
        return JSONResponse({"version": version}, status_code=status, headers=_NO_STORE)

    return [
        Route(f"{STATIC_URL}/{{name:path}}", asset, methods=["GET"]),
        Route(f"{BASEMAP_URL}/{{name}}", basemap, methods=["GET"]),
        Route(f"{REPORTS_URL}/{{name}}", report, methods=["GET"]),
        Route(BRIEFING_URL, briefing_version, methods=["GET"]),
    ]


CLOSED = ("/_stcore/metrics",)  # Streamlit's: walks every session's state; nobody needs it


class CloseStreamlitEndpoints:
    """ASGI middleware answering 404 to Streamlit's own endpoints briefmap does not use
    (`CLOSED`, with or without a trailing slash), before Streamlit sees the request.
    `/_stcore/host-config` stays: the page reads it to start, and it holds no data."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope.get("path", "").rstrip("/") in CLOSED:
            await _not_found()(scope, receive, send)
            return
        await self.app(scope, receive, send)


RETURN_COOKIE = "briefmap_return"
LOGIN_PATH, CALLBACK_PATH = "/auth/login", "/oauth2callback"  # Streamlit's st.login routes
MAX_RETURN = 2000


class ReturnAfterSignIn:
    """ASGI middleware: a person who signs in from a link (a presenter's, a shared view) comes
    back to that link, not to the app's front page, where Streamlit's sign-in always lands.

    When the browser leaves for the provider (`/auth/login`, asked by the sign-in button of a
    page of this same address, its `Referer`), the page's query goes into a short-lived
    cookie of this address; when the provider sends the browser back (`/oauth2callback`) and
    Streamlit answers with its redirect to `/`, the redirect goes to `/?<that query>` instead
    and the cookie is cleared. Only a query is kept (never a path, host or scheme: the
    redirect stays on this address), bounded in size."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("path") not in (LOGIN_PATH, CALLBACK_PATH):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if scope["path"] == LOGIN_PATH:
            query = _query_of_referer(headers)
            extra = [_cookie(quote(query, safe=""), 600)] if query else []
            await self.app(scope, receive, _with_headers(send, extra))
            return
        query = _returning(headers.get("cookie", ""))
        await self.app(scope, receive, _with_headers(send, [_cookie("", 0)], query))


def _query_of_referer(headers: dict[str, str]) -> str:
    referer = urlsplit(headers.get("referer", ""))
    if not referer.query or referer.netloc != headers.get("host", "") or referer.path != "/":
        return ""
    return _clean(referer.query)


def _clean(query: str) -> str:
    """The query re-encoded from its pairs (nothing else survives), or "" if too large."""
    pairs = parse_qsl(query, keep_blank_values=False)
    if len(query) > MAX_RETURN or len(pairs) > 40:
        return ""
    return urlencode([(k, v) for k, v in pairs if k.isascii() and k.replace("_", "").isalnum()])


def _returning(cookie_header: str) -> str:
    for part in cookie_header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == RETURN_COOKIE and value:
            return _clean(unquote(value))
    return ""


def _cookie(value: str, max_age: int) -> tuple[bytes, bytes]:
    text = f"{RETURN_COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax"
    return b"set-cookie", text.encode("latin-1")


def _with_headers(send, extra: list[tuple[bytes, bytes]], query: str = ""):
    """`send` that adds `extra` headers to the response and, given a query, sends Streamlit's
    redirect to `/` on to `/?query`."""

    async def wrapped(message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            if query and message.get("status") in (302, 303, 307):
                headers = [
                    (k, f"/?{query}".encode("latin-1"))
                    if k.lower() == b"location" and v == b"/"
                    else (k, v)
                    for k, v in headers
                ]
            message = {**message, "headers": headers + extra}
        await send(message)

    return wrapped


UPLOAD_PREFIX = "/_stcore/upload_file/"


class GuardUploads:
    """ASGI middleware: Streamlit takes a file (up to its upload limit, held in memory) for any
    live session that asks, whether or not its page offers a file box. Here only a session the
    app has marked as one that may upload (`may_upload(session_id)`: a person who may import
    or author) gets past; anyone else is answered 403 before a byte is read."""

    def __init__(self, app, may_upload) -> None:
        self.app = app
        self.may_upload = may_upload

    async def __call__(self, scope, receive, send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path.startswith(UPLOAD_PREFIX) and scope.get("method") != "OPTIONS":
            session = path[len(UPLOAD_PREFIX) :].split("/", 1)[0]
            if not self.may_upload(session):
                response = PlainTextResponse("uploads are not open to you", status_code=403)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
