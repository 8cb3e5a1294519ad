"""Snapshots of any view: on or across the equator, the whole world, next to the antimeridian,
a few metres wide, at the poles. Each gets a projection that exists (a conic whose parallels
are symmetric about the equator does not) and the map note names it; the CLI writes the file
and the app builds it."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from layers.snapshot.projection import Projection, clamp_frame, fit_to_aspect
from tests.conftest import run_app

FRAMES = {
    "iraq": ((38.0, 29.0, 49.0, 38.0), "Lambert"),
    "equator": ((-30.0, -20.0, 30.0, 20.0), "Mercator"),
    "equator-tiny": ((0.0, -0.0001, 0.0002, 0.0001), "Mercator"),
    "touching-equator": ((10.0, 0.0, 20.0, 0.01), "Mercator"),
    "whole-world": ((-180.0, -90.0, 180.0, 90.0), "Equal Earth"),
    "past-the-world": ((-404.0, -246.0, 404.0, 246.0), "Equal Earth"),
    "antimeridian": ((170.0, -10.0, 180.0, 10.0), "Mercator"),
    "antimeridian-north": ((175.0, 50.0, 180.0, 60.0), "Lambert"),
    "tiny": ((44.0, 33.0, 44.0005, 33.0004), "Lambert"),
    "north-pole": ((10.0, 85.0, 20.0, 90.0), "Lambert"),
    "south-pole": ((-180.0, -90.0, 180.0, -60.0), "Equal Earth"),
    "southern-region": ((20.0, -35.0, 40.0, -20.0), "Lambert"),
}


@pytest.mark.parametrize("name", FRAMES)
def test_every_frame_gets_a_projection_that_exists(name):
    frame, kind = FRAMES[name]
    proj = Projection.fitted(frame)
    assert kind in proj.describe("en")
    assert proj.crs is not None  # pyproj refuses a degenerate one here
    w, s, e, n = clamp_frame(frame)
    extent = fit_to_aspect(proj, (w, s, e, n), 16 / 9)
    assert all(math.isfinite(v) for v in extent) and extent[0] < extent[2]
    x, y = proj.point((w + e) / 2, (s + n) / 2)
    assert math.isfinite(proj.north_angle(x, y))


def test_southern_latitudes_are_named_south_in_the_note():
    note = Projection.fitted(FRAMES["southern-region"][0]).describe("en")
    assert "°S" in note and "-" not in note.split("parallels")[1]


CLI_BOXES = {
    "equator": "-30,-20,30,20",
    "whole-world": "-180,-90,180,90",
    "antimeridian": "170,-10,180,10",
    "tiny": "44,33,44.0005,33.0004",
    "north-pole": "10,85,20,90",
    "south-pole": "-180,-90,180,-60",
}


@pytest.mark.parametrize("name", CLI_BOXES)
def test_the_cli_writes_a_map_of_any_box(tmp_path, name):
    out = tmp_path / f"{name}.png"
    done = subprocess.run(
        [sys.executable, "-m", "layers.cli", "export", "--format", "png", "--out", str(out),
         f"--bbox={CLI_BOXES[name]}", "--dpi", "50"],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert out.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "centre, zoom, bounds",
    [
        ((0.0, 0.0), 1, (-404.3, -85.0, 404.3, 85.0)),  # the world, wrapped past both edges
        ((0.0, 40.0), 3, (-10.5, -15.0, 90.5, 15.0)),
    ],
)
def test_the_app_builds_a_map_of_the_equator_and_the_world(centre, zoom, bounds):
    at = run_app(c=f"{centre[0]},{centre[1]}", z=str(zoom))
    sw = {"lng": bounds[0], "lat": bounds[1]}
    ne = {"lng": bounds[2], "lat": bounds[3]}
    at.session_state["map"] = {
        "center": {"lat": centre[0], "lng": centre[1]},
        "zoom": zoom,
        "bounds": {"_southWest": sw, "_northEast": ne},
    }
    at.run()
    at.selectbox(key="exp-format").set_value("png")
    at.button(key="exp-build").click().run()
    assert not at.exception
    built = at.session_state["bm_export"]
    assert built is not None, [e.value for e in at.error]
    assert built.data.startswith(b"\x89PNG")
