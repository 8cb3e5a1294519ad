"""A View as the sidebar's widget values (a Streamlit session state, or any mapping), and
back: each filter's keys and values come from its declaration (`layers.view.filters`). The
widgets themselves, and the frame's keys, are the app's (`dashboard/sidebar.py`,
`dashboard/state.py`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from layers.view import filters
from layers.view.value import Filter


def widget_values(filter_: Filter, geodata: Any) -> dict[str, Any]:
    """Session-state keys and the values that make the widgets show `filter_`."""
    out: dict[str, Any] = {}
    for spec in filters.declared():
        out.update(spec.to_state(filter_, geodata))
    return out


def filter_from_widgets(state: Mapping[str, Any], geodata: Any) -> Filter:
    """The filter the widgets show (a missing key reads as its filter's default)."""
    fields: dict[str, Any] = {}
    for spec in filters.declared():
        fields.update(spec.from_state(state, geodata))
    return Filter.of(**fields)
