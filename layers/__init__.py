"""briefmap's core: load and validate geodata, filter, style, render, export. No Streamlit here."""

__version__ = "0.1.0"
