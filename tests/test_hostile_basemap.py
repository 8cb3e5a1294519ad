"""Hostile `serve --basemap` archives, built in code (tests/archive_builders.py): each PMTiles
and MBTiles case is checked and installed in a forked child under a memory limit (like
tests/test_hostile_inputs.py) and must end in one ArchiveError naming the file and what is
wrong, leaving nothing in the cache folder: never a traceback, a hang or gigabytes of memory.
Then the cache folder itself: a PMTiles archive is served where it is (nothing copied), a failed
conversion leaves no *.tmp, conversions of other archives are left alone (another server may be
sending them), and the size cap."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from layers.cli import main
from layers.render import basemap
from layers.tiles import archive, mbtiles_file
from layers.tiles.archive import ArchiveError, inspect_archive, served_archive
from tests.archive_builders import good_pmtiles, mbtiles, pmtiles_cases
from tests.test_hostile_inputs import _in_child

PMTILES_SAYS = {
    "magic-only": "truncated: a PMTiles header is 127 bytes, the file has 7",
    "header-cut-short": "truncated",
    "version-2": "PMTiles version 2; need version 3",
    "file-cut-short": "past the end of the file",
    "tile-type-unknown": "unknown tile type (code 200)",
    "tile-type-png": "says its tiles are PNG, but its first tile is not an image",
    "metadata-compression-unknown": "unknown metadata compression (code 9)",
    "tile-compression-unknown": "unknown tile compression (code 9)",
    "tile-compression-brotli": "tile compression BROTLI; need gzip or none",
    "zooms-inverted": "outside the header's zooms 255 to 0",
    "max-zoom-255": "zooms 0 to 255",
    "bounds-int32-extremes": "bounds",
    "bounds-inverted": "are not west <= east",
    "metadata-past-end": "puts the metadata at bytes",
    "metadata-length-2^63": "puts the metadata at bytes",
    "metadata-not-gzip": "metadata is not valid gzip data",
    "metadata-gzip-cut-short": "metadata is cut short",
    "metadata-list": "metadata is a list; need a JSON object",
    "metadata-null": "metadata is null; need a JSON object",
    "metadata-string": "metadata is text; need a JSON object",
    "metadata-not-utf8": "metadata is not UTF-8 text",
    "metadata-deep": "nests deeper than 32 levels",
    "metadata-nan": "NaN is not allowed",
    "metadata-gzip-bomb": "metadata unpacks to more than 4,000,000 bytes",
    "vector-layers-number": "metadata 'vector_layers' is 5",
    "vector-layers-text": "metadata 'vector_layers' is 'earth'",
    "vector-layers-foreign": "layers ('water', 'contours', 'hillshade', 'trails') fit no schema",
    "attribution-object": "metadata 'attribution' is an object; need text",
    "attribution-huge": "'attribution' is 100,000 characters",
    "root-is-the-header": "no root directory after the header",
    "root-past-16k": "past the end of the file",
    "root-garbage-gzip": "root directory does not decode",
    "root-garbage-plain": "root directory is not valid gzip data",
    "root-zoom-outside": "addresses tiles at zoom 9 to 9, outside the header's zooms 0 to 2",
    "root-past-tile-data": "points past the end of the tile data",
    "root-leaf-past-end": "points past the end of the leaf directories",
    "no-tile-data": "holds no tile data",
    "not-an-archive": "not a PMTiles or MBTiles archive",
    "empty-file": "not a PMTiles or MBTiles archive",
}

MBTILES_SAYS = {
    "format-png": "says its tiles are PNG, but its first tile is not an image",
    "format-unknown": "format 'grib'; briefmap reads 'pbf' (vector)",
    "format-blob": "metadata 'format' is a blob, not text",
    "minzoom-text": "metadata 'minzoom' is 'abc'; need a zoom",
    "bounds-number": "bounds must be four numbers",
    "bounds-three": "bounds must be four numbers",
    "bounds-nan": "are not all finite numbers",
    "bounds-text": "metadata 'bounds' is 'a,b,c,d'",
    "json-null": "metadata 'json' is null; need a JSON object",
    "json-list": "metadata 'json' is a list; need a JSON object",
    "json-deep": "nests deeper than 32 levels",
    "json-layers-number": "'vector_layers' is 5",
    "value-too-long": "metadata 'attribution' is over 4,000,000 bytes",
    "many-metadata-rows": "metadata has more than 1,000 rows",
    "metadata-name-number": "the name is integer, not text",
    "metadata-recursive-view": "metadata has more than 1,000 rows",
    "metadata-view-never-answers": "of CPU time",
    "metadata-giant-value-view": "string or blob too big",
    "tiles-recursive-view": "of CPU time",
    "no-tables": "no such table: metadata",
    "no-tiles": "holds no tiles",
    "zoom-text": "have a zoom_level that is not a number",
    "zoom-40": "zooms 40 to 40",
    "tile-null": "tile 0/0/0: tile_data is None, not tile bytes",
    "tile-null-later": "tile 2/3/3: tile_data is None",
    "column-out-of-range": "tile 1/5/0: column or row outside the zoom's grid",
    "row-negative": "tile 1/0/-1: column or row outside",
    "column-text": "zoom, column and row must be whole numbers",
    "duplicate-tiles": "tile 0/0/0 appears twice",
}


def _install(path: Path, static: Path, budget: float | None = 2.0) -> list:
    """In the child: check and install; ["refused", message, files left] or ["served", ...].
    The SQLite time budgets are made short (`budget` seconds) unless None."""
    if budget:
        mbtiles_file.INSPECT_SECONDS = mbtiles_file.CONVERT_SECONDS = budget
    try:
        served = served_archive(inspect_archive(path), static)
    except ArchiveError as exc:
        left = sorted(p.name for p in static.iterdir()) if static.exists() else []
        return ["refused", str(exc), left]
    return ["served", served.name, sorted(p.name for p in static.iterdir())]


def _check_refused(path: Path, static: Path, says: str) -> None:
    (outcome, message, left), _took = _in_child(lambda: _install(path, static))
    assert outcome == "refused", (outcome, message)
    assert message.startswith(f"{path}: ") and says in message, message
    assert len(message) < 500, message
    assert left == [], left  # nothing installed, no *.tmp


@pytest.fixture(scope="module")
def pm_cases(tmp_path_factory) -> dict[str, bytes]:
    return pmtiles_cases(tmp_path_factory.mktemp("pm"))


@pytest.mark.parametrize("case", PMTILES_SAYS, ids=list(PMTILES_SAYS))
def test_a_hostile_pmtiles_is_one_clear_error(pm_cases, tmp_path, case):
    path = tmp_path / f"{case}.pmtiles"
    path.write_bytes(pm_cases[case])
    _check_refused(path, tmp_path / "static", PMTILES_SAYS[case])


def test_every_pmtiles_case_has_an_expectation(pm_cases):
    assert set(pm_cases) == set(PMTILES_SAYS)


@pytest.mark.parametrize("case", MBTILES_SAYS, ids=list(MBTILES_SAYS))
def test_a_hostile_mbtiles_is_one_clear_error(tmp_path, case):
    path = mbtiles(tmp_path / f"{case}.mbtiles", case)
    _check_refused(path, tmp_path / "static", MBTILES_SAYS[case])


# no-format: QGIS and other kits leave the row out; the first tile says what the tiles are
@pytest.mark.parametrize("case", ["good", "no-minzoom", "center-bad", "no-format"])
def test_good_mbtiles_are_converted_and_read_back(tmp_path, case):
    path = mbtiles(tmp_path / f"{case}.mbtiles", case)
    static = tmp_path / "static"
    (outcome, name, files), _took = _in_child(lambda: _install(path, static))
    assert outcome == "served" and files == [name], (outcome, name, files)
    back = inspect_archive(static / name)
    assert (back.kind, back.min_zoom, back.max_zoom) == ("pmtiles", 0, 2)
    assert back.layers == ("earth", "water") and back.attribution == "© OpenStreetMap"
    assert back.bounds == (30.0, 22.0, 58.0, 42.0)


def test_many_tiles_convert_in_one_pass_and_a_row_cap_refuses_more(tmp_path, monkeypatch):
    import sqlite3

    path = mbtiles(tmp_path / "many.mbtiles", "no-minzoom")
    with sqlite3.connect(path) as db:  # 300,000 tiles at zoom 12 (was quadratic: > 40 s)
        rows = (
            (12, x, y, b"\x1f\x8b-" + x.to_bytes(2) + y.to_bytes(2))
            for x in range(600)
            for y in range(500)
        )
        db.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)", rows)
    static = tmp_path / "static"
    (outcome, name, _files), _took = _in_child(lambda: _install(path, static, None))
    assert outcome == "served", name
    assert inspect_archive(static / name).max_zoom == 12
    monkeypatch.setattr(mbtiles_file, "MAX_TILES", 100_000)
    path.touch()  # a new stamp: converted again
    with pytest.raises(ArchiveError, match=r"300,003 tiles \(briefmap converts at most 100,000\)"):
        served_archive(inspect_archive(path), tmp_path / "other")


def test_a_failed_conversion_leaves_the_cache_as_it_was_and_no_tmp(tmp_path):
    cache = tmp_path / "cache"
    first = served_archive(inspect_archive(mbtiles(tmp_path / "a.mbtiles")), cache)
    bad = mbtiles(tmp_path / "bad.mbtiles", "tile-null-later")  # passes inspection
    with pytest.raises(ArchiveError, match="tile 2/3/3: tile_data is None"):
        served_archive(inspect_archive(bad), cache)
    assert sorted(p.name for p in cache.iterdir()) == [first.name]


def test_a_pmtiles_is_served_where_it_is_and_no_conversion_is_removed(tmp_path):
    cache = tmp_path / "cache"
    pm = good_pmtiles(tmp_path / "a.pmtiles")
    assert served_archive(inspect_archive(pm), cache) == pm and not cache.exists()
    first = served_archive(inspect_archive(mbtiles(tmp_path / "b.mbtiles")), cache)
    second = served_archive(inspect_archive(mbtiles(tmp_path / "c.mbtiles")), cache)
    assert first != second and first.is_file() and second.is_file()  # two servers, two files
    spec, served = basemap.basemap_spec(None, None, cache)  # ours: where it is, under our route
    assert served == basemap.shipped_archive() and spec["url"].startswith("/briefmap/basemap/")
    assert sorted(p.name for p in cache.iterdir()) == sorted([first.name, second.name])


def test_an_archive_is_capped_in_size_and_a_conversion_by_the_free_space(tmp_path, monkeypatch):
    info = inspect_archive(good_pmtiles(tmp_path / "a.pmtiles"))
    monkeypatch.setattr(archive, "MAX_ARCHIVE_BYTES", 100)
    with pytest.raises(ArchiveError, match=r"a.pmtiles: 0.0 GB; briefmap serves archives of at"):
        served_archive(info, tmp_path / "cache")
    monkeypatch.setattr(archive, "MAX_ARCHIVE_BYTES", 10**12)
    info = inspect_archive(mbtiles(tmp_path / "b.mbtiles"))
    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(archive.shutil, "disk_usage", lambda _p: usage._replace(free=1000))
    with pytest.raises(ArchiveError, match="would leave the cache folder's disk nearly full"):
        served_archive(info, tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []


@pytest.mark.parametrize("case", ["metadata-gzip-bomb", "root-garbage-gzip", "version-2"])
def test_briefmap_serve_refuses_without_a_traceback(pm_cases, tmp_path, capsys, case):
    path = tmp_path / f"{case}.pmtiles"
    path.write_bytes(pm_cases[case])
    assert main(["serve", "--no-reports", "--basemap", str(path), "--port", "1"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and f"cannot serve this basemap: {path}: " in err
    assert PMTILES_SAYS[case] in err


def _fifo(path):
    os.mkfifo(path)
    return path


def _zero_link(path):
    path.symlink_to("/dev/zero")
    return path


def _folder(path):
    path.mkdir()
    return path


def _lfs(path):
    path.write_text(
        "version https://git-lfs.github.com/spec/v1\n"
        "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
        "size 12345\n"
    )
    return path


NOT_ARCHIVES = {
    "fifo": (_fifo, "named pipe"),
    "link-to-dev-zero": (_zero_link, "character device"),
    "folder": (_folder, "a folder"),
    "missing": (lambda p: p, "no such file"),
    "git-lfs-pointer": (_lfs, "git lfs pull"),
}


@pytest.mark.parametrize("case", NOT_ARCHIVES, ids=list(NOT_ARCHIVES))
def test_a_path_that_is_not_an_archive_is_named_as_what_it_is(tmp_path, case):
    make, says = NOT_ARCHIVES[case]
    path = make(tmp_path / "basemap.pmtiles")
    with pytest.raises(ArchiveError) as caught:
        inspect_archive(path)
    assert says in str(caught.value) and str(path) in str(caught.value)
