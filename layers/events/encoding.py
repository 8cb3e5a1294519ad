"""Which encoding a user's text file is in: UTF-8 (with or without BOM) when its bytes are
UTF-8, else what charset-normalizer detects from a sample (Windows-1252 and Latin-1 files from
ACLED's 2015–2017 exports and spreadsheet re-saves), or the one the user names."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from layers.errors import InputError

SAMPLE = 1 << 20  # bytes read to decide


class EncodingError(InputError, ValueError):
    """The encoding the user named does not exist."""


def known(name: str) -> str:
    """Python's name for an encoding the user named (`--encoding cp1252`)."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise EncodingError(
            f"unknown encoding {name[:40]!r}; try utf-8, cp1252 (Windows-1252) or latin-1"
        ) from None


def detect(sample: bytes) -> str:
    """'utf-8' when the sample is UTF-8 (a character cut at its end is allowed) or holds any
    UTF-8 beyond ASCII (a UTF-8 file with a broken byte is reported line by line, never read
    as another encoding); else the detector's best guess; else 'utf-8'."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    text = sample.decode("utf-8", errors="surrogateescape")
    if any(ord(c) > 0x7F and not 0xDC80 <= ord(c) <= 0xDCFF for c in text):
        return "utf-8"
    best = from_bytes(sample).best()
    return codecs.lookup(best.encoding).name if best is not None else "utf-8"


def display(name: str) -> str:
    return {
        "utf-8": "UTF-8",
        "cp1252": "Windows-1252",
        "latin-1": "Latin-1",
        "iso8859-1": "Latin-1",
    }.get(name, name)
