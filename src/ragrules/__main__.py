"""`python -m ragrules` runs the command line."""

import sys

from ragrules.cli import main

sys.exit(main())
