"""`python -m layers.tiles`: build the basemap archive (see layers.tiles.build)."""

import sys

from layers.tiles.build import main

sys.exit(main())
