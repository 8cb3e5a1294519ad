"""`python -m layers.cli`: the `briefmap` command."""

import sys

from layers.cli.commands import main

sys.exit(main())
