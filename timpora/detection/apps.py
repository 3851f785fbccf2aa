from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DetectionConfig(AppConfig):
    name = "timpora.detection"
    verbose_name = _("Early detection")

    def ready(self) -> None:
        from timpora.detection import permissions  # noqa: F401  (grants the app's permissions)
