"""Every TOML file briefmap is handed (settings, a marking scheme, a sign-in file) is read by
one bounded reader: the same hostile shapes get the same clear refusal from each, as the
reader's own error naming the file, and never a crash (a RecursionError, a hang on a FIFO)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from layers.access.signin import SignInError, check_sign_in
from layers.boundary.markings import SchemeError, read_scheme
from layers.settings import SettingsError, read_config

READERS = {
    "settings": (read_config, SettingsError),
    "marking scheme": (read_scheme, SchemeError),
    "sign-in": (check_sign_in, SignInError),
}
DEPTH = 20_000  # under every size limit, far past the recursion limit (tomllib recurses)
HOSTILE = {
    "nested arrays": (b"a = " + b"[" * DEPTH, "nested too deeply"),
    "nested inline tables": (b"a = " + b"{b=" * DEPTH, "nested too deeply"),
    "not UTF-8": (b'name = "\xff\xfe"\n', "not UTF-8 text"),
    "not TOML": (b"[section\nname = 1\n", "not TOML"),
    "too large": (b"# " + b"x" * (2 << 20) + b"\n", "bytes"),
}


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("case", HOSTILE)
def test_each_toml_reader_refuses_the_same_hostile_shapes(tmp_path, reader, case):
    read, error = READERS[reader]
    body, said = HOSTILE[case]
    path = tmp_path / "file.toml"
    path.write_bytes(body)
    with pytest.raises(error, match=said) as caught:
        read(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize("reader", READERS)
def test_a_fifo_or_a_folder_is_refused_not_waited_on(tmp_path, reader):
    read, error = READERS[reader]
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)  # nobody writes: a reader that opened it would wait for ever
    for path in (fifo, tmp_path, Path(tmp_path / "missing.toml")):
        with pytest.raises(error) as caught:
            read(path)
        assert str(path) in str(caught.value)
