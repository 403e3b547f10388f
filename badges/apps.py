from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BadgesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "badges"
    verbose_name = _("Badges")

    def ready(self):
        from . import receivers  # noqa: F401  (subscribes to progress and courses)
