"""ACLED files of every era and their spreadsheet re-saves, as analysts hold them (fixtures in
tests/fixtures/acled/, written from the column lists and forms real files carry): each imports
with the expected counts, or is refused with the reason."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from layers.events import fields as fx
from layers.events.acled import read_acled
from layers.events.batch import RECORD, UNDATED_BASE
from layers.events.dates import parse_date
from layers.events.importer import import_file
from layers.events.problems import EventDataError
from layers.events.store import open_store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "acled"
COL = {name: i for i, name in enumerate(RECORD)}


def _read(name: str, **kw):
    batch, _ = read_acled(FIXTURES / name, **kw)
    return batch, {r[COL["event_id_cnty"]]: r for r in batch.records}


def test_a_2016_export_in_windows_1252_with_upper_case_headers_imports():
    batch, by_id = _read("acled-2016-cp1252.csv", now=1_700_000_000)
    assert sorted(by_id) == ["IRQ1001", "IRQ1002", "IRQ1003", "SYR2001", "SYR2002"]
    assert batch.encoding != "utf-8" and batch.blank == 2 and batch.undated
    assert by_id["SYR2001"][COL["source"]] == "Café press"
    assert by_id["IRQ1001"][COL["event_date"]] == date(2016, 1, 4)
    # a multi-line note stays one cell
    assert "\n" in by_id["IRQ1002"][COL["notes"]]
    # ALLY_ACTOR_* are today's assoc_actor_*; numeric INTER codes become words
    assert by_id["SYR2002"][COL["inter1"]] == "Rioters"
    # no timestamp: revisions dated by the import, below every real timestamp
    assert {r[COL["timestamp"]] for r in batch.records} == {UNDATED_BASE + 1_700_000_000}


@pytest.mark.parametrize(
    "eid, today, sub",
    [
        ("IRQ1001", "Battles", "Armed clash"),
        ("IRQ1002", "Explosions/Remote violence", ""),
        ("SYR2001", "Protests", ""),
        ("SYR2002", "Riots", ""),  # rioters took part
        ("IRQ1003", "Violence against civilians", ""),
    ],
)
def test_old_event_types_are_mapped_to_todays_and_the_original_kept(eid, today, sub):
    _, by_id = _read("acled-2016-cp1252.csv")
    record = by_id[eid]
    assert record[COL["event_type"]] == today
    assert record[COL["sub_event_type"]] == sub
    if today != "Violence against civilians":
        assert "event type as filed: " in record[COL["tags"]]


def test_an_excel_resave_with_two_digit_years_and_points_beyond_the_region():
    """Benghazi, Ajdabiya, Donetsk and Athens are real events, not swapped coordinates."""
    batch, by_id = _read("acled-2020-excel-resave.csv")
    assert sorted(by_id) == ["GRC101", "IRQ5001", "LBY301", "LBY302", "UKR9001"]
    assert by_id["IRQ5001"][COL["event_date"]] == date(2020, 5, 9)
    assert by_id["LBY301"][COL["latitude"]] == pytest.approx(32.1167)
    assert not batch.undated and batch.encoding == "utf-8"


def test_r_write_csv_na_is_never_stored():
    _, by_id = _read("acled-2019-r-write-csv.csv")
    assert by_id["SYR3001"][COL["event_date"]] == date(2019, 12, 31)
    for record in by_id.values():
        for name in ("assoc_actor_1", "assoc_actor_2", "actor2", "tags", "inter2"):
            assert record[COL[name]] != "NA"
    assert by_id["SYR3002"][COL["actor2"]] == ""
    assert by_id["IRQ6001"][COL["tags"]] == "crowd size=hundreds"


def test_the_hxl_row_of_an_hdx_copy_is_skipped():
    batch, by_id = _read("acled-2025-hdx.csv")
    assert sorted(by_id) == ["IRQ7001", "IRQ7002"] and batch.hxl
    assert by_id["IRQ7001"][COL["event_date"]] == date(2025, 5, 16)


def test_a_truly_swapped_iraqi_point_is_still_caught(tmp_path):
    text = (FIXTURES / "acled-2025-hdx.csv").read_text(encoding="utf-8")
    bad = text.replace("34.3717,41.0943", "41.0943,34.3717")
    path = tmp_path / "swapped.csv"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(EventDataError) as caught:
        read_acled(path)
    assert "line 3" in str(caught.value) and "swapped" in str(caught.value)


def test_dates_that_fit_no_single_form_are_refused_naming_the_forms(tmp_path):
    text = (FIXTURES / "acled-2025-hdx.csv").read_text(encoding="utf-8")
    path = tmp_path / "mixed.csv"
    path.write_text(text.replace("17 May 2025", "2025-05-17"), encoding="utf-8")
    with pytest.raises(EventDataError) as caught:
        read_acled(path)
    words = str(caught.value)
    assert "line 4" in words and "16 May 2025" in words and "2025-05-16" in words


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2025-05-16", date(2025, 5, 16)),
        ("16 May 2025", date(2025, 5, 16)),
        ("16 January 2025", date(2025, 1, 16)),
        ("01-January-2015", date(2015, 1, 1)),
        ("16-05-2025", date(2025, 5, 16)),
        ("16/05/2025", date(2025, 5, 16)),
        ("9-May-20", date(2020, 5, 9)),
        ("31-12-19", date(2019, 12, 31)),
    ],
)
def test_every_date_form_real_files_carry(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    "raw", ["0001-01-01", "9999-12-31", "1650-06-01", "2150-01-01", "05/16/2025", "2025/05/16"]
)
def test_dates_out_of_range_or_in_no_known_form_are_problems(raw):
    with pytest.raises(fx.FieldError):
        parse_date(raw)


@pytest.mark.parametrize("raw", ["3_3.5018", "0x21", "inf", "-inf", "nan", "1e400", "٣٣.٥"])
def test_coordinates_are_numbers_as_acled_writes_them(raw):
    with pytest.raises(fx.FieldError):
        fx.degrees(raw, 90, "latitude")


@pytest.mark.parametrize("raw", ["1_0", "٣", "0x10", "1e2_0"])
def test_whole_numbers_are_digits(raw):
    with pytest.raises(fx.FieldError):
        fx.integer(raw, 0, 1000, 0)


def test_a_timestamp_in_the_future_cannot_pin_a_revision():
    with pytest.raises(fx.FieldError) as caught:
        fx.timestamp("99999999999")
    assert "future" in str(caught.value)


def test_a_later_file_with_timestamps_revises_events_of_an_undated_file(tmp_path):
    store = open_store(tmp_path / "store")
    first = import_file(store, FIXTURES / "acled-2016-cp1252.csv")
    assert first.counts.new == 5 and any("no timestamp" in n for n in first.notes)
    assert any("blank rows" in n for n in first.notes)
    text = (FIXTURES / "acled-2016-cp1252.csv").read_bytes().decode("cp1252")
    header, *rest = text.split("\r\n")
    later = tmp_path / "later.csv"
    lines = [header + ",TIMESTAMP"] + [r + ",1600000000" for r in rest if r and r[0].isdigit()]
    later.write_text("\r\n".join(lines).replace("Ramadi,33.4258", "Ramadi,33.43"), "utf-8")
    second = import_file(store, later)
    assert second.counts.revised >= 1 and second.counts.stale == 0


def test_an_event_date_of_year_one_with_week_precision_is_a_problem_not_a_crash(tmp_path):
    text = (FIXTURES / "acled-2025-hdx.csv").read_text(encoding="utf-8")
    path = tmp_path / "extreme.csv"
    path.write_text(text.replace("16 May 2025,2025,1", "01 January 0001,,2"), encoding="utf-8")
    with pytest.raises(EventDataError) as caught:
        read_acled(path)
    assert "line 3" in str(caught.value) and "event_date" in str(caught.value)


def test_a_huge_header_is_refused_quickly(tmp_path):
    import time

    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(80_000)) + "\n1\n", encoding="utf-8")
    started = time.process_time()
    with pytest.raises(EventDataError) as caught:
        read_acled(path)
    assert "80,000 columns" in str(caught.value)
    assert time.process_time() - started < 2.0  # CPU time, not wall time


def test_a_named_encoding_is_used(tmp_path):
    batch, _ = _read("acled-2016-cp1252.csv", encoding="cp1252")
    assert batch.encoding == "cp1252"
    with pytest.raises(EventDataError) as caught:
        read_acled(FIXTURES / "acled-2016-cp1252.csv", encoding="utf-8")
    assert "invalid UTF-8" in str(caught.value)


def test_ucdp_ged_is_read_onto_the_event_record_with_its_hxl_row():
    batch, by_id = _read("ucdp-ged-hdx.csv", now=1_700_000_000)
    assert batch.dialect == "ucdp" and batch.hxl and batch.undated
    assert sorted(by_id) == ["UCDP-180001", "UCDP-180002", "UCDP-180003"]
    mosul, anbar, raqqa = by_id["UCDP-180001"], by_id["UCDP-180002"], by_id["UCDP-180003"]
    assert (mosul[COL["event_type"]], mosul[COL["actor1"]], mosul[COL["actor2"]]) == (
        "Battles",
        "Government of Iraq",
        "IS",
    )
    assert mosul[COL["event_date"]] == date(2017, 3, 2) and mosul[COL["time_precision"]] == 1
    assert (
        mosul[COL["fatalities"]] == 14
        and "best estimate 14, low 10, high 20" in (mosul[COL["tags"]])
    )
    assert anbar[COL["event_type"]] == "Violence against civilians"
    assert anbar[COL["event_date"]] == date(2017, 4, 12) and anbar[COL["time_precision"]] == 2
    assert anbar[COL["geo_precision"]] == 3  # a province
    assert raqqa[COL["time_precision"]] == 3 and raqqa[COL["sub_event_type"]].startswith("UCDP")


def test_a_ucdp_import_is_recorded_as_ucdp_and_its_popup_says_so(tmp_path):
    from layers.events.popup import event_html

    store = open_store(tmp_path / "store")
    result = import_file(store, FIXTURES / "ucdp-ged-hdx.csv")
    assert result.counts.new == 3
    assert store.describe().imports[-1]["format"] == "ucdp"
    event = next(r for r in store.table().to_pylist() if r["event_id_cnty"] == "UCDP-180001")
    html = event_html(event)
    assert "UCDP GED UCDP-180001" in html and "UCDP GED estimate" in html
    assert "ACLED" not in html


def test_a_file_of_neither_dataset_is_refused_naming_acled_columns(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("id,date_start,lat,lon\n1,2020-01-01,33,44\n", encoding="utf-8")
    with pytest.raises(EventDataError) as caught:
        read_acled(path)
    assert "'event_id_cnty'" in str(caught.value)
