"""``python -m altbot``."""

import sys

from altbot.cli import main

sys.exit(main())
