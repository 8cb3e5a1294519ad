"""A scene's map layers built once per server and briefing version, for every window of it.

When the presenter moves, every projector window of the briefing reruns at once, and each
built the same layers (`layer_groups`, the highlight, the focus, the legend) and rendered
them to the same script through streamlit-folium: about half of a projector run's CPU, times
the windows on the server. Here the first window of a version builds the layers and, as
streamlit-folium renders each group for the first time, its script is kept on the group; the
other windows are handed the same groups and their kept scripts, never rendered again.

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

MAX_SCENES = 16  # scene versions kept per server process (a few briefings, a few languages)
_LOCK = threading.Lock()
_KEPT: OrderedDict[Hashable, tuple[list[folium.FeatureGroup], object]] = OrderedDict()
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
    with _LOCK:
        found = _KEPT.get(key)
        if found is not None:
            _KEPT.move_to_end(key)
            return found[0]
    groups = build()  # outside the lock: two first windows may both build; one is kept
    for group in groups:
        group._bm_scripts = {}  # noqa: SLF001
    with _LOCK:
        found = _KEPT.setdefault(key, (groups, holds))
        _KEPT.move_to_end(key)
        while len(_KEPT) > MAX_SCENES:
            _KEPT.popitem(last=False)
        return found[0]


def forget() -> None:
    """Drop every kept scene (tests)."""
    with _LOCK:
        _KEPT.clear()
