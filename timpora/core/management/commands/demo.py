"""``timpora demo seed``: the Kota Serang demo team and data; prints the logins."""

from __future__ import annotations

from django.core.management.base import CommandError

from timpora.core import demo
from timpora.core.commands import SubcommandCommand


class Command(SubcommandCommand):
    help = "Demo data for Kota and Kabupaten Serang."
    subcommands = {
        "seed": "Create (or complete) the demo data and print the logins.",
        "logins": "Print the demo logins again.",
    }

    def add_seed_arguments(self, parser) -> None:
        parser.add_argument(
            "--persons",
            type=int,
            default=3000,
            help="Synthetic foreign nationals to generate (registry).",
        )

    def handle_seed(self, **options: object) -> None:
        try:
            summary = demo.seed(**options)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self._print_logins(summary["users"])

    def handle_logins(self, **_: object) -> None:
        creds = demo._load_credentials()
        if not creds:
            raise CommandError("no demo logins yet: run `timpora demo seed`")
        self._print_logins(creds)

    def _print_logins(self, creds: dict) -> None:
        self.stdout.write("\nDemo logins (also in var/demo-credentials.json):")
        self.stdout.write(f"  {'username':<16} {'password':<16} note")
        for persona in demo.PERSONAS:
            entry = creds.get(persona.username, {})
            note = persona.role + (f", scope {persona.scope}" if persona.scope else "")
            if entry.get("totp_secret"):
                note += (
                    f"; TOTP secret {entry['totp_secret']} "
                    f"(current code: .venv/bin/timpora totp code {persona.username})"
                )
            self.stdout.write(f"  {persona.username:<16} {entry.get('password', ''):<16} {note}")
