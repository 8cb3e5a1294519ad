"""Seeded ACLED-shaped events over Iraq and Syria, for tests and benchmarks: clustered around
cities and along the Euphrates, with ACLED's share of imprecise locations (geo_precision 2-3,
placed on a town or province centre) and dates (time_precision 2-3). Invented, not real."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa

from layers.events.batch import RECORD, records_table
from layers.events.schema import ACLED_COLUMNS

# name, iso, admin1, lat, lon, weight, province capital
CITIES = (
    ("Damascus", 760, "Damascus", 33.513, 36.292, 9, True),
    ("Aleppo", 760, "Aleppo", 36.202, 37.134, 9, True),
    ("Idlib", 760, "Idlib", 35.931, 36.634, 10, True),
    ("Homs", 760, "Homs", 34.733, 36.723, 5, True),
    ("Hama", 760, "Hama", 35.135, 36.750, 4, True),
    ("Daraa", 760, "Daraa", 32.625, 36.106, 6, True),
    ("Raqqa", 760, "Ar-Raqqa", 35.950, 39.012, 6, True),
    ("Deir ez-Zor", 760, "Deir ez-Zor", 35.336, 40.141, 8, True),
    ("Al Mayadin", 760, "Deir ez-Zor", 35.019, 40.452, 5, False),
    ("Albu Kamal", 760, "Deir ez-Zor", 34.453, 40.918, 5, False),
    ("Al Hasakah", 760, "Al-Hasakeh", 36.502, 40.748, 4, True),
    ("Qamishli", 760, "Al-Hasakeh", 37.052, 41.231, 3, False),
    ("Palmyra", 760, "Homs", 34.560, 38.267, 2, False),
    ("Latakia", 760, "Lattakia", 35.523, 35.792, 2, True),
    ("Manbij", 760, "Aleppo", 36.528, 37.955, 3, False),
    ("Baghdad", 368, "Baghdad", 33.315, 44.366, 7, True),
    ("Mosul", 368, "Ninewa", 36.340, 43.130, 5, True),
    ("Kirkuk", 368, "Kirkuk", 35.468, 44.392, 4, True),
    ("Ramadi", 368, "Anbar", 33.420, 43.300, 3, True),
    ("Fallujah", 368, "Anbar", 33.350, 43.783, 3, False),
    ("Al Qaim", 368, "Anbar", 34.370, 41.090, 3, False),
    ("Tikrit", 368, "Salah al-Din", 34.607, 43.678, 3, True),
    ("Baqubah", 368, "Diyala", 33.746, 44.643, 3, True),
    ("Basra", 368, "Basrah", 30.508, 47.783, 3, True),
    ("Erbil", 368, "Erbil", 36.191, 44.009, 2, True),
    ("Sulaymaniyah", 368, "Sulaymaniyah", 35.557, 45.435, 2, True),
)
# The Euphrates from Jarabulus to the confluence, roughly (lat, lon).
EUPHRATES = (
    (36.82, 38.01),
    (36.35, 38.20),
    (35.95, 39.01),
    (35.60, 39.70),
    (35.34, 40.14),
    (35.02, 40.45),
    (34.45, 40.92),
    (34.37, 41.09),
    (34.13, 42.38),
    (33.64, 42.83),
    (33.42, 43.30),
    (33.35, 43.78),
    (32.48, 44.42),
    (31.32, 45.28),
    (31.00, 47.44),
)
TYPES = (
    ("Battles", "Armed clash", 0.25),
    ("Explosions/Remote violence", "Air/drone strike", 0.30),
    ("Violence against civilians", "Attack", 0.15),
    ("Protests", "Peaceful protest", 0.15),
    ("Riots", "Violent demonstration", 0.03),
    ("Strategic developments", "Arrests", 0.12),
)
ACTORS_SYR = (
    "Islamic State (Syria)",
    "SDF: Syrian Democratic Forces",
    "Unidentified Armed Group (Syria)",
    "HTS: Hayat Tahrir al-Sham",
    "Military Forces of Turkey (2016-)",
    "Civilians (Syria)",
    "Military Forces of Russia (2000-)",
    "Protesters (Syria)",
)
ACTORS_IRQ = (
    "Islamic State (Iraq)",
    "Kataib Hezbollah",
    "Military Forces of Iraq (2022-)",
    "Popular Mobilization Forces",
    "Protesters (Iraq)",
    "Civilians (Iraq)",
    "Unidentified Armed Group (Iraq)",
)
ASSAD_END = date(2024, 12, 8)
START, END = date(2017, 1, 1), date(2025, 11, 15)
EPOCH = date(1970, 1, 1)
# A revision's time stays before a fixed day: an import refuses timestamps in the future, and a
# lag of up to 400 days after END had made the generator's files fail from late 2026 on.
LATEST = (END - EPOCH).days * 86400 + 30 * 86400
# Where the first event goes when it carries a test payload: open desert, a precise place.
PAYLOAD_AT = (33.95, 39.95)
WORDS = (
    "convoy",
    "checkpoint",
    "village",
    "outskirts",
    "patrol",
    "drone",
    "market",
    "road",
    "farm",
    "bridge",
    "crossing",
    "district",
    "camp",
    "shelling",
    "raid",
    "sweep",
)


def _locations(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    cities = np.array([(c[3], c[4]) for c in CITIES])
    weights = np.array([c[5] for c in CITIES], dtype=float)
    mode = rng.choice(3, size=n, p=[0.55, 0.30, 0.15])
    lat, lon = np.empty(n), np.empty(n)
    k = mode == 0
    pick = rng.choice(len(CITIES), size=k.sum(), p=weights / weights.sum())
    spread = rng.choice([0.03, 0.08, 0.2], size=k.sum(), p=[0.5, 0.35, 0.15])
    lat[k] = cities[pick, 0] + rng.normal(0, 1, k.sum()) * spread
    lon[k] = cities[pick, 1] + rng.normal(0, 1, k.sum()) * spread
    k = mode == 1
    river = np.array(EUPHRATES)
    seg = rng.integers(0, len(river) - 1, k.sum())
    t = rng.random(k.sum())
    lat[k] = river[seg, 0] + t * (river[seg + 1, 0] - river[seg, 0]) + rng.normal(0, 0.03, k.sum())
    lon[k] = river[seg, 1] + t * (river[seg + 1, 1] - river[seg, 1]) + rng.normal(0, 0.03, k.sum())
    k = mode == 2
    lat[k] = rng.uniform(32.5, 36.5, k.sum())
    lon[k] = rng.uniform(37.5, 43.5, k.sum())
    return lat, lon


def _nearest(lat: np.ndarray, lon: np.ndarray, capitals: bool) -> np.ndarray:
    idx = [i for i, c in enumerate(CITIES) if c[6] or not capitals]
    pts = np.array([(CITIES[i][3], CITIES[i][4]) for i in idx])
    d = (lat[:, None] - pts[None, :, 0]) ** 2 + (lon[:, None] - pts[None, :, 1]) ** 2
    return np.asarray(idx)[d.argmin(axis=1)]


def records(n: int, seed: int = 7, payload: str | None = None) -> list[tuple]:
    """`n` events as records (layers.events.batch.RECORD order). With `payload`, the first
    event's notes are that text, at PAYLOAD_AT, precisely placed and dated to a week."""
    rng = np.random.default_rng(seed)
    lat, lon = _locations(rng, n)
    gp = rng.choice([1, 2, 3], size=n, p=[0.78, 0.16, 0.06])
    tp = rng.choice([1, 2, 3], size=n, p=[0.86, 0.10, 0.04])
    if payload and n:
        lat[0], lon[0] = PAYLOAD_AT
        gp[0], tp[0] = 1, 2
    near = _nearest(lat, lon, capitals=False)
    for level, capitals in ((2, False), (3, True)):
        k = gp == level
        snap = _nearest(lat[k], lon[k], capitals) if capitals else near[k]
        lat[k] = [CITIES[i][3] for i in snap]
        lon[k] = [CITIES[i][4] for i in snap]
    days = rng.integers(0, (END - START).days, n)
    type_p = np.array([t[2] for t in TYPES])
    kinds = rng.choice(len(TYPES), size=n, p=type_p / type_p.sum())
    fatal = np.where(rng.random(n) < 0.55, 0, rng.geometric(0.25, n))
    lag = rng.integers(3, 400, n) * 86400
    picks = rng.integers(0, 1 << 30, size=(n, 3)).tolist()  # actor 1, actor 2, words
    rolls = rng.random(n).tolist()
    out = []
    for i in range(n):
        city = CITIES[near[i]]
        day = START + timedelta(days=int(days[i]))
        actor1, actor2 = _actors(picks[i], rolls[i], city[1], day)
        etype, sub, _ = TYPES[kinds[i]]
        note = payload if payload and i == 0 else _note(picks[i][2], i, sub, city[0])
        rec = _row(i, city, day, etype, sub, actor1, actor2, note)
        rec.update(
            time_precision=int(tp[i]),
            latitude=round(float(lat[i]), 4),
            longitude=round(float(lon[i]), 4),
            geo_precision=int(gp[i]),
            fatalities=int(fatal[i]),
            timestamp=int(min((day - EPOCH).days * 86400 + lag[i], LATEST)),
        )
        out.append(tuple(rec[name] for name in RECORD))
    return out


def _row(i, city, day, etype, sub, actor1, actor2, note) -> dict:
    """The descriptive columns of one event (places, actors, words)."""
    iso = city[1]
    return {
        "event_id_cnty": f"{'SYR' if iso == 760 else 'IRQ'}{i + 1}",
        "event_date": day,
        "year": day.year,
        "disorder_type": "Political violence",
        "event_type": etype,
        "sub_event_type": sub,
        "actor1": actor1,
        "assoc_actor_1": "",
        "inter1": "Rebel group",
        "actor2": actor2,
        "assoc_actor_2": "Civilians (Syria); Farmers (Syria)" if i % 97 == 0 else "",
        "inter2": "State forces" if actor2 else "",
        "interaction": "State forces-Rebel group" if actor2 else "Rebel group only",
        "civilian_targeting": "Civilian targeting" if etype.startswith("Violence") else "",
        "region": "Middle East",
        "country": "Syria" if iso == 760 else "Iraq",
        "admin1": city[2],
        "admin2": city[0],
        "admin3": "",
        "location": city[0],
        "source": "Synthetic source",
        "source_scale": "National",
        "notes": note,
        "tags": "",
        "iso": iso,
    }


def _actors(pick: list[int], roll: float, iso: int, day: date) -> tuple[str, str]:
    pool = ACTORS_SYR if iso == 760 else ACTORS_IRQ
    actor1 = pool[pick[0] % len(pool)]
    if iso == 760 and roll < 0.35:
        period = "(2000-2024)" if day < ASSAD_END else "(2024-)"
        return actor1, f"Military Forces of Syria {period}"
    if roll < 0.6:
        return actor1, pool[pick[1] % len(pool)]
    return actor1, ""


def _note(pick: int, i: int, sub: str, place: str) -> str:
    first = pick % len(WORDS)
    other = (first + 1 + (pick // len(WORDS)) % (len(WORDS) - 1)) % len(WORDS)
    a, b = WORDS[first], WORDS[other]
    return f"Synthetic record {i}: {sub.lower()} near the {a} and {b} of {place}."


def table(n: int, seed: int = 7, payload: str | None = None) -> pa.Table:
    """`n` events as a store table (the same builder an import uses)."""
    return records_table(records(n, seed, payload))


def write_csv(path: Path, n: int, seed: int = 7, payload: str | None = None) -> Path:
    """An ACLED-style CSV export of `n` events (dates as ACLED writes them: 16 May 2025)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(ACLED_COLUMNS)
        for rec in records(n, seed, payload):
            row = dict(zip(RECORD, rec, strict=True))
            row["event_date"] = row["event_date"].strftime("%d %B %Y")
            writer.writerow([row[c] for c in ACLED_COLUMNS])
    return path
