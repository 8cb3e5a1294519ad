"""The contract every event store backend passes (the GeoParquet one today; a database one
next): the same synthetic events imported, queried and changed, each answer checked against
a pandas reference worked out independently from the same input (`reference`).

Adding a backend is one fixture: a `Backend` in `conftest.BACKENDS` that says how to

- `open(folder)`: open (or create) a store of this backend at a fresh place, returning an
  object with the `layers.events.backend.EventStore` interface: `describe`, `snapshot`,
  `query(view, frame, geodata)`, `apply`/`upsert`/`delete`, `remove_import`, `check`
  (removing an import: `test_removal_contract.py`);
- `damage(store)`: make its current data unreadable (the store must then refuse to answer
  with a StoreError, never a wrong count);
- `foreign(folder)`: put something that is not a briefmap store where a store would be
  (opening and importing must refuse with a StoreError naming the place);
- `set_version(store, version)`: record another schema version in it (1: as the first
  briefmap wrote it), so the migration path and the refusal of a newer version are tried.

What a backend must give back is in `layers.events.backend`: `StoreInfo` (generation, rows,
marking, schema version and a note when it read an older one), `QueryResult` (counts by type
with and without the filter's types, the monthly histogram, fatalities, the map payload of
`layers.events.payload` for the frame, the rows of a clicked place newest first, and a
`Selection` reading the shown rows for an export), all from one generation per snapshot.
"""
