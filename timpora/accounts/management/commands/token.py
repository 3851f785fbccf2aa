"""``timpora token create USERNAME``: print a new API token for that user."""

from __future__ import annotations

from django.core.management.base import CommandError

from timpora.accounts.actions import create_api_token
from timpora.accounts.models import User
from timpora.core.commands import SubcommandCommand


class Command(SubcommandCommand):
    help = "API tokens."
    subcommands = {"create": "Create a token for USERNAME and print it (shown only once)."}

    def add_create_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle_create(self, *, username: str, name: str, **_: object) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user named {username!r}")
        self.stdout.write(create_api_token(user, name=name))
