"""Map layers built once per server, for every window and run that shows them: a scene's per
briefing version, an analyst's report layers per set of filters.

When the presenter moves, every projector window of the briefing reruns at once, and each
built the same layers (`layer_groups`, the highlight, the focus, the legend) and rendered
them to the same script through streamlit-folium: about half of a projector run's CPU, times
the windows on the server. Here the first window of a version builds the layers and, as
streamlit-folium renders each group for the first time, its script is kept on the group; the
other windows are handed the same groups and their kept scripts, never rendered again.

The analyst's map is kept the same way, by its filters and language: most of an analyst's or
viewer's runs only pan (the map reports its view and the page reruns), and rebuilding the same
layers was about three quarters of such a run's map. The highlight, the flight to it and the
imported incidents are this run's own, added after the kept layers, never kept.

The scripts hold nothing of the session that asked first: the map's own id is replaced by
streamlit-folium's `map_div`, and a page's report key lives in the base map, drawn per window.
`tests/test_scene_cache.py` checks that a kept scene gives the browser the same arguments as
one drawn anew.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import folium
import streamlit_folium

# kept per server process and kind (a key's first item): scene versions (a few briefings, a
# few languages) and analysts' filter sets, apart, so analysts' filters never push out the
# scene the room is looking at
MAX_KEPT = {"analyst": 32}
MAX_SCENES = 16
_LOCK = threading.Lock()
_KEPT: dict[Hashable, OrderedDict[Hashable, tuple[list[folium.FeatureGroup], object]]] = {}
_render = streamlit_folium._get_feature_group_string  # noqa: SLF001 - wrapped, not copied


def _kept_render(group: folium.FeatureGroup, map: folium.Map, idx: int = 0) -> str:  # noqa: A002
    """streamlit-folium's group rendering, once per kept group and position."""
    kept = getattr(group, "_bm_scripts", None)
    if kept is None:  # a group of another map (the analyst's): as streamlit-folium does
        return _render(group, map, idx)
    with _LOCK:  # the first render changes the group; no other thread may see it half-done
        if idx not in kept:
            kept[idx] = _render(group, map, idx)
        return kept[idx]


streamlit_folium._get_feature_group_string = _kept_render  # noqa: SLF001


def scene_groups(
    key: Hashable, holds: object, build: Callable[[], list[folium.FeatureGroup]]
) -> list[folium.FeatureGroup]:
    """The groups of the scene `key` names, built by `build` the first time; `holds` keeps
    alive the objects whose identity is in the key (so an id is never reused for another)."""
    kind = key[0] if isinstance(key, tuple) and key else None
    with _LOCK:
        kept = _KEPT.setdefault(kind, OrderedDict())
        found = kept.get(key)
        if found is not None:
            kept.move_to_end(key)
            return found[0]
    groups = build()  # outside the lock: two first windows may both build; one is kept
    for group in groups:
        group._bm_scripts = {}  # noqa: SLF001
    with _LOCK:
        found = kept.setdefault(key, (groups, holds))
        kept.move_to_end(key)
        while len(kept) > MAX_KEPT.get(kind, MAX_SCENES):
            kept.popitem(last=False)
        return found[0]


def forget() -> None:
    """Drop every kept scene (tests)."""
    with _LOCK:
        _KEPT.clear()
