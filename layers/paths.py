"""Where briefmap finds its files: the repo's own, and at run time a folder of the source
reports ($BRIEFMAP_REPORTS, set by `briefmap serve --reports`), read only to show cited
paragraphs and never copied into the repo."""

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


def geodata_dir() -> Path:
    """The geodata folder: $BRIEFMAP_GEODATA if set, else the repo's own `geodata/`."""
    override = os.environ.get("BRIEFMAP_GEODATA")
    return Path(os.path.realpath(override)) if override else PROJECT_ROOT / "geodata"


DEFAULT_REPORTS_DIR = PROJECT_ROOT.parent / "shared" / "reports"


def reports_dir() -> Path | None:
    """The reports folder: $BRIEFMAP_REPORTS if set (empty: none), else `../shared/reports`
    beside the project when it exists, else None (citations then say the report is not
    loaded)."""
    override = os.environ.get("BRIEFMAP_REPORTS")
    if override is not None:
        return Path(os.path.realpath(override)) if override.strip() else None
    return DEFAULT_REPORTS_DIR if DEFAULT_REPORTS_DIR.is_dir() else None


def basemap_dir() -> Path:
    """The basemap: the geodata folder's own if it has one, else the shipped one."""
    own = geodata_dir() / BASEMAP_DIR
    return own if own.is_dir() else PROJECT_ROOT / "geodata" / BASEMAP_DIR


def display_path(path: Path) -> str:
    """A short, stable name for messages: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # outside the folder; a link loop (RuntimeError)
        return str(path)
