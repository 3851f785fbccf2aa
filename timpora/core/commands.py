"""A base for management commands with sub-commands (``timpora areas load``).

Sub-commands are methods named ``handle_<name>``; their arguments are declared in
``add_<name>_arguments`` (hyphens in a sub-command's name become underscores). Everything
runs with a ``cli`` audit origin.
"""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from timpora.audit.context import origin


class SubcommandCommand(BaseCommand):
    subcommands: dict[str, str] = {}

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, parser_class=type(parser))
        for name, help_text in self.subcommands.items():
            # CommandParser needs called_from_command_line to raise instead of exiting.
            p = sub.add_parser(
                name,
                help=help_text,
                called_from_command_line=getattr(parser, "called_from_command_line", None),
            )
            # ``rebuild-keys`` is declared by ``add_rebuild_keys_arguments``.
            getattr(self, f"add_{name.replace('-', '_')}_arguments", lambda _p: None)(p)

    def handle(self, *args: Any, **options: Any) -> Any:
        name = options.pop("subcommand")
        handler = getattr(self, f"handle_{name.replace('-', '_')}", None)
        if handler is None:
            raise CommandError(f"unknown sub-command {name}")
        with origin(
            channel="cli",
            command=" ".join([self.__module__.rsplit(".", 1)[-1], name]),
            os_user=_os_user(),
        ):
            return handler(**options)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return ""


def is_tty() -> bool:
    return sys.stderr.isatty()
