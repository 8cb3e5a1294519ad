"""briefmap's Streamlit app: widgets wired to `layers` functions, nothing a test would want."""
