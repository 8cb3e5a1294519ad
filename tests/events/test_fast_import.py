"""The fast path of an ACLED import (`layers.events.fastread`) against the row-by-row path:
the same rows stored, the same problems named (file, row, field), the same rejects."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from layers.events import acled, synth
from layers.events.acled import read_acled
from layers.events.problems import EventDataError


@pytest.fixture(autouse=True)
def _fast_from_any_size(monkeypatch):
    monkeypatch.setattr(acled, "FAST_BYTES", 0)


def _row_by_row(monkeypatch) -> None:
    monkeypatch.setattr(acled, "_read_fast", lambda *args, **kwargs: False)


def _edit(path: Path, edits: dict[int, dict[str, str]], extra: list[dict] | None = None) -> Path:
    """`path` with the cells of some data rows (0: the first) replaced, and rows added."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for k, cells in edits.items():
        rows[k].update(cells)
    rows.extend(extra or [])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


# cells the fast path must read as the row-by-row path does (some it takes, some it doubts)
ODD = {
    3: {"notes": "  spaces around  ", "admin3": "NA"},
    5: {"inter1": "2", "inter2": "7", "interaction": "27"},
    7: {"event_type": "Remote violence", "sub_event_type": "", "tags": "a ;b;; c"},
    8: {"event_type": "Riots/Protests", "inter1": "Rioters", "tags": ""},
    9: {"assoc_actor_1": "X;  Y ; ", "fatalities": "", "geo_precision": "3.0"},
    11: {"latitude": "+35.25", "longitude": "44.", "time_precision": "2"},
    12: {"time_precision": "3", "year": ""},
    13: {"iso": "0", "civilian_targeting": "Civilian targeting"},
    14: {"timestamp": "0001715817600"},
    15: {"event_date": " 15 September 2023 ", "year": "2023"},
    16: {"interaction": "State forces-Rebel group", "inter2": "NULL"},
}


def test_fast_path_stores_what_the_row_by_row_path_stores(tmp_path, monkeypatch):
    path = _edit(synth.write_csv(tmp_path / "events.csv", 400, seed=3), ODD)
    fast, sha = read_acled(path)
    assert fast.fast is not None and fast.fast.num_rows > 350  # the fast path read it
    table = fast.table()
    _row_by_row(monkeypatch)
    slow, slow_sha = read_acled(path)
    assert slow.fast is None
    assert table.equals(slow.table())
    assert sha == slow_sha and fast.size() == slow.size() == 400


def test_a_bad_row_in_a_big_file_is_named_as_by_the_row_by_row_path(tmp_path, monkeypatch):
    bad = {
        2_999: {"latitude": "35,2"},
        4_000: {"event_date": "2023-09-15", "year": ""},  # another date form than the file's
        4_500: {"year": "1901"},
        4_800: {"event_id_cnty": "SYR 1"},
    }
    path = _edit(synth.write_csv(tmp_path / "big.csv", 5_000, seed=4), bad)
    with pytest.raises(EventDataError) as fast:
        read_acled(path)
    wheres = [(p.where, p.column) for p in fast.value.problems]
    assert wheres == [
        ("line 3001", "latitude"),
        ("line 4002", "event_date"),
        ("line 4502", "year"),
        ("line 4802", "event_id_cnty"),
    ]
    assert all(p.file == "big.csv" for p in fast.value.problems)
    _row_by_row(monkeypatch)
    with pytest.raises(EventDataError) as slow:
        read_acled(path)
    assert fast.value.problems == slow.value.problems


def test_skipped_rows_and_repeated_ids_as_by_the_row_by_row_path(tmp_path, monkeypatch):
    path = synth.write_csv(tmp_path / "events.csv", 300, seed=5)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    newer = dict(rows[10], timestamp=str(int(rows[10]["timestamp"]) + 60), fatalities="9")
    monadic = dict(
        rows[20],
        actor1=rows[20]["actor2"],
        actor2=rows[20]["actor1"],
        inter1=rows[20]["inter2"],
        inter2=rows[20]["inter1"],
        assoc_actor_1=rows[20]["assoc_actor_2"],
        assoc_actor_2=rows[20]["assoc_actor_1"],
    )
    path = _edit(path, {40: {"fatalities": "-1"}}, [newer, monadic, dict(rows[30])])
    fast, _ = read_acled(path, skip_invalid=True)
    _row_by_row(monkeypatch)
    slow, _ = read_acled(path, skip_invalid=True)
    assert fast.table().equals(slow.table())
    assert (fast.folded, fast.superseded) == (slow.folded, slow.superseded) == (1, 1)
    assert len(fast.rejected) == len(slow.rejected) == 2
    out_fast, out_slow = tmp_path / "fast.csv", tmp_path / "slow.csv"
    fast.rejected.write(out_fast)
    slow.rejected.write(out_slow)
    assert out_fast.read_bytes() == out_slow.read_bytes()


@pytest.mark.parametrize(
    "damage",
    [
        b'\nIRQ9,"a\nb"',  # a line break inside a cell
        b"\n\n",  # a blank line
        b"\r",  # a lone carriage return
    ],
)
def test_a_file_the_fast_path_cannot_read_exactly_goes_row_by_row(tmp_path, monkeypatch, damage):
    path = synth.write_csv(tmp_path / "events.csv", 50, seed=6)
    data = path.read_bytes()
    cut = data.index(b"\n", len(data) // 2)
    path.write_bytes(data[:cut] + damage + data[cut:])
    try:
        fast = read_acled(path, skip_invalid=True)[0]
    except EventDataError as exc:
        fast = exc
    assert getattr(fast, "fast", None) is None
    _row_by_row(monkeypatch)
    try:
        slow = read_acled(path, skip_invalid=True)[0]
    except EventDataError as exc:
        slow = exc
    if isinstance(slow, EventDataError):
        assert fast.problems == slow.problems
    else:
        assert fast.table().equals(slow.table())
