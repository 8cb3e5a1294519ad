"""briefmap dashboard entry point (`briefmap serve` runs this with the project's settings)."""

from __future__ import annotations

import streamlit as st

from dashboard import data
from dashboard.map_panel import show_map
from dashboard.sidebar import layer_toggles
from layers.boundary import GeodataError

st.set_page_config(page_title="briefmap", page_icon=":world_map:", layout="wide")

# Constant CSS (no data in it): a briefing screen wants the map, not Streamlit's margins.
PAGE_CSS = """
<style>
.block-container { padding-top: 1.2rem; padding-bottom: 0.5rem; }
section[data-testid="stSidebar"] .block-container { padding-top: 1rem; }
</style>
"""


def main() -> None:
    try:
        geodata = data.geodata()
    except GeodataError as exc:
        st.error("The geodata has problems; fix them and reload.")
        st.code("\n".join(str(p) for p in exc.problems))
        return
    st.markdown(PAGE_CSS, unsafe_allow_html=True)
    view = layer_toggles(geodata)
    st.markdown("#### Iraq–Syria security after the fall of Assad")
    show_map(geodata, view)


main()
