"""The runtime: what a command or the app works with, built from one `Settings` value — the
geodata (loaded on first use), the event store, the verified reports, the basemap choice, the
marking scheme (put in force for the process when the runtime is made) and the publisher of
what the server sends (`layers.publisher`: assets, the basemap archive and report paragraphs
for granted sessions, all from where they are; nothing is written into the package).
The CLI builds one per command, the app one per process (`dashboard.data.runtime`), tests
their own. Nothing here reads the environment."""

from __future__ import annotations

import threading
from functools import cached_property
from pathlib import Path

from layers.briefing import BriefingRoom, BriefingStore
from layers.events.store import EventStore, open_store
from layers.marking import TLP, Scheme
from layers.marking import use as use_scheme
from layers.model import Geodata
from layers.paths import basemap_dir
from layers.publisher import Publisher
from layers.reports import Library, ReportsError, load_reports
from layers.settings import Settings, is_database


def open_event_store(location: Path | str | None) -> EventStore:
    """The event store a setting names: a PostgreSQL URI opens the PostGIS store, anything else
    the GeoParquet store's folder."""
    if is_database(location):
        from layers.team.eventstore import PostgisStore

        return PostgisStore(str(location))
    return open_store(location)


def load_scheme(path: Path | None) -> Scheme:
    """The marking scheme a setting names (None: TLP 2.0, built in); SchemeError naming the
    file and every field at fault."""
    if path is None:
        return TLP
    from layers.boundary.markings import read_scheme

    return read_scheme(path)


class Runtime:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._lock = threading.Lock()
        # one scheme per process, in force before anything reads a marking (the geodata's,
        # the store's, an export's): banners, exports, the audience view and imports follow it
        self.marking_scheme = load_scheme(settings.marking_scheme)
        use_scheme(self.marking_scheme)

    @cached_property
    def _geodata(self) -> Geodata:
        from layers.boundary import load_geodata

        return load_geodata(self.settings.geodata)

    @property
    def geodata(self) -> Geodata:
        """The validated geodata (GeodataError if it has problems), loaded once."""
        with self._lock:
            return self._geodata

    def store(self) -> EventStore:
        """The event store at the settings' location (StoreError for a folder it may not use).
        A folder is opened on each call, so a location made unusable later is said then; a
        database's store is made once per runtime, its connections and schema check once per
        process (`layers.team.database`), so a rerun costs no new connection and no DDL."""
        if not is_database(self.settings.store):
            return open_event_store(self.settings.store)
        with self._lock:
            return self._database_store

    @cached_property
    def _database_store(self) -> EventStore:
        store = open_event_store(self.settings.store)  # under the lock already
        store.follow()  # another server's import reaches this process's caches
        return store

    @cached_property
    def _briefings(self) -> BriefingStore:
        database = self.settings.briefings_database
        if database is None:
            return BriefingRoom()
        from layers.team.briefings import open_briefings

        return open_briefings(database, self._geodata)  # under the lock already

    def briefings(self) -> BriefingStore:
        """Briefings in progress: in the settings' database (shared by a team's servers), else
        in this process's memory. One per runtime, held by the runtime, never by a cache a
        client can clear."""
        with self._lock:
            return self._briefings

    def reports(self) -> Library:
        """The source reports, verified against the geodata's records (ReportsError if a file
        differs; None as the folder: no reports)."""
        return load_reports(self.settings.reports, self.geodata.reports)

    def reports_or_problem(self) -> tuple[Library, str | None]:
        """The reports, or none and the reason to show (never a wrong paragraph)."""
        try:
            return self.reports(), None
        except ReportsError as exc:
            return Library(exc.folder), str(exc)

    @property
    def basemap(self) -> Path | None:
        """The user's basemap archive (None: the shipped one)."""
        return self.settings.basemap

    @property
    def basemap_dir(self) -> Path:
        """The geodata folder's own basemap sources if it has them, else the shipped ones."""
        return basemap_dir(self.settings.geodata)

    @cached_property
    def _publisher(self) -> Publisher:
        return Publisher(self.settings.basemap, self.settings.geodata)

    @property
    def publisher(self) -> Publisher:
        """What this process's web route may send (one per runtime)."""
        with self._lock:
            return self._publisher
