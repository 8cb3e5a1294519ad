"""YAML reading for the boundary (walkthrough files), bounded before anything is built.

PyYAML's `safe_load` still expands aliases: a 700-byte "billion laughs" file builds gigabytes.
Files people hand us are written by hand or by briefmap, neither of which needs anchors, so
aliases are refused outright, as are documents nested deeper or holding more nodes than a
walkthrough can reasonably have. Keys must be text and appear once per mapping. Scalars that
look like dates stay text (the date parser reads them, with its own errors), so no value can
fail inside PyYAML with anything but a YAML error.

The text is scanned and parsed by libyaml (PyYAML's C parser) when it is installed, and the
nodes are composed here in Python, where the limits are counted: a 256 kB file of 20,000
values is refused in about 0.05 s of CPU rather than 0.8 s with the pure-Python parser.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

try:  # libyaml's scanner and parser; the composer (where the limits are) stays ours
    from yaml.cyaml import CParser as _Parser
except ImportError:  # PyYAML built without libyaml
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)


from layers.boundary.problems import ProblemLog, show
from layers.boundary.text import check_text
from layers.errors import InputError

MAX_BYTES = 256_000  # the shipped ten-scene walkthrough is about 25 kB
MAX_DEPTH = 16  # a walkthrough nests 6 deep (scenes > scene > view > layers > id)
MAX_NODES = 20_000  # the shipped ten-scene walkthrough has about 400
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class YamlLimitError(InputError, yaml.YAMLError):
    """A document past a limit (aliases, depth, node count, key type)."""

    def __init__(self, problem: str, mark: yaml.Mark | None):
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


class BoundedLoader(Composer, _Parser, SafeConstructor, Resolver):
    """A safe loader with no aliases, bounded depth and size, text keys, each key once.
    (Composer first: its compose_node, not the C parser's, builds the nodes.)"""

    def __init__(self, stream: str):
        _Parser.__init__(self, stream)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise YamlLimitError("aliases (*name) are not allowed in this file", mark)
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise YamlLimitError(f"has more than {MAX_NODES} values", self.peek_event().start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise YamlLimitError(f"nests deeper than {MAX_DEPTH} levels", mark)
            return Composer.compose_node(self, parent, index)
        finally:
            self._depth -= 1


# Dates stay text: no implicit timestamps, and an explicit !!timestamp is read as its text.
BoundedLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _scalar_text(loader: BoundedLoader, node: yaml.ScalarNode) -> str:
    return loader.construct_scalar(node)


def _mapping(loader: BoundedLoader, node: yaml.MappingNode) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise YamlLimitError(
                f"key {show(key)} is not text (write it in quotes if it is meant as a name)",
                key_node.start_mark,
            )
        if key in out:
            raise YamlLimitError(f"key {show(key)} appears twice", key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=True)
    return out


BoundedLoader.add_constructor(_TIMESTAMP, _scalar_text)
BoundedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def parse_yaml(text: str, file: str, log: ProblemLog, max_bytes: int = MAX_BYTES) -> Any | None:
    """Parse one YAML document within the limits; on failure log one problem and return None."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        log.add(file, "", "", f"is {size:,} bytes; a walkthrough file has at most {max_bytes:,}")
        return None
    try:
        data = yaml.load(text, Loader=BoundedLoader)  # noqa: S506 - a bounded SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1} column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)[:200]
        log.add(file, where, "", f"is not valid YAML: {reason}")
        return None
    except (ValueError, OverflowError) as exc:  # e.g. a number too long for int()
        log.add(file, "", "", f"holds a value that cannot be read: {str(exc)[:120]}")
        return None
    return check_text(data, file, log)  # logs and replaces characters that are not text
