from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "timpora.matching"
    verbose_name = _("Entity resolution and watch lists")

    def ready(self) -> None:
        from timpora.core import demo
        from timpora.matching import permissions  # noqa: F401  (grants the app's permissions)
        from timpora.matching.demo import seed_review_pairs

        if seed_review_pairs not in demo.SEEDERS:
            demo.SEEDERS.append(seed_review_pairs)
