"""The copy check: no string of ours shares a run of six words with a report.

Words are compared in the normal form of `layers.names.words` (Arabic letter forms, diacritics
and punctuation of both scripts folded), once with the tatweel as a word break and once with it
deleted, so neither a run glued together with "ـ" nor a word stretched by it slips through; and
each of those again with the conjunction «و» and the article «ال» folded off every word, so a run
respelt by adding or dropping them is caught too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import yaml

from layers.names import normalize, words

NGRAM = 6
DATA_SUFFIXES = (".json", ".geojson", ".yaml", ".yml")


def fold_affixes(word: str) -> str:
    """A word without a leading conjunction «و» and article «ال», so that adding or dropping
    either («التقارير» / «تقارير», «والأسلحة» / «أسلحة») does not hide a copied run. At least
    two letters are kept («الى» stays)."""
    if word.startswith("و") and len(word) >= 3:
        word = word[1:]
    if word.startswith("ال") and len(word) >= 4:
        word = word[2:]
    return word


def word_variants(text: str) -> tuple[list[str], ...]:
    plain = (words(text), normalize(text).split())
    return plain + tuple([fold_affixes(w) for w in ws] for ws in plain)


def runs(text: str, n: int = NGRAM) -> set[tuple[str, ...]]:
    out = set()
    for w in word_variants(text):
        out.update(tuple(w[i : i + n]) for i in range(len(w) - n + 1))
    return out


def report_runs(paragraphs: Iterable[str], n: int = NGRAM) -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for paragraph in paragraphs:
        out |= runs(paragraph, n)
    return out


def shared_runs(text: str, grams: set[tuple[str, ...]], n: int = NGRAM) -> list[str]:
    """The runs of `n` words `text` shares with `grams`, as text."""
    return sorted(" ".join(g) for g in runs(text, n) & grams)


def data_files(root: Path) -> list[Path]:
    """Every data file of a geodata folder but the Natural Earth basemap."""
    return sorted(
        p
        for p in root.rglob("*")
        if p.suffix in DATA_SUFFIXES and "basemap" not in p.relative_to(root).parts
    )


def load(path: Path):
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        return yaml.safe_load(text)
    return json.loads(text)


def strings(value, where: str = "") -> Iterator[tuple[str, str]]:
    """(where, text) for every string in a loaded JSON/YAML value."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from strings(v, f"{where}[{i}]")
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(v, f"{where}.{k}" if where else str(k))
