"""The ``timpora`` console script: Django's management commands under one name.

``timpora areas load`` runs the ``areas`` command with ``load`` as its sub-command, exactly as
``manage.py areas load`` would; ``timpora serve`` is ``runserver`` without auto-reload.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timpora.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["timpora", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
