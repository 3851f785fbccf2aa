from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DetectionConfig(AppConfig):
    name = "timpora.detection"
    verbose_name = _("Early detection")

    def ready(self) -> None:
        from timpora.detection import permissions  # noqa: F401  (grants the app's permissions)
        from timpora.detection.tasks import on_reports_stored
        from timpora.intake.signals import reports_stored

        # New reports re-evaluate their persons (incremental detection).
        reports_stored.connect(on_reports_stored, dispatch_uid="detection.on_reports_stored")

        from timpora.core import demo
        from timpora.detection.demo import seed_detection

        if seed_detection not in demo.SEEDERS:
            demo.SEEDERS.append(seed_detection)
