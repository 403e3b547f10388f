from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningPlatformConfig(AppConfig):
    name = "learning_platform"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from django.urls import register_converter

        from . import checks  # noqa: F401  (registers the system checks)
        from .inputs import IdConverter

        # Before any URLconf is read: every urls.py takes its ids as <id:...>.
        register_converter(IdConverter, "id")
