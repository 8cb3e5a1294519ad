"""What a product shows, worked out once for every renderer: the features in the frame, their
legend, the marking, the citations, the credits and the information cut-off. No drawing here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from layers.dates import describe, parse_date
from layers.marking import Marking, banner_marking, parse
from layers.model import Citation, Feature, Geodata
from layers.render.legend import LegendItem, legend_items, legend_keys
from layers.reports.labels import sources_line
from layers.snapshot.words import w
from layers.view import View

if TYPE_CHECKING:
    from layers.snapshot.events import EventsDrawn
    from layers.snapshot.labels import PlacedLabel


@dataclass(frozen=True)
class Contents:
    features: tuple[Feature, ...]  # what is drawn
    highlight: tuple[Feature, ...]
    legend: tuple[LegendItem, ...]
    keys: tuple[str, ...]
    marking: Marking
    citations: tuple[Citation, ...]
    references: tuple[str, ...]
    credits: tuple[str, ...]
    cutoff: str
    events: EventsDrawn | None = None  # imported incidents drawn, if any are in the frame
    labels: tuple[PlacedLabel, ...] = ()  # the map's labels as placed and joined


def layer_markings(view: View, geodata: Geodata) -> dict[str, Marking]:
    """Each layer the view shows, with its marking. A layer that is on counts even when none of
    its features is in the frame: over-marking is safe, under-marking is not."""
    return {lid: parse(geodata.layers[lid].marking) for lid in view.visible_layers(geodata)}


def gather(
    view: View,
    geodata: Geodata,
    drawn: Sequence[Feature],
    highlight: Sequence[Feature] = (),
    sources: Iterable[Citation] = (),
    classification: str | None = None,
    more_markings: Mapping[str, Marking] | None = None,
) -> Contents:
    """The contents of one map: `drawn` are the features inside its frame; `more_markings`
    the markings of other data shown (imported incidents). A requested classification below
    the content's marking raises MarkingError."""
    lang = view.lang
    markings = {**layer_markings(view, geodata), **(more_markings or {})}
    marking = banner_marking(markings, classification)
    citations = tuple(dict.fromkeys([*sources, *(c for f in drawn for c in f.sources)]))
    references = tuple(dict.fromkeys(r for f in drawn for r in f.references))
    keys = legend_keys(drawn, lang)
    if highlight:
        keys = [*keys, w("highlight", lang)]
    return Contents(
        tuple(drawn),
        tuple(highlight),
        tuple(legend_items(drawn, geodata, lang)),
        tuple(keys),
        marking,
        citations,
        references,
        tuple(credits(drawn, lang)),
        cutoff(citations, references, geodata, lang),
    )


def with_events(contents: Contents, events: EventsDrawn | None, lang: str) -> Contents:
    """The contents with imported incidents drawn: their legend and notes after the layers',
    and the datasets they come from (ACLED, UCDP GED) in the credits."""
    if events is None:
        return contents
    credits = contents.credits
    for name in events.datasets:
        credit = w(DATASET_CREDITS[name], lang)
        if credit not in credits:
            credits = (*credits, credit)
    return replace(
        contents,
        legend=(*contents.legend, *events.legend),
        keys=(*contents.keys, *events.keys),
        credits=credits,
        events=events,
    )


DATASET_CREDITS = {"ACLED": "credit_acled", "UCDP GED": "credit_ucdp"}


def credits(features: Iterable[Feature], lang: str, basemap_credit: str | None = None) -> list[str]:
    """Natural Earth always (the basemap); GeoNames, OpenStreetMap and ACLED when used."""
    out = [w("credit_ne", lang)]
    sources = {f.coord_source.split(":", 1)[0] for f in features}
    if "geonames" in sources:
        out.append(w("credit_geonames", lang))
    if "acled" in sources:
        out.append(w("credit_acled", lang))
    if basemap_credit and "openstreetmap" in basemap_credit.lower():
        out.append(w("credit_osm", lang))
    return out


def cutoff(
    citations: Iterable[Citation], references: Iterable[str], geodata: Geodata, lang: str
) -> str:
    """The date of the newest source behind what is shown, at the precision it is known."""
    dates = [geodata.reports[c.report].date for c in citations]
    dates += [geodata.references[r].date for r in references if r in geodata.references]
    spans = [parse_date(d) for d in dates if d]
    spans = [s for s in spans if s.start is not None]
    if not spans:
        return w("cutoff", lang, d="—")
    # by start: a reference dated only "2025" is not newer than a report of November 2025
    newest = max(spans, key=lambda s: (s.start, s.end or s.start))
    return w("cutoff", lang, d=describe(newest, lang))


def citation_line(contents: Contents, geodata: Geodata, lang: str) -> str:
    """The footer's citations: each report with its paragraphs, then outside references, in
    the wording of every other citation (`layers.reports.labels`)."""
    refs = [geodata.references[r] for r in contents.references if r in geodata.references]
    return sources_line(contents.citations, refs, geodata.reports, lang)
