"""Serving a team: the servers such teams already run, started and used by briefmap.

- `cluster`: a PostgreSQL cluster of our own (Debian's server, as an unprivileged user);
- `database`: a team database as one process uses it (one pool per URI, the schema made
  once, LISTEN/NOTIFY, and `DatabaseUnreachable` while PostgreSQL is away);
- `eventstore`: the event store in PostGIS (same imports, same rules as GeoParquet);
- `briefings`: briefings kept in PostgreSQL, so presenter and audience on different app
  servers stay together and a restarted server loses nothing;
- `front`: nginx in front of several app servers; `oidc` (with `oidc_conf`, `oidc_demo`): the
  LemonLDAP::NG provider for sign-in; `unprivileged`: servers as `nobody` under root;
- `stack` (with `stackstate`): `briefmap team up|down|status`, all of the above started,
  recorded, probed and stopped together.

May import `layers.errors`, `layers.briefing`, `layers.model`, `layers.boundary` and
`layers.walkthrough`; `stack` also the settings, the runtime and the asset list (to point
nginx at the files the app servers serve); never Streamlit or `dashboard`. psycopg is
imported only by the modules that talk to the database.
"""
