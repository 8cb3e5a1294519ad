"""An admin removes an import from the app's sidebar (the local user holds every role): the
store's imports are listed with their ids, a Remove button asks once more, and the removal
says what went and the marking before and after."""

from __future__ import annotations

from layers.events.attribution import os_user
from layers.events.importer import import_file
from layers.events.store import open_store
from tests.conftest import run_app, shown
from tests.events.helpers import rows, write


def _store(tmp_path):
    store = open_store(tmp_path / "s")
    import_file(store, write(tmp_path / "a.csv", rows(5, seed=1)), fmt="acled")
    red = rows(4, seed=2)
    for r in red:  # events of its own (the seeded rows share their ids)
        r["event_id_cnty"] = "RED" + r["event_id_cnty"]
    path = write(tmp_path / "red.csv", red)
    import_file(store, path, fmt="acled", marking="TLP:RED", may_raise_marking=True)
    return store


def _buttons(at, key: str):
    return [b for b in at.button if str(b.key) == key]


def test_an_admin_removes_an_import_after_saying_so_twice(tmp_path, app_env):
    store = _store(tmp_path)
    app_env(BRIEFMAP_STORE=tmp_path / "s")
    first, red = (e["id"] for e in store.describe().imports)
    at = run_app()
    captions = "\n".join(shown(str(c.value)) for c in at.caption)
    assert f"#{red} · red.csv · TLP:RED · by {os_user()}" in captions
    assert f"#{first} · a.csv · TLP:CLEAR" in captions
    _buttons(at, f"bm-remove-import-{first}")[0].click().run()
    _buttons(at, "bm-remove-import-no")[0].click().run()  # kept: nothing changed
    assert len(store.describe().imports) == 2 and not _buttons(at, "bm-remove-import-yes")
    _buttons(at, f"bm-remove-import-{red}")[0].click().run()
    assert store.describe().marking().label == "TLP:RED"  # asked, not yet removed
    assert any(f"Remove import #{red}?" in shown(str(x.value)) for x in at.warning)
    _buttons(at, "bm-remove-import-yes")[0].click().run()
    assert not at.exception, at.exception
    said = [shown(str(s.value)) for s in at.success]
    assert (
        f"Import #{red} removed; events removed: 4; the marking was TLP:RED and is now "
        "TLP:CLEAR." in said
    )
    info = store.describe()
    assert (info.marking().label, info.rows, [e["id"] for e in info.imports]) == (
        "TLP:CLEAR",
        5,
        [first],
    )
    assert info.removals[0]["by"] == os_user()  # no sign-in: the server's user
    assert not _buttons(at, f"bm-remove-import-{red}")
