"""Where briefmap finds its own files. Which geodata, reports folder, event store and basemap
a process uses is a setting (`layers.settings`), not a path here: the reports are read only to
show cited paragraphs and never copied into the repo."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DASHBOARD_DIR = PROJECT_ROOT / "dashboard"
STREAMLIT_CONFIG = PROJECT_ROOT / ".streamlit" / "config.toml"

SOURCES_FILE = "sources.json"
ACTORS_FILE = "actors.json"
CATALOGUE_FILE = "layers.json"
TIMELINE_FILE = "timeline.json"
FEATURES_DIR = "features"
WALKTHROUGHS_DIR = "walkthroughs"
WALKTHROUGH_SUFFIXES = (".yaml", ".yml")
BASEMAP_DIR = "basemap"


DEFAULT_GEODATA_DIR = PROJECT_ROOT / "geodata"
DEFAULT_REPORTS_DIR = PROJECT_ROOT.parent / "shared" / "reports"


def basemap_dir(geodata: Path | None = None) -> Path:
    """The basemap sources: the geodata folder's own if it has them, else the shipped ones."""
    own = (geodata or DEFAULT_GEODATA_DIR) / BASEMAP_DIR
    return own if own.is_dir() else DEFAULT_GEODATA_DIR / BASEMAP_DIR


def display_path(path: Path) -> str:
    """A short, stable name for messages: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # outside the folder; a link loop (RuntimeError)
        return str(path)
