"""Typed records of briefmap's geodata.

The boundary (`layers.boundary`) turns files into these records and reports every problem it
finds; code past the boundary trusts them. Records are frozen so a loaded bundle can be shared
between Streamlit sessions without one session changing what another sees.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from shapely.geometry.base import BaseGeometry


class Precision(StrEnum):
    """How exactly a geometry locates what it stands for."""

    EXACT = "exact"  # the point/line is the thing itself, from a gazetteer or survey
    APPROXIMATE = "approximate"  # near the thing; see the feature's location note
    REGION = "region"  # an area the reports name loosely ("the desert", "the coast")
    NOTIONAL = "notional"  # a concept drawn for orientation, not a surveyed route


# How far (km) a geometry may lie from what its coord_source gives, by its stated precision
# (checked by tests/test_locations.py); popups show coordinates to the same grain.
PRECISION_KM = {
    Precision.EXACT: 0.1,
    Precision.APPROXIMATE: 2.0,
    Precision.REGION: 10.0,
    Precision.NOTIONAL: 10.0,
}


class ClaimType(StrEnum):
    FACT = "fact"  # a report states it as happening or having happened
    JUDGEMENT = "judgement"  # an assessment or opinion of the originator
    SCENARIO = "scenario"  # a possible future; drawn as hypothetical, never mixed with facts
    BACKGROUND = "background"  # assumed by the reports; carries its own outside reference


class Theme(StrEnum):
    SECURITY = "security"
    ECONOMY = "economy"
    POLITICS = "politics"
    CONTEXT = "context"
    SCENARIOS = "scenarios"


class DateBasis(StrEnum):
    """Where a feature's date comes from."""

    REPORT = "report"  # stated in a cited paragraph
    REFERENCE = "reference"  # from an outside reference (listed in `references`)
    INFERRED = "inferred"  # worked out by us from the reports (explained in `date_note_*`)


# Feature kinds. Place-like kinds name somewhere on the ground; the tests check that the
# paragraph cited for each of them contains its Arabic name or a recorded alias.
PLACE_KINDS = frozenset(
    {"place", "capital", "camp", "crossing", "governorate", "region", "country"}
)
FEATURE_KINDS = PLACE_KINDS | frozenset(
    {
        "border",
        "route",
        "pipeline",
        "corridor",
        "area",
        "event",
        "presence",
        "link",
        "facility",
        "withdrawal",
    }
)

LINE_KINDS = frozenset({"border", "route", "pipeline", "link"})


@dataclass(frozen=True, slots=True)
class Citation:
    """A paragraph of a report: the N-th non-empty line of the file, counting from 1."""

    report: str
    paragraph: int

    def label(self) -> str:
        return f"{self.report}, paragraph {self.paragraph}"


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two sources disagree on a detail; both readings are kept."""

    field: str
    note_en: str
    note_ar: str
    sources: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class DateSpan:
    """An EDTF date with the calendar period it covers; None bounds are open."""

    edtf: str
    start: date | None
    end: date | None

    def overlaps(self, lo: date | None, hi: date | None) -> bool:
        """True if this period shares at least one day with [lo, hi] (None = unbounded)."""
        if hi is not None and self.start is not None and self.start > hi:
            return False
        return not (lo is not None and self.end is not None and self.end < lo)


@dataclass(frozen=True, slots=True)
class Feature:
    id: str
    layer: str
    kind: str
    name_en: str
    name_ar: str
    summary_en: str
    summary_ar: str
    actors: tuple[str, ...]
    incident_type: str | None
    date: DateSpan | None
    date_basis: DateBasis | None
    precision: Precision
    claim_type: ClaimType
    originator: str
    grade: str
    sources: tuple[Citation, ...]
    geometry: BaseGeometry
    coord_source: str
    location_note_en: str | None = None
    location_note_ar: str | None = None
    aliases_en: tuple[str, ...] = ()
    aliases_ar: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    status: str | None = None
    status_as_of: str | None = None
    date_note_en: str | None = None
    date_note_ar: str | None = None

    @property
    def reports(self) -> tuple[str, ...]:
        """Distinct report files cited, in order of first citation."""
        return tuple(dict.fromkeys(c.report for c in self.sources))


@dataclass(frozen=True, slots=True)
class LayerStyle:
    colour: str
    fill_colour: str
    weight: float = 2.0
    fill_opacity: float = 0.2
    dash: str | None = None
    radius: float = 7.0


@dataclass(frozen=True, slots=True)
class Layer:
    id: str
    name_en: str
    name_ar: str
    theme: Theme
    visible: bool
    style: LayerStyle
    description_en: str
    description_ar: str
    hypothetical: bool = False
    marking: str = "TLP:CLEAR"  # handling marking (layers.marking): the dataset's, or higher


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name_en: str
    name_ar: str
    kind: str
    colour: str
    aliases_en: tuple[str, ...] = ()
    aliases_ar: tuple[str, ...] = ()
    valid_from: date | None = None
    valid_to: date | None = None
    acled_names: tuple[str, ...] = ()
    member_of: str | None = None
    note_en: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    file: str
    language: str
    date: str
    paragraphs: int
    sha256: str
    title_en: str
    title_ar: str
    retells: tuple[str, ...]
    boilerplate: tuple[int, ...] = ()
    outlet_en: str = "outlet not named"  # who published it, as a citation names it
    outlet_ar: str = "وسيلة غير مسماة"

    @property
    def number(self) -> str:
        """'000' for '000_0f03b8209ef71bac.txt': how people name the report."""
        stem = self.file.removesuffix(".txt")
        return stem.split("_", 1)[0] if "_" in stem else stem


@dataclass(frozen=True, slots=True)
class Originator:
    id: str
    name_en: str
    name_ar: str
    kind: str
    reliability: str  # Admiralty source reliability A-F for claims that start here
    note_en: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    """A work the reports retell (the Washington Institute report), not a file we hold."""

    id: str
    originator: str
    title_en: str
    title_ar: str
    date: str
    note_en: str = ""


@dataclass(frozen=True, slots=True)
class Reference:
    """An outside reference for a background fact the reports assume."""

    id: str
    title: str
    publisher: str
    date: str
    url: str | None = None
    note_en: str = ""


@dataclass(frozen=True, slots=True)
class Annotation:
    """A timeline entry: a dated or datable statement, or an undated scenario."""

    id: str
    kind: str  # event | period | statement | scenario
    date: DateSpan | None
    date_basis: DateBasis | None
    title_en: str
    title_ar: str
    text_en: str
    text_ar: str
    actors: tuple[str, ...]
    features: tuple[str, ...]
    sources: tuple[Citation, ...]
    claim_type: ClaimType
    originator: str
    grade: str
    references: tuple[str, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    date_note_en: str | None = None
    date_note_ar: str | None = None


@dataclass(frozen=True, eq=False)  # compared and hashed by identity (used as a cache key)
class Geodata:
    """Everything the shipped (or a user's) geodata folder holds, validated."""

    layers: Mapping[str, Layer]
    actors: Mapping[str, Actor]
    reports: Mapping[str, Report]
    originators: Mapping[str, Originator]
    documents: Mapping[str, Document]
    references: Mapping[str, Reference]
    features: tuple[Feature, ...]
    annotations: tuple[Annotation, ...] = ()
    # `layers.walkthrough.Walkthrough` records: they hold views, and the view (`layers.view`)
    # is built on these records, so this module names neither
    walkthroughs: Mapping[str, Any] = field(default_factory=dict)
    area_of_interest: tuple[float, float, float, float] = (25.0, 20.0, 60.0, 40.5)
    _by_id: dict[str, Feature] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({f.id: f for f in self.features})

    def feature(self, feature_id: str) -> Feature:
        return self._by_id[feature_id]

    def in_layer(self, layer_id: str) -> tuple[Feature, ...]:
        return tuple(f for f in self.features if f.layer == layer_id)
