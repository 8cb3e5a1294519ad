"""Build geodata/basemap/names_ar.csv: Arabic names for basemap places and countries that the
shipped Natural Earth files leave without one, each row with its source.

    python scripts/arabic_names.py NE50M_PLACES_CSV NE10M_COUNTRIES_CSV

The two inputs are Natural Earth v5 attribute tables as converted to CSV in GitHub
`Raysphere24/NaturalEarthCsvTsv`, commit 7cc9ef2bd1e761f382238908066713be36dc30f0 (the commit
geodata/basemap/ATTRIBUTION.md already cites): `csv_with_names/50m_cultural/
ne_50m_populated_places.csv` and `csv_with_names/10m_cultural/ne_10m_admin_0_countries.csv`.
Rows (`source` column):

- `ne50m-places`: a 1:50m populated place's `NAME_AR`, for every place inside the towns'
  region (layers.tiles.towns.REGION) and every national capital, unless the shipped
  places.geojson already names it;
- `ne10m-admin1:<adm1_code>`: a governorate or province seat that Natural Earth names in
  English after its province ("Gaziantep" in Gaziantep province) and not in Arabic takes the
  province's `name_ar` from the shipped admin1.geojson, without a leading «محافظة»/«منطقة»…
  (the province's own name only: its other names include other towns, "Ad Diwaniyah");
- `ne10m-countries`: a country's `NAME_AR`, for the country labels of the whole world;
- `geonames:<id>` and `knowledge`: chosen by hand (not written by this script; rows of the
  existing file with these sources are carried over), each with a note saying why.

Nothing is translated or transliterated here: every Arabic string is copied from its source.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

from shapely.geometry import Point, shape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from layers.tiles.arabic_names import BY_HAND, FIELDS, NAMES_FILE  # noqa: E402
from layers.tiles.towns import REGION, fold  # noqa: E402

PREFIXES = ("محافظة ", "ولاية ", "إقليم ", "مقاطعة ", "منطقة ")


def _read_csv(path: str) -> list[dict[str, str]]:
    return list(csv.DictReader(open(path, encoding="utf-8")))


def _shipped(name: str) -> list[dict]:
    return json.loads((ROOT / "geodata" / "basemap" / f"{name}.geojson").read_text("utf-8"))[
        "features"
    ]


def ne50m_rows(path: str) -> list[dict[str, str]]:
    named = {f["properties"]["ne_id"] for f in _shipped("places") if f["properties"]["name_ar"]}
    west, south, east, north = REGION
    rows = []
    for r in _read_csv(path):
        lon, lat = float(r["LONGITUDE"]), float(r["LATITUDE"])
        inside = west <= lon <= east and south <= lat <= north
        capital = r["FEATURECLA"].startswith("Admin-0 capital")
        if not r["NAME_AR"].strip() or int(r["NE_ID"]) in named or not (inside or capital):
            continue
        rows.append(
            _row(
                "town",
                r["NE_ID"],
                r["ADM0_A3"],
                r["NAME"],
                r["NAME_AR"],
                lon,
                lat,
                "ne50m-places",
                r["NAMEALT"],
            )
        )
    return rows


def admin1_rows() -> list[dict[str, str]]:
    provinces = [f for f in _shipped("admin1") if f["properties"].get("name_ar")]
    rows = []
    for f in _shipped("places"):
        p = f["properties"]
        if p["name_ar"] or not p["featurecla"].startswith("Admin-1 capital"):
            continue
        names = {fold(n) for n in [p["name"], *(p["namealt"] or "").split("|")] if n}
        point = Point(f["geometry"]["coordinates"])
        for prov in provinces:
            q = prov["properties"]
            own = [q["name"], q.get("name_en") or ""]  # not its other names: "Ad Diwaniyah"
            if q["adm0_a3"] != p["adm0_a3"] or not names & {fold(n) for n in own if n}:
                continue
            if not shape(prov["geometry"]).buffer(0.05).contains(point):
                continue
            ar = q["name_ar"]
            for prefix in PREFIXES:
                ar = ar.removeprefix(prefix)
            lon, lat = f["geometry"]["coordinates"]
            rows.append(
                _row(
                    "town",
                    str(p["ne_id"]),
                    p["adm0_a3"],
                    p["name"],
                    ar,
                    lon,
                    lat,
                    f"ne10m-admin1:{q['id']}",
                    p["namealt"] or "",
                )
            )
    return rows


def country_rows(path: str) -> list[dict[str, str]]:
    return [
        _row(
            "country",
            r["NE_ID"],
            r["ADM0_A3"],
            r["NAME"],
            r["NAME_AR"],
            None,
            None,
            "ne10m-countries",
            "",
        )
        for r in _read_csv(path)
        if r["NAME_AR"].strip()
    ]


def _row(kind, ne_id, adm0, en, ar, lon, lat, source, note) -> dict[str, str]:
    return {
        "kind": kind,
        "ne_id": str(ne_id),
        "adm0_a3": adm0,
        "en": en,
        "ar": ar.strip(),
        "lon": "" if lon is None else f"{float(lon):.4f}",
        "lat": "" if lat is None else f"{float(lat):.4f}",
        "source": source,
        "note": note,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    kept = []
    if NAMES_FILE.exists():
        kept = [r for r in _read_csv(str(NAMES_FILE)) if r["source"].startswith(BY_HAND)]
    rows = ne50m_rows(argv[0]) + admin1_rows() + country_rows(argv[1]) + kept
    rows.sort(key=lambda r: (r["kind"], r["adm0_a3"], r["en"], r["source"]))
    out = io.StringIO()
    writer = csv.DictWriter(out, FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    NAMES_FILE.write_text(out.getvalue(), encoding="utf-8")
    print(f"wrote {NAMES_FILE.relative_to(ROOT)}: {len(rows)} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
