"""The one boundary for briefmap's own geodata files.

`load_geodata()` reads the context files (sources, actors, layer catalogue), every feature
file and the timeline, checks each against the others, and returns a validated `Geodata`
or raises `GeodataError` listing every problem with file, item, field and what was expected.

May import: the core records and rules it checks against (`layers.model`, `layers.dates`,
`layers.marking`, `layers.grades`, `layers.locations`, `layers.contract`, `layers.names`,
`layers.view`/`layers.table` for a scene's view and the feature types), `layers.errors`,
`layers.paths`. Never rendering, exports, the command line or the app.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from layers.boundary.catalogue import read_catalogue
from layers.boundary.claims import Known, known_ids
from layers.boundary.context import (
    Context,
    check_unique,
    declared_ids,
    read_actors,
    read_sources,
)
from layers.boundary.features import read_feature_collection
from layers.boundary.jsonio import read_json
from layers.boundary.problems import GeodataError, Problem, ProblemLog, short_name, show
from layers.boundary.regular import FileRefused, read_bounded
from layers.boundary.timeline import read_timeline
from layers.boundary.walkthroughs import SceneContext, walkthrough_from_text
from layers.boundary.yamlio import MAX_BYTES as MAX_YAML_BYTES
from layers.model import Geodata
from layers.paths import (
    ACTORS_FILE,
    CATALOGUE_FILE,
    DEFAULT_GEODATA_DIR,
    FEATURES_DIR,
    SOURCES_FILE,
    TIMELINE_FILE,
    WALKTHROUGH_SUFFIXES,
    WALKTHROUGHS_DIR,
    display_path,
)
from layers.table import feature_type
from layers.walkthrough import Walkthrough

__all__ = ["GeodataError", "Problem", "ValidationResult", "load_geodata", "validate"]


@dataclass(frozen=True)
class ValidationResult:
    geodata: Geodata | None
    problems: tuple[Problem, ...]
    files: tuple[str, ...]
    total: int = 0  # every problem found, listed or not (the list stops at MAX_PROBLEMS)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def count(self) -> int:
        return max(self.total, len(self.problems))


def load_geodata(root: Path | None = None) -> Geodata:
    """Load the geodata folder (default: the shipped one); raise GeodataError on any problem."""
    result = validate(root)
    if result.problems:
        raise GeodataError(result.problems, result.count)
    assert result.geodata is not None
    return result.geodata


def validate(root: Path | None = None, files: Sequence[Path] = ()) -> ValidationResult:
    """Validate the geodata folder, with `files` taking the place of same-named files in it.

    A given `sources.json`, `actors.json`, `layers.json` or `timeline.json` replaces the
    folder's; a given `.geojson` (feature file) or `.yaml` (walkthrough) replaces the file of
    the same name or is added.
    """
    root = Path(root) if root is not None else DEFAULT_GEODATA_DIR
    plan = _plan(root, [Path(p) for p in files])
    log = ProblemLog()
    context = _read_context(plan, log)
    declared = context.declared
    known = known_ids(
        declared["layers"],
        declared["actors"],
        declared["originators"],
        declared["references"],
        context.reports.values(),
    )
    features, where, feature_ids = [], [], set()
    features_dir = root / FEATURES_DIR
    if not features_dir.is_dir():  # one problem; references to features go unchecked
        log.add(display_path(features_dir) + "/", "", "", "folder not found")
        feature_ids = None
    for path in plan["features"]:
        name = display_path(path)
        data = read_json(path, name, log)
        if data is None:
            continue
        if feature_ids is not None:
            feature_ids |= _declared_feature_ids(data)
        for i, feature in enumerate(
            read_feature_collection(data, name, known, log, context.area_of_interest)
        ):
            features.append(feature)
            where.append((feature.id, name, f"features (id {show(feature.id)}, #{i})"))
    check_unique(where, log, "feature")
    annotations = _read_annotations(plan["timeline"], known, log, feature_ids)
    scene_ctx = SceneContext(
        known,
        frozenset(feature_type(f) for f in features) if feature_ids is not None else None,
        frozenset(feature_ids) if feature_ids is not None else None,
    )
    walkthroughs = _read_walkthroughs(plan["walkthroughs"], scene_ctx, log)
    shown = tuple(display_path(p) for group in plan.values() for p in group)
    if log.problems:
        return ValidationResult(None, tuple(log.problems), shown, log.total)
    geodata = Geodata(
        layers=context.layers,
        actors=context.actors,
        reports=context.reports,
        originators=context.originators,
        documents=context.documents,
        references=context.references,
        features=tuple(features),
        annotations=tuple(annotations),
        walkthroughs=walkthroughs,
        area_of_interest=context.area_of_interest,
    )
    return ValidationResult(geodata, (), shown)


def _read_walkthroughs(
    paths: list[Path], ctx: SceneContext, log: ProblemLog
) -> dict[str, Walkthrough]:
    out: dict[str, Walkthrough] = {}
    for path in paths:
        name = display_path(path)
        try:
            text = read_bounded(path, MAX_YAML_BYTES).decode("utf-8")
        except FileRefused as exc:
            log.add(name, "", "", str(exc.strerror))
            continue
        except OSError as exc:
            log.add(name, "", "", f"cannot be read: {exc.strerror}")
            continue
        except UnicodeDecodeError as exc:
            log.add(name, f"byte {exc.start}", "", "is not UTF-8 text")
            continue
        walkthrough = walkthrough_from_text(text, name, ctx, log)
        if walkthrough is None:
            continue
        if walkthrough.id in out:
            log.add(name, "", "id", f"duplicate walkthrough id {show(walkthrough.id)}")
        out[walkthrough.id] = walkthrough
    return out


def validate_walkthrough_text(
    text: str, name: str, geodata: Geodata
) -> tuple[Walkthrough | None, tuple[Problem, ...]]:
    """Check a walkthrough someone hands us (an upload) against loaded geodata."""
    log = ProblemLog()
    ctx = SceneContext(
        known_ids(
            geodata.layers,
            geodata.actors,
            geodata.originators,
            geodata.references,
            geodata.reports.values(),
        ),
        frozenset(feature_type(f) for f in geodata.features),
        frozenset(f.id for f in geodata.features),
    )
    walkthrough = walkthrough_from_text(text, name, ctx, log)
    return (walkthrough if not log.problems else None), tuple(log.problems)


def validate_walkthrough_upload(
    name: str, data: bytes, geodata: Geodata
) -> tuple[Walkthrough | None, tuple[Problem, ...]]:
    """Check a walkthrough file someone uploads: its size before anything is read, then its
    encoding, then everything `validate_walkthrough_text` checks. `name` is shown, not used."""
    name = short_name(Path(str(name)).name or "upload")
    if len(data) > MAX_YAML_BYTES:
        problem = Problem(
            name,
            "",
            "",
            f"is {len(data):,} bytes; a walkthrough file has at most {MAX_YAML_BYTES:,}",
        )
        return None, (problem,)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, (Problem(name, f"byte {exc.start}", "", "is not UTF-8 text"),)
    return validate_walkthrough_text(text, name, geodata)


def _plan(root: Path, given: list[Path]) -> dict[str, list[Path]]:
    """Which file plays which part: the folder's files, replaced or joined by `given`."""
    by_name = {p.name: p for p in given}
    plan = {
        "context": [by_name.pop(n, root / n) for n in (SOURCES_FILE, ACTORS_FILE, CATALOGUE_FILE)],
        "timeline": [by_name.pop(TIMELINE_FILE, root / TIMELINE_FILE)],
    }
    walk_dir = root / WALKTHROUGHS_DIR
    shipped_walks = sorted(p for p in walk_dir.glob("*") if p.suffix in WALKTHROUGH_SUFFIXES)
    plan["walkthroughs"] = [by_name.pop(p.name, p) for p in shipped_walks]
    added_walks = [p for p in by_name.values() if p.suffix in WALKTHROUGH_SUFFIXES]
    for p in added_walks:
        del by_name[p.name]
    plan["walkthroughs"] += added_walks
    shipped = sorted((root / FEATURES_DIR).glob("*.geojson"))
    plan["features"] = [by_name.pop(p.name, p) for p in shipped] + list(by_name.values())
    return plan


def _declared_feature_ids(data: object) -> set[str]:
    entries = data.get("features") if isinstance(data, dict) else None
    out = set()
    for entry in entries if isinstance(entries, list) else ():
        props = entry.get("properties") if isinstance(entry, dict) else None
        if isinstance(props, dict) and isinstance(props.get("id"), str):
            out.add(props["id"])
    return out


def _read_context(plan: dict[str, list[Path]], log: ProblemLog) -> Context:
    sources_path, actors_path, catalogue_path = plan["context"]
    name = display_path(sources_path)
    sources = read_json(sources_path, name, log)
    reports, originators, documents, references = read_sources(sources, name, log)
    name = display_path(actors_path)
    actors_data = read_json(actors_path, name, log)
    actors = read_actors(actors_data, name, log)
    name = display_path(catalogue_path)
    catalogue = read_json(catalogue_path, name, log)
    layers, aoi = read_catalogue(catalogue, name, log)
    declared = {
        "originators": declared_ids(sources, "originators"),
        "references": declared_ids(sources, "references"),
        "actors": declared_ids(actors_data, "actors"),
        "layers": declared_ids(catalogue, "layers"),
    }
    return Context(declared, reports, originators, documents, references, actors, layers, aoi)


def _read_annotations(
    paths: list[Path], known: Known, log: ProblemLog, feature_ids: set[str] | None
):
    path = paths[0]
    name = display_path(path)
    data = read_json(path, name, log)
    if data is None:
        return []
    annotations = read_timeline(data, name, known, log)
    check_unique(
        ((a.id, name, f"annotations (id {show(a.id)})") for a in annotations), log, "annotation"
    )
    for a in annotations if feature_ids is not None else ():
        for fid in a.features:
            if fid not in feature_ids:
                log.add(
                    name,
                    f"annotations (id {show(a.id)})",
                    "features",
                    f"unknown feature id {show(fid)}",
                )
    return annotations
