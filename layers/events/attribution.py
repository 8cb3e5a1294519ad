"""Who changed the shared event store, and the rule for its marking.

Every import and every deletion is recorded with who did it (`by`: the signed-in user the app
names, else the operating-system user running the command) and when (`imported_at`), by every
backend, and `briefmap store` shows both.

The store is marked by the highest marking of the imports that brought it data
(`store_marking`; deletions bring none). So an import can raise it, and nothing lowers it but
the removal of the import records that raised it: a later import at a lower marking, the
deletion of every event an import brought, or the same file imported again at a lower marking
all leave the record, and so the marking, where it was; removing the import
(`remove_import`, `layers.events.records`: its events and its record) brings it down. Raising
it is refused (`MarkingRaiseError`) unless the caller says the person may
(`may_raise_marking`: the app passes it from the person's role, the command line from
`--raise-marking`). The check runs inside the store's write lock or transaction, so two
imports cannot both slip past it.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable
from typing import Any

from layers.events.manifest import import_marking, marking_of
from layers.marking import Marking, MarkingRaiseError, active, highest


def os_user() -> str:
    """The operating-system user running this process (its uid when it has no name)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry and no LOGNAME/USER (a bare container)
        return f"uid {os.getuid()}"


def store_marking(imports: Iterable[dict[str, Any]]) -> Marking:
    """The store's marking: the highest of the imports that brought data (those with a file)."""
    return highest(import_marking(e) for e in imports if e.get("file"))


def check_raise(
    imports: list[dict[str, Any]], file: str, marking: str, may_raise_marking: bool
) -> None:
    """MarkingRaiseError when recording an import of `file` marked `marking` would make the
    store's marking restrict more than it does, and the caller may not raise it."""
    if may_raise_marking or not file:
        return
    now = store_marking(imports)
    after = store_marking([*imports, {"file": file, "marking": marking}])
    if not active().dominates(now, after):
        raise MarkingRaiseError(
            f"refused: {file} is marked {marking_of(marking).label}, which would raise the store's "
            f"marking from {now.label} to {after.label}; only someone who may raise it can "
            "import it (an admin in the app; --raise-marking on the command line). Nothing "
            "was imported."
        )
