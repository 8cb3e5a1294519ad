"""The event store's manifest checked as it is read: every key the store, the CLI and the app
use, with its type. A manifest edited by hand or damaged is one clear error, never a KeyError
deep in a caller."""

from __future__ import annotations

import re
from typing import Any

from layers.errors import StorageError
from layers.events.schema import STORE_SCHEMA
from layers.marking import Marking, MarkingError, active, parse

FORMAT = "briefmap-events/1"
# The schema version a store's manifest records ("version"). 1: as first written, with no
# "version" key; 2: "version" and "columns" (the data file's columns, the same as version 1's).
# An older store is read as the current version (`migrate`) and written as it by its next
# import; a newer one is refused (`NewerStoreError`): its layout is not known here.
VERSION = 2
DATA = re.compile(r"^events-(\d{6})\.parquet$")
_ENTRY = {"file": str, "sha256": str, "rows": int, "imported_at": str, "counts": dict}
_OPTIONAL = {
    "format": str,
    "rejected": int,
    "marking": str,
    "deletions": dict,
    "by": str,
    "id": int,  # kept since imports can be removed (`layers.events.records`)
}
_REMOVAL = {"import": int, "file": str, "events": int, "by": str, "removed_at": str}
_DELETIONS = {"file": str, "sha256": (str, type(None)), "rows": int}


# What an import is marked when nobody says otherwise: the scheme's default (TLP:CLEAR under
# TLP). ACLED and UCDP publish their data for anyone to use with attribution (their terms of
# use); a GeoJSON of one's own should be given its marking (`briefmap import --marking`). An
# import recorded before markings were kept counts as the default too.
def marking_of(given: str | None, fmt: str | None = None) -> Marking:
    """The marking an import carries: the one given, else the scheme's default."""
    scheme = active()
    return scheme.parse(given or scheme.default)


def import_marking(entry: dict[str, Any]) -> Marking:
    """One import's marking, as recorded (or the scheme's default if none was)."""
    return marking_of(entry.get("marking"), entry.get("format"))


class ManifestError(StorageError, ValueError):
    """What is wrong with a manifest (the store adds which file)."""


class NewerStoreError(ManifestError):
    """A store written by a newer briefmap, in a schema version this one does not know."""

    def __init__(self, version: int):
        self.version = version
        super().__init__(
            f"an event store of schema version {version}, written by a newer briefmap (this "
            f"one reads versions 1 to {VERSION}); upgrade briefmap, or give another folder"
        )


def version_of(data: dict[str, Any]) -> int:
    """The schema version a manifest records (1 when it records none)."""
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ManifestError(f"'version' is {_kind(version)}, expected a whole number ≥ 1")
    if version > VERSION:
        raise NewerStoreError(version)
    return version


def migrate(data: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """A checked manifest as the current version, and a note when it was an older one (the
    store on disk is unchanged: its next import writes the current version)."""
    version = version_of(data)
    if version == VERSION:
        return data, None
    # 1 -> 2: the same data files; the manifest gains "version" and "columns"
    return {**data, "version": VERSION, "columns": list(STORE_SCHEMA.names)}, older_note(version)


def older_note(version: int) -> str:
    """What a store of an older schema version says (any backend) until its next import."""
    return (
        f"written by an earlier briefmap (schema version {version}); read as version "
        f"{VERSION}, and written as it by the next import"
    )


def check(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ManifestError(f"expected an object at the top, found {_kind(data)}")
    if data.get("format") != FORMAT:
        shown = repr(data.get("format"))[:60]
        raise ManifestError(f"not a briefmap event store (format {shown}, expected {FORMAT!r})")
    if version_of(data) >= 2 and data.get("columns") != list(STORE_SCHEMA.names):
        raise ManifestError("'columns' is not the event table's list of columns")
    for key in ("generation", "rows"):
        _count(data, key, "")
    if "data" not in data:
        raise ManifestError("'data' is missing (the current data file, or null)")
    name = data["data"]
    if name is not None and (not isinstance(name, str) or not DATA.match(name)):
        raise ManifestError(f"'data' is {repr(name)[:60]}, expected events-NNNNNN.parquet or null")
    if name is not None and int(DATA.match(name).group(1)) != data["generation"]:
        raise ManifestError(f"'data' {name} does not match generation {data['generation']}")
    for key in ("first_date", "last_date"):
        if not isinstance(data.get(key), str | type(None)):
            raise ManifestError(f"'{key}' is {_kind(data.get(key))}, expected a date or null")
    imports = data.get("imports")
    if not isinstance(imports, list):
        raise ManifestError(f"'imports' is {_kind(imports)}, expected a list")
    for k, entry in enumerate(imports, start=1):
        _entry(entry, f"import {k}")
    removals = data.get("removals", [])
    if not isinstance(removals, list):
        raise ManifestError(f"'removals' is {_kind(removals)}, expected a list")
    for k, record in enumerate(removals, start=1):
        if not isinstance(record, dict):
            raise ManifestError(f"removal {k} is {_kind(record)}, expected an object")
        for key, kind in _REMOVAL.items():
            _typed(record, key, kind, f"removal {k}", required=True)
    return data


def _entry(entry: Any, where: str) -> None:
    if not isinstance(entry, dict):
        raise ManifestError(f"{where} is {_kind(entry)}, expected an object")
    for key, kind in _ENTRY.items():
        _typed(entry, key, kind, where, required=True)
    for key, kind in _OPTIONAL.items():
        _typed(entry, key, kind, where, required=False)
    for key in ("rows", "rejected"):
        if key in entry:
            _count(entry, key, f"{where}: ")
    for key, value in entry["counts"].items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ManifestError(f"{where}: count {str(key)[:40]!r} is {_kind(value)}")
    if "deletions" in entry:
        for key, kind in _DELETIONS.items():
            _typed(entry["deletions"], key, kind, f"{where}: deletions", required=True)
    if "marking" in entry:
        try:
            parse(entry["marking"])
        except MarkingError as exc:
            raise ManifestError(
                f"{where}: marking: {exc}; if it was recorded under another marking scheme, "
                "give that label as an alias in the scheme in force"
            ) from None


def _typed(data: dict, key: str, kind, where: str, required: bool) -> None:
    if key not in data:
        if required:
            raise ManifestError(f"{where}: '{key}' is missing")
        return
    value = data[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ManifestError(f"{where}: '{key}' is {_kind(value)}")


def _count(data: dict, key: str, where: str) -> None:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        shown = "missing" if key not in data else _kind(value)
        raise ManifestError(f"{where}'{key}' is {shown}, expected a whole number ≥ 0")


def _kind(value: Any) -> str:
    if isinstance(value, dict | list):
        return f"a {type(value).__name__}"
    return repr(value)[:40]
