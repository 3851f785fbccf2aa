from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WatchlistsConfig(AppConfig):
    name = "timpora.watchlists"
    verbose_name = _("Watch lists")

    def ready(self) -> None:
        from timpora.watchlists import permissions  # noqa: F401  (grants the app's permissions)
        from timpora.watchlists.receivers import connect

        connect()

        from timpora.core import demo
        from timpora.watchlists.demo import seed_watchlists

        if seed_watchlists not in demo.SEEDERS:
            demo.SEEDERS.append(seed_watchlists)
