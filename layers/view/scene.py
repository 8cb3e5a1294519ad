"""A View as a walkthrough scene's `view:` mapping, and back (the filters' keys from their
declarations, plus the scene's frame, `extent`). The boundary (`layers.boundary.walkthroughs`)
reads a file with `read_view`; `layers.walkthrough` writes one with `view_spec`."""

from __future__ import annotations

from typing import Any

from layers.view import filters
from layers.view.spec import Vocabulary
from layers.view.value import View

Bounds = tuple[float, float, float, float]
FRAME_KEYS = ("extent",)


def keys() -> tuple[str, ...]:
    """The keys a scene's `view:` may have, in the order a file writes them."""
    return (*(k for spec in filters.declared() for k in spec.yaml_keys), *FRAME_KEYS)


def view_spec(view: View, extent: Bounds | None) -> dict[str, Any]:
    """A View (plus a frame) in the walkthrough file's `view:` form."""
    spec: dict[str, Any] = {}
    for declared in filters.declared():
        if declared.write_yaml is not None:
            spec.update(declared.write_yaml(view.filter))
    if extent:
        spec["extent"] = [round(v, 4) for v in extent]
    return spec


def read_view(v: Any, vocab: Vocabulary) -> View | None:
    """The filters of a scene's `view:` mapping, read with `v` (`layers.boundary.problems.
    Fields`, which logs each problem); None if any was wrong. The extent is the caller's."""
    v.unknown(keys())
    fields: dict[str, Any] = {}
    for declared in filters.declared():
        if declared.read_yaml is not None:
            fields.update(declared.read_yaml(v, vocab))
    return View(**fields) if v.ok else None
