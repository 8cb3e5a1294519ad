"""Build geodata/basemap/world-countries-50m.geojson from the npm package `world-atlas`
(Natural Earth 1:50m Admin 0 countries as TopoJSON, ids = ISO 3166-1 numeric codes).

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/world_outlines.py package/countries-50m.json

Coordinates are rounded to 0.01 degrees: the outlines decide only whether an imported event's
point lies in the country it names (layers.events.countries), never what is drawn."""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "geodata" / "reference" / "world-countries-50m.geojson"


def _arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(x * sx + tx, 2), round(y * sy + ty, 2)))
        out.append(points)
    return out


def _ring(indexes: list[int], arcs) -> list[list[float]]:
    ring: list[tuple[float, float]] = []
    for i in indexes:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(points if not ring else points[1:])
    clean = [ring[0]] + [p for a, p in zip(ring, ring[1:], strict=False) if p != a]
    return [list(p) for p in clean]


def _geometry(g: dict, arcs) -> dict | None:
    if g["type"] == "Polygon":
        polys = [g["arcs"]]
    elif g["type"] == "MultiPolygon":
        polys = g["arcs"]
    else:
        return None
    rings = [[_ring(r, arcs) for r in poly] for poly in polys]
    rings = [[r for r in poly if len(r) >= 4] for poly in rings]
    rings = [poly for poly in rings if poly]
    return {"type": "MultiPolygon", "coordinates": rings} if rings else None


def main(source: str) -> None:
    topo = json.loads(Path(source).read_text(encoding="utf-8"))
    arcs = _arcs(topo)
    features = []
    for g in topo["objects"]["countries"]["geometries"]:
        geometry = _geometry(g, arcs)
        if geometry is None or "id" not in g:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"iso_n3": int(g["id"]), "name": g["properties"]["name"]},
                "geometry": geometry,
            }
        )
    features.sort(key=lambda f: f["properties"]["iso_n3"])
    data = {"type": "FeatureCollection", "features": features}
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{OUT}: {len(features)} countries, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
