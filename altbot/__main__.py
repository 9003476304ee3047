"""``python -m altbot``: the same command line as the ``altbot`` script."""

import sys

from altbot.cli import main

sys.exit(main())
