"""Read and verify a reports folder against the checksums recorded in sources.json."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from layers.errors import InputError
from layers.model import Citation, Report


class ReportsError(InputError):
    """A reports folder that cannot be trusted: every problem, each naming its file."""

    def __init__(self, folder: Path, problems: list[str]):
        self.folder = folder
        self.problems = tuple(problems)
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"reports folder {folder}: {len(problems)} problem(s):\n{lines}")


@dataclass(frozen=True)
class Library:
    """The report files that were found and verified, as paragraphs."""

    folder: Path | None
    texts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # file -> paragraphs
    # file -> local URL of its paragraphs as JSON ({"7": "…"}), for a map that fetches the
    # paragraph when its citation is opened instead of carrying every paragraph in every popup
    urls: Mapping[str, str] = field(default_factory=dict)

    def loaded(self, report: str) -> bool:
        return report in self.texts

    def paragraph(self, citation: Citation) -> str | None:
        """The cited paragraph's text, or None when that report is not loaded."""
        paragraphs = self.texts.get(citation.report)
        if paragraphs is None or not 1 <= citation.paragraph <= len(paragraphs):
            return None
        return paragraphs[citation.paragraph - 1]

    def url(self, citation: Citation) -> str | None:
        """Where a page may fetch the cited paragraph (None: it must carry the text itself)."""
        return self.urls.get(citation.report) if self.paragraph(citation) is not None else None

    def missing(self, reports: Mapping[str, Report]) -> list[str]:
        return [name for name in reports if name not in self.texts]


NO_REPORTS = Library(None)


def paragraphs_of(text: str) -> tuple[str, ...]:
    """Paragraph N (1-based) is the N-th non-empty line."""
    return tuple(line for line in text.splitlines() if line.strip())


def load_reports(folder: Path | None, reports: Mapping[str, Report]) -> Library:
    """Verify and read the recorded reports found in `folder` (None: no reports).

    Raise ReportsError if the folder is not a directory, or if a report file is there but
    differs from its record (checksum, encoding, paragraph count). Missing files are simply
    not loaded.
    """
    if folder is None:
        return NO_REPORTS
    folder = Path(folder)
    if not folder.is_dir():
        raise ReportsError(folder, ["is not a folder (give --reports DIR, or --no-reports)"])
    texts: dict[str, tuple[str, ...]] = {}
    problems: list[str] = []
    for name, record in reports.items():
        path = folder / name
        if not path.is_file():
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != record.sha256:
            problems.append(
                f"{name}: SHA-256 {digest} does not match {record.sha256} recorded in "
                "sources.json (another version of the report: its paragraphs would be wrong)"
            )
            continue
        try:
            paragraphs = paragraphs_of(data.decode("utf-8"))
        except UnicodeDecodeError as exc:
            problems.append(f"{name}: not UTF-8 text ({exc})")
            continue
        if len(paragraphs) != record.paragraphs:
            problems.append(
                f"{name}: {len(paragraphs)} paragraphs, sources.json records {record.paragraphs}"
            )
            continue
        texts[name] = paragraphs
    if problems:
        raise ReportsError(folder, problems)
    return Library(folder, texts)
