from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "timpora.intake"
    verbose_name = _("Report intake")

    def ready(self) -> None:
        from timpora.intake import permissions  # noqa: F401  (grants the app's permissions)
