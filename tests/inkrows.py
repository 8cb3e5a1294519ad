"""Text rows of a page image compared as ink: where a PDF's raster and the PNG of the same
page disagree. A row is a band of pixel rows holding ink; within a row, the columns holding ink.
A lost space, a bracket drawn over a digit, a reversed range or a run moved by bidi all change
which columns hold ink; anti-aliasing (Agg's against poppler's) moves an edge by a pixel."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels, y from the top


def ink(image: NDArray, threshold: int = 150) -> NDArray[np.bool_]:
    """Dark grey pixels of an RGB(A) or grey image: text ink, not the coloured swatches and
    hatches beside it (which Agg and poppler draw differently)."""
    if image.ndim == 2:
        return image < threshold
    rgb = image[..., :3].astype(np.int16)
    neutral = (rgb.max(axis=2) - rgb.min(axis=2)) < 40
    return (rgb.mean(axis=2) < threshold) & neutral


def rows(mask: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """Bands of consecutive pixel rows with ink: (first, last + 1)."""
    inked = np.flatnonzero(mask.any(axis=1))
    if inked.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(inked) > 1)
    starts = np.r_[inked[0], inked[breaks + 1]]
    ends = np.r_[inked[breaks] + 1, inked[-1] + 1]
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _spread(columns: NDArray[np.bool_], px: int) -> NDArray[np.bool_]:
    out = columns.copy()
    for k in range(1, px + 1):
        out[k:] |= columns[:-k]
        out[:-k] |= columns[k:]
    return out


def _runs(flags: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """Runs of True: (first, last + 1)."""
    return rows(flags[:, None])


def row_differences(a: NDArray, b: NDArray, box: Box, slack: int = 1, wide: int = 3) -> list[str]:
    """How the text rows of two renders of one page differ inside `box`: in each band of
    rows that either image inks, the runs of at least `wide` columns inked in one image and
    blank (within `slack` px) in the other, and ink that starts or ends more than `slack` + 1
    rows apart. Empty when the two read the same."""
    x0, y0, x1, y1 = box
    ma, mb = ink(a)[y0:y1, x0:x1], ink(b)[y0:y1, x0:x1]
    problems = []
    for top, bottom in rows(ma | mb):
        la, lb = rows(ma[top:bottom]), rows(mb[top:bottom])
        if not la or not lb:
            problems.append(f"row at y={y0 + top}: ink in only one image")
            continue
        if abs(la[0][0] - lb[0][0]) > slack + 1 or abs(la[-1][1] - lb[-1][1]) > slack + 1:
            problems.append(f"row at y={y0 + top}: ink spans rows {la} against {lb}")
        ca, cb = ma[top:bottom].any(axis=0), mb[top:bottom].any(axis=0)
        for name, one, other in (("PNG", ca, cb), ("PDF", cb, ca)):
            for s, e in _runs(one & ~_spread(other, slack)):
                if e - s >= wide:
                    where = f"row at y={y0 + top}: x={x0 + s}-{x0 + e}"
                    problems.append(f"{where} inked only in {name}")
    return problems
