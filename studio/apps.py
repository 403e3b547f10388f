from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudioConfig(AppConfig):
    """The authors' studio: writing courses in the site and proposing them
    to the pedagogical committee. No models of its own: it writes
    courses.Course, courses.Unit and quizzes.Quiz through studio.services."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "studio"
    verbose_name = _("Studio")
