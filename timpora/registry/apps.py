from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "timpora.registry"
    verbose_name = _("Registry of foreign nationals")

    def ready(self) -> None:
        from timpora.core import demo
        from timpora.registry import permissions  # noqa: F401  (grants the app's permissions)
        from timpora.registry.demo import seed_registry, seed_registry_merge

        for seeder in (seed_registry, seed_registry_merge):
            if seeder not in demo.SEEDERS:
                demo.SEEDERS.append(seeder)
