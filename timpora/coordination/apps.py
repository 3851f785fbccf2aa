from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "timpora.coordination"
    verbose_name = _("Coordination")

    def ready(self) -> None:
        from timpora.coordination import permissions  # noqa: F401  (grants the app's permissions)
        from timpora.coordination.demo import seed_coordination
        from timpora.core import demo

        if seed_coordination not in demo.SEEDERS:
            demo.SEEDERS.append(seed_coordination)
