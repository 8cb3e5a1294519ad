"""The `briefmap` command line (`main`, the console script of pyproject.toml).

- `commands`: the parser, one function per command (serve, validate, export, scenes, cite),
  and `main`, the one place where an error of the family (`layers.errors.BriefmapError`, or
  the file system's OSError) becomes one line on stderr and an exit status;
- `config`: `--config FILE`, `briefmap config`, and settling each command's settings into its
  runtime;
- `events`: `briefmap import` and `briefmap store`, the event store's commands.

May import: anything in `layers/` (it is the top floor; nothing in `layers/` imports it).
Never the app (`dashboard`) or Streamlit. The export modules are imported when `briefmap
export` runs, not before, so `briefmap serve` starts without matplotlib.
"""

from layers.cli.commands import main

__all__ = ["main"]
