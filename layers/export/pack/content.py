"""What a briefing pack says, whatever its format: scenes, legend, sources, marking, DTG."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from layers.dtg import dtg
from layers.i18n import pick
from layers.marking import Marking, banner_marking, parse
from layers.model import Citation, Feature, Geodata
from layers.render.legend import LegendItem, legend_items, legend_keys
from layers.reports.labels import paragraphs_label, reference_label
from layers.walkthrough import Scene, Walkthrough, scene_view


@dataclass(frozen=True)
class PackContent:
    walkthrough: Walkthrough
    lang: str
    title: str
    description: str
    dtg: str
    marking: Marking
    scenes: tuple[Scene, ...]
    features: tuple[tuple[Feature, ...], ...]  # per scene, what its view selects
    legend: tuple[LegendItem, ...]
    keys: tuple[str, ...]
    sources: tuple[str, ...]  # one line per report and per outside reference

    def scene_title(self, i: int) -> str:
        s = self.scenes[i]
        return pick(s.title_en, s.title_ar, self.lang)

    def scene_points(self, i: int) -> tuple[str, ...]:
        s = self.scenes[i]
        return s.points_ar if self.lang == "ar" else s.points_en

    def scene_notes(self, i: int) -> str:
        s = self.scenes[i]
        return pick(s.notes_en, s.notes_ar, self.lang)


def pack_content(
    walkthrough: Walkthrough,
    geodata: Geodata,
    lang: str,
    when: datetime,
    classification: str | None = None,
) -> PackContent:
    """Raises MarkingError when `classification` is below what any scene shows."""
    views = [scene_view(s, lang) for s in walkthrough.scenes]
    features = tuple(tuple(v.select(geodata)) for v in views)
    markings = {
        lid: parse(geodata.layers[lid].marking) for v in views for lid in v.visible_layers(geodata)
    }
    unique = list({f.id: f for fs in features for f in fs}.values())
    citations = [c for s in walkthrough.scenes for c in s.sources]
    citations += [c for f in unique for c in f.sources]
    references = list(dict.fromkeys(r for f in unique for r in f.references))
    return PackContent(
        walkthrough,
        lang,
        pick(walkthrough.title_en, walkthrough.title_ar, lang),
        pick(walkthrough.description_en, walkthrough.description_ar, lang),
        dtg(when),
        banner_marking(markings, classification),
        walkthrough.scenes,
        features,
        tuple(legend_items(unique, geodata, lang)),
        tuple(legend_keys(unique, lang)),
        tuple(source_lines(citations, references, geodata, lang)),
    )


def source_lines(
    citations: list[Citation], references: list[str], geodata: Geodata, lang: str
) -> list[str]:
    """Every report with the paragraphs cited (the citations' own wording, then our title of
    the report and its file), then every outside reference. Nothing is quoted from a report."""
    by_report: dict[str, list[int]] = {}
    for c in citations:
        by_report.setdefault(c.report, []).append(c.paragraph)
    lines = []
    for file, paras in sorted(by_report.items()):
        report = geodata.reports[file]
        cited = paragraphs_label(file, paras, geodata.reports, lang)
        lines.append(f"{cited} — {pick(report.title_en, report.title_ar, lang)} ({file})")
    for rid in references:
        ref = geodata.references.get(rid)
        if ref is None:
            continue
        lines.append(reference_label(ref, lang) + (f" — {ref.url}" if ref.url else ""))
    return lines
