from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self) -> None:
        # Answers the site-wide data-rights events (export, account deletion)
        # and gives its part of a course frozen for the committee.
        from . import receivers  # noqa: F401
