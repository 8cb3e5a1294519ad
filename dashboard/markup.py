"""The one way HTML reaches the page: `html_block`, for every `unsafe_allow_html` Markdown call.

Streamlit renders `st.markdown(..., unsafe_allow_html=True)` as Markdown first: HTML that starts
a line with a block tag (`<div>`, `<ul>`, `<style>` …) is an HTML block, and a blank line ends
it, after which the rest is Markdown again (an image fetched, a link built, `:red[...]` styled).
Text from data is escaped by `layers.render.escape.esc`, which never leaves a raw line break;
this helper also puts the whole markup on one line inside a `<div>`, so the block has no line
on which to end and no other Markdown reading, whatever the markup was built from.
"""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

_LINE_BREAKS = re.compile(r"[\r\n]+")


def one_block(markup: str) -> str:
    """Markup as one HTML block of one line, which Markdown passes through untouched."""
    return '<div class="bm-html">' + _LINE_BREAKS.sub(" ", markup) + "</div>"


def html_block(markup: str, where: Any = None) -> None:
    """Show escaped markup as HTML (in `where`, a container or column, else the page)."""
    (st if where is None else where).markdown(one_block(markup), unsafe_allow_html=True)
