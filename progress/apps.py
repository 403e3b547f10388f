from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = _("Progress")

    def ready(self) -> None:
        # Progress listens to quizzes: a passed quiz completes its grain.
        from . import receivers  # noqa: F401
