from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "timpora.operations"
    verbose_name = _("Joint operations and administrative actions")

    def ready(self) -> None:
        from timpora.core import demo
        from timpora.operations import permissions  # noqa: F401  (grants the app's permissions)
        from timpora.operations.demo import HEAD_PERSONA, seed_operations

        # The demo's head of office signs the seeded decisions and gets a printed login.
        if all(p.username != HEAD_PERSONA.username for p in demo.PERSONAS):
            demo.PERSONAS.append(HEAD_PERSONA)
        if seed_operations not in demo.SEEDERS:
            demo.SEEDERS.append(seed_operations)
