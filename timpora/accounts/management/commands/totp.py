"""``timpora totp code USERNAME``: the current code, for the demo and for operators."""

from __future__ import annotations

import pyotp
from django.core.management.base import CommandError

from timpora.accounts.models import User
from timpora.core.commands import SubcommandCommand


class Command(SubcommandCommand):
    help = "Two-factor (TOTP) helpers for operators with shell access to the server."
    subcommands = {
        "code": "Print the current 6-digit code of USERNAME's authenticator.",
        "reset": "Remove USERNAME's authenticator; they enrol again at next login.",
    }

    def add_code_arguments(self, parser) -> None:
        parser.add_argument("username")

    add_reset_arguments = add_code_arguments

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        return user

    def handle_code(self, *, username: str, **_: object) -> None:
        user = self._user(username)
        if not user.totp_secret:
            raise CommandError(f"{username} has no authenticator yet")
        self.stdout.write(pyotp.TOTP(user.totp_secret).now())

    def handle_reset(self, *, username: str, **_: object) -> None:
        from timpora.accounts.actions import reset_totp

        reset_totp(self._user(username))
        self.stdout.write(f"authenticator removed for {username}")
