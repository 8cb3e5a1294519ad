"""One error family: every exception class briefmap defines in `layers/` is a BriefmapError
(keeping the older base its callers catch), the `briefmap` command turns each one into one line
on stderr and a non-zero exit with no traceback, and the dashboard's words for it are escaped
for Streamlit's Markdown."""

from __future__ import annotations

import errno
import importlib
import pkgutil
from pathlib import Path

import pytest

import layers
from layers.cli import commands as cli
from layers.errors import (
    BriefmapError,
    ConfigError,
    ExportError,
    InputError,
    StorageError,
    app_message,
    exit_code,
)

SKIP_SUFFIX = ".__main__"  # a `python -m` entry runs its command on import


def _defined_exceptions() -> list[type[BaseException]]:
    found = {}
    for info in pkgutil.walk_packages(layers.__path__, "layers."):
        if info.name.endswith(SKIP_SUFFIX):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, BaseException)
                and value.__module__ == info.name
            ):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[k] for k in sorted(found)]


EXCEPTIONS = _defined_exceptions()
BASES_KEPT = {  # class name: the older base its callers catch, still a base
    "FileRefused": OSError,
    "DiskFull": OSError,
    "StoreError": RuntimeError,
    "BuildError": RuntimeError,
    "ProductError": ValueError,
    "SnapshotError": ValueError,
    "ExportError": ValueError,
    "MarkingError": ValueError,
    "ArchiveError": ValueError,
    "EventDataError": ValueError,
    "ServeError": ValueError,
    "UnsafeTarget": ValueError,
    "ManifestError": ValueError,
    "DateError": ValueError,
}


def test_the_walk_finds_the_classes_it_should():
    names = {c.__name__ for c in EXCEPTIONS}
    assert len(EXCEPTIONS) >= 25, sorted(names)
    assert {"GeodataError", "StoreError", "ProductError", "ArchiveError", "DiskFull"} <= names


@pytest.mark.parametrize("cls", EXCEPTIONS, ids=lambda c: c.__name__)
def test_every_exception_class_in_layers_is_a_briefmap_error(cls):
    assert issubclass(cls, BriefmapError), f"{cls.__module__}.{cls.__name__}"


KINDS = (InputError, StorageError, ExportError, ConfigError)


@pytest.mark.parametrize(
    "cls", [c for c in EXCEPTIONS if c.__module__ != "layers.errors"], ids=lambda c: c.__name__
)
def test_every_exception_class_is_of_one_kind(cls):
    """Not BriefmapError directly: each is bad input, storage, an export request or options,
    which decides its exit status and how a surface words it."""
    kinds = [k.__name__ for k in KINDS if issubclass(cls, k)]
    assert len(kinds) == 1, f"{cls.__module__}.{cls.__name__}: {kinds or 'no kind'}"


def test_the_family_is_the_base_and_its_four_kinds():
    family = {c.__name__ for c in EXCEPTIONS if c.__module__ == "layers.errors"}
    assert family == {"BriefmapError", *(k.__name__ for k in KINDS)}


@pytest.mark.parametrize("name", sorted(BASES_KEPT))
def test_each_class_keeps_its_older_base(name):
    cls = next(c for c in EXCEPTIONS if c.__name__ == name)
    assert issubclass(cls, BASES_KEPT[name])


def _instance(cls: type[BaseException]) -> BaseException:
    """One of `cls`, made with the arguments its constructor takes; a message that names a
    file and holds Markdown the app must not render."""
    name = cls.__name__
    says = "bad [thing](http://example.com/x.png) in *file.csv*"
    if name == "GeodataError":
        return cls([says])
    if name == "EventDataError":
        return cls("file.csv", [says])
    if name == "ReportsError":
        return cls(Path("reports"), [says])
    if name == "FileRefused":
        return cls("file.csv", says)
    if name == "YamlLimitError":
        return cls(says, None)
    if name == "DiskFull":
        return cls("file.csv")
    return cls(says)


@pytest.mark.parametrize("cls", EXCEPTIONS, ids=lambda c: c.__name__)
def test_the_command_line_says_each_in_one_line_and_exits_non_zero(cls, monkeypatch, capsys):
    exc = _instance(cls)

    def fail(_args):
        raise exc

    monkeypatch.setattr(cli, "_validate", fail)
    code = cli.main(["validate"])
    out = capsys.readouterr()
    assert code == exit_code(exc) and code in (1, 2)
    lines = out.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("briefmap validate: "), out.err
    assert "file.csv" in lines[0] and "Traceback" not in out.err


@pytest.mark.parametrize("cls", EXCEPTIONS, ids=lambda c: c.__name__)
def test_the_app_message_is_escaped_for_markdown(cls):
    exc = _instance(cls)
    text = app_message(exc)
    assert "file.csv" in text.replace("\\", "")
    assert "\n" not in text
    if "[thing]" not in str(exc):
        return  # DiskFull says only "disk full writing <path>"
    assert "\\[thing\\]\\(" in text and "\\*file" in text  # shown as typed, not a link
    assert "](" not in text and "[thing]" not in text and " *file" not in text


def test_exit_codes_follow_the_kind():
    assert exit_code(InputError("x")) == exit_code(StorageError("x")) == 1
    assert exit_code(ExportError("x")) == exit_code(ConfigError("x")) == 2
    assert exit_code(OSError(errno.ENOENT, "No such file")) == 1


def test_an_error_outside_the_family_is_still_raised(monkeypatch):
    def fail(_args):
        raise KeyError("a bug, not a message")

    monkeypatch.setattr(cli, "_validate", fail)
    with pytest.raises(KeyError):
        cli.main(["validate"])
