"""python -m webapp: the coverdiff command line (default: serve)."""

import sys

from .cli import main

sys.exit(main(sys.argv[1:] or ["serve"]))
