from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskmapConfig(AppConfig):
    name = "timpora.riskmap"
    verbose_name = _("Vulnerability map")

    def ready(self) -> None:
        from timpora.core import demo
        from timpora.riskmap import permissions  # noqa: F401  (grants the app's permissions)
        from timpora.riskmap.demo import seed_factors

        if seed_factors not in demo.SEEDERS:
            demo.SEEDERS.append(seed_factors)
