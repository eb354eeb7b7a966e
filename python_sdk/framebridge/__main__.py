"""`python -m framebridge`: see whether a server is there, and what it serves."""

import sys

from ._cli import main

sys.exit(main())
