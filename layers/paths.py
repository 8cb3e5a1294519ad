"""Where briefmap finds its files. Only the repo is read: never the shared folder beside it."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DASHBOARD_DIR = PROJECT_ROOT / "dashboard"
STATIC_DIR = DASHBOARD_DIR / "static"  # Streamlit serves <main script dir>/static
STREAMLIT_CONFIG = PROJECT_ROOT / ".streamlit" / "config.toml"

SOURCES_FILE = "sources.json"
ACTORS_FILE = "actors.json"
CATALOGUE_FILE = "layers.json"
TIMELINE_FILE = "timeline.json"
FEATURES_DIR = "features"
WALKTHROUGHS_DIR = "walkthroughs"
WALKTHROUGH_SUFFIXES = (".yaml", ".yml")
BASEMAP_DIR = "basemap"
CONTEXT_FILES = (SOURCES_FILE, ACTORS_FILE, CATALOGUE_FILE)


def geodata_dir() -> Path:
    """The geodata folder: $BRIEFMAP_GEODATA if set, else the repo's own `geodata/`."""
    override = os.environ.get("BRIEFMAP_GEODATA")
    return Path(override).resolve() if override else PROJECT_ROOT / "geodata"


def basemap_dir() -> Path:
    """The basemap: the geodata folder's own if it has one, else the shipped one."""
    own = geodata_dir() / BASEMAP_DIR
    return own if own.is_dir() else PROJECT_ROOT / "geodata" / BASEMAP_DIR


def display_path(path: Path) -> str:
    """A short, stable name for messages: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
