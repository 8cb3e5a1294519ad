"""What briefmap's own web route may send, held by the runtime of the serving process:

- the JS/CSS/font assets, by name from an allow-list (`layers.render.assets.served_assets`),
  read from where they are installed, and the map's script bundle built in memory;
- the basemap archive the settings name, served where it is (an MBTiles one converted once
  into a cache folder outside the code);
- the cited reports' paragraphs as JSON, only to a page holding a key this process granted to
  a live session (`grant`): a report text is never a public file.

Nothing here writes into the package. `layers.routes` turns this into Starlette routes;
`dashboard/serve_app.py` mounts them beside Streamlit's. No Streamlit here: whether a session
is still alive is asked through `alive`, which the server sets.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir

from layers.render.assets import BUNDLE_TARGET, Asset, bundle_bytes, served_assets
from layers.reports import Library

REPORTS_URL = "/briefmap/reports"
KEY_HEADER = "X-Briefmap-Key"  # how a page's map sends the key it was granted


def default_cache() -> Path:
    """Where converted basemaps are kept: the user's cache folder, never the code's."""
    return Path(user_cache_dir("briefmap", appauthor=False)) / "basemaps"


class Publisher:
    def __init__(
        self,
        basemap: Path | None,
        geodata: Path | None,
        cache: Path | None = None,
        alive: Callable[[str], bool] | None = None,
    ):
        self._archive, self._geodata = basemap, geodata
        self.cache = cache or default_cache()
        self.alive: Callable[[str], bool] = alive or (lambda _owner: True)
        self._lock = threading.Lock()
        self._basemap: tuple[dict[str, Any], Path] | None = None
        self._keys: dict[str, str] = {}  # key -> the session it was granted to
        self._reports: dict[str, bytes] = {}  # "<digest>.json" -> paragraphs as JSON

    # -- assets
    @staticmethod
    def asset(name: str) -> Asset | bytes | None:
        """The asset served under this exact name (the bundle as bytes), or None."""
        if name == BUNDLE_TARGET:
            return bundle_bytes()
        return served_assets().get(name)

    # -- basemap
    def basemap(self) -> tuple[dict[str, Any], Path]:
        """The browser's source spec and the file sent for it (checked once; ArchiveError)."""
        with self._lock:
            if self._basemap is None:
                from layers.render.basemap import basemap_spec

                self._basemap = basemap_spec(self._archive, self._geodata, self.cache)
            return self._basemap

    def basemap_file(self, name: str) -> Path | None:
        """The archive if `name` is the one the spec's url names, else None."""
        spec, path = self.basemap()
        return path if spec["url"].rsplit("/", 1)[-1] == name else None

    # -- reports
    def publish_reports(self, library: Library) -> Library:
        """Hold each verified report's paragraphs as JSON (named by their content) and return
        the library with the URLs a page fetches them from, with its key."""
        urls, held = {}, {}
        for name, paragraphs in library.texts.items():
            numbered = {str(n): text for n, text in enumerate(paragraphs, start=1)}
            data = json.dumps(numbered, ensure_ascii=False).encode("utf-8")
            file = f"{hashlib.sha256(data).hexdigest()[:16]}.json"
            held[file] = data
            urls[name] = f"{REPORTS_URL}/{file}"
        with self._lock:
            self._reports.update(held)
        return replace(library, urls=urls)

    def grant(self, owner: str) -> str:
        """A new unguessable key for the session `owner`; keys of sessions that ended go."""
        key = secrets.token_urlsafe(24)
        with self._lock:
            for old, who in list(self._keys.items()):
                if not self.alive(who):
                    del self._keys[old]
            self._keys[key] = owner
        return key

    def granted(self, key: str | None) -> bool:
        """Whether `key` was granted to a session that is still alive."""
        if not key:
            return False
        with self._lock:
            owner = self._keys.get(key)
        return owner is not None and self.alive(owner)

    def paragraphs(self, key: str | None, name: str) -> bytes | None:
        """A report's paragraphs for a page with a granted key (None: refuse)."""
        if not self.granted(key):
            return None
        with self._lock:
            return self._reports.get(name)
