"""`python cli.py ...` from a checkout: the same program as the installed `controlling`
(controlling/cli.py). Not installed: the package claims no top-level name but `controlling`."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from controlling.cli import cli, main  # noqa: E402, F401

if __name__ == "__main__":
    main()
