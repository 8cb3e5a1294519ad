"""Lines of print text wrapped to a width: by an average glyph width (`fit_lines`) or as the
renderer measures them in the page's font (`measured_lines`), never inside a bracketed
group that fits on a line."""

from __future__ import annotations

import re
import textwrap

from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from layers.snapshot.text import families


def fit_lines(text: str, width_in: float, size_pt: float, max_lines: int) -> list[str]:
    """Wrap `text` to a box `width_in` wide (average glyph ~0.52 em); cut with … if needed."""
    chars = max(20, int(width_in * 72 / (size_pt * 0.52)))
    lines = textwrap.wrap(text, chars) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: chars - 1].rstrip() + "…"
    return lines


def measured_lines(
    fig: Figure, text: str, width_in: float, size_pt: float, lang: str, max_lines: int
) -> list[str]:
    """Wrap `text` to `width_in` as the renderer measures it in the page's font (a long
    footer of Latin titles outgrows an average-glyph estimate); cut with … if needed."""
    renderer = fig.canvas.get_renderer()
    font = FontProperties(family=families(lang), size=size_pt)
    limit = width_in * fig.dpi

    def fits(line: str) -> bool:
        width, _h, _d = renderer.get_text_width_height_descent(line, font, ismath=False)
        return width <= limit

    lines: list[str] = []
    for word in _words(text, fits):
        if lines and fits(f"{lines[-1]} {word}"):
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        while lines[-1] and not fits(lines[-1] + " …"):
            lines[-1] = lines[-1].rsplit(" ", 1)[0] if " " in lines[-1] else ""
        lines[-1] += " …"
    return lines or [""]


# A bracketed group ("(Natural Earth، 2023)", "(Reuters، 2019-09-30)") with what sticks to it.
_GROUP = re.compile(r"[^\s(]*\([^()]*\)\S*|\S+")


def _words(text: str, fits) -> list[str]:
    """The units a line may break between: words, but a bracketed group stays on one line
    (split at its own spaces only if it is longer than a line)."""
    out = []
    for group in _GROUP.findall(text):
        out.extend([group] if " " not in group or fits(group) else group.split())
    return out
