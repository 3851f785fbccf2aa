from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "timpora.registry"
    verbose_name = _("Registry of foreign nationals")

    def ready(self) -> None:
        from timpora.registry import permissions  # noqa: F401  (grants the app's permissions)
