"""briefmap's own web routes, beside Streamlit's (`dashboard/serve_app.py` mounts them):

- `/briefmap/static/<name>`: an asset by its exact name in the allow-list;
- `/briefmap/basemap/<name>.pmtiles`: the basemap archive, with HTTP Range requests (206,
  Content-Range; a range past the end 416; several ranges as multipart/byteranges), which is
  how PMTiles readers fetch tiles;
- `/briefmap/reports/<digest>.json`: a report's paragraphs, only with a key the page was
  granted (the `X-Briefmap-Key` header): 403 without it.

A name is looked up, never joined onto a folder; a request whose raw path holds anything but
plain letters, digits, `.`, `_`, `-` and single `/` (an encoded slash or dot, `..`, `//`, a
backslash) is answered 404 before any lookup.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from layers.publisher import KEY_HEADER, REPORTS_URL, Publisher
from layers.render.assets import STATIC_URL
from layers.render.basemap import BASEMAP_URL

_PLAIN = re.compile(rb"/[A-Za-z0-9_.\-]+(/[A-Za-z0-9_.\-]+)*")
FOREVER = "public, max-age=31536000, immutable"  # for a URL that names its content (?v=, digest)
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


def _plain(request: Request) -> bool:
    raw = request.scope.get("raw_path") or request.url.path.encode()
    return bool(_PLAIN.fullmatch(raw)) and b"/../" not in raw + b"/" and b"/./" not in raw + b"/"


def _not_found() -> Response:
    return PlainTextResponse("not found", status_code=404)


def routes(publisher: Publisher) -> list[Route]:
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

    return [
        Route(f"{STATIC_URL}/{{name:path}}", asset, methods=["GET"]),
        Route(f"{BASEMAP_URL}/{{name}}", basemap, methods=["GET"]),
        Route(f"{REPORTS_URL}/{{name}}", report, methods=["GET"]),
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
