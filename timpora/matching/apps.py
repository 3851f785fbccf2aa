from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "timpora.matching"
    verbose_name = _("Entity resolution and watch lists")
