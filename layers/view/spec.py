"""What a filter declaration holds: one `FilterSpec` per filter, read by every reader and writer
of a view (the link, the walkthrough file, the command line, the words, the sidebar's state and
both filtering engines). The built-in declarations are in `layers.view.filters`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Values = dict[str, Any]  # a filter's fields (View attributes) and their values


@dataclass(frozen=True)
class Vocabulary:
    """The ids a view may name: layers, actors and types (None: not checked, as for a scene
    whose features could not be read)."""

    layers: frozenset[str]
    actors: frozenset[str]
    types: frozenset[str] | None


@dataclass(frozen=True)
class Flag:
    """A command-line option of `briefmap export`; its value is read as the link's `url_key`.
    `to_url` turns the option's own words (`--layers all`) into the link's."""

    flag: str
    dest: str
    url_key: str
    help: str
    metavar: str | None = None
    to_url: Callable[[str, Any], str] | None = None  # (value, geodata) -> link value


@dataclass(frozen=True)
class FilterSpec:
    """One filter, declared once.

    - `fields`: the View attributes it owns, with their defaults ("no filtering");
    - `url_keys`, `read_url(params, vocabulary, notes) -> Values`, `write_url(filter) -> dict`:
      the link; a bad value is dropped with a note;
    - `yaml_keys`, `read_yaml(fields, vocabulary) -> Values`, `write_yaml(filter) -> dict`: a
      walkthrough scene's `view:` (a bad value is a problem logged on `fields`); none: not in
      walkthrough files;
    - `flags`: `briefmap export` options;
    - `words(filter, geodata, lang) -> str`, placed by `words_rank` ("" when it filters nothing);
    - `to_state(filter, geodata) -> dict`, `from_state(session, geodata) -> Values`:
      the sidebar widgets' values;
    - `table_mask(filter, table, geodata)`: rows of a pandas feature table it keeps, and
      `index_mask(filter, index, geodata)`: events of a numpy `EventIndex` it keeps (None: all);
      `keeps_annotation(filter, annotation, features, geodata)`: whether a timeline entry (about
      those features) follows it (none: every entry does).
    """

    name: str
    fields: Mapping[str, Any]
    url_keys: tuple[str, ...]
    read_url: Callable[..., Values]
    write_url: Callable[[Any], dict[str, str]]
    flags: tuple[Flag, ...]
    words: Callable[..., str]
    words_rank: int
    to_state: Callable[..., dict[str, Any]]
    from_state: Callable[..., Values]
    table_mask: Callable[..., Any]
    index_mask: Callable[..., Any]
    yaml_keys: tuple[str, ...] = ()
    read_yaml: Callable[..., Values] | None = None
    write_yaml: Callable[[Any], dict[str, Any]] | None = None
    keeps_annotation: Callable[..., bool] | None = None
