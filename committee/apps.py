from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteeConfig(AppConfig):
    """The pedagogical committee's pages: the queue of proposals, a
    proposal's page (preview, diff, comments, vote). Pages only: the models,
    rules and writes are the courses app's (courses.services, selectors)."""

    name = "committee"
    verbose_name = _("Pedagogical committee")
