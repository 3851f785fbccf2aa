#!/usr/bin/env python
"""Django's command-line utility; `timpora` (timpora/cli.py) is the same with nicer names."""

import sys

from timpora.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
