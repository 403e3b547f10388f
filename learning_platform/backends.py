"""Authentication: log-in by username or e-mail address, and the session's
user loaded with whether they tutor (no query of its own on each page)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef


class AccountBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        """``username`` may be an e-mail address (any case) when exactly one
        active account has it; otherwise it is a username."""
        if username and "@" in username:
            User = get_user_model()
            matches = list(User.objects.filter(email__iexact=username.strip())[:2])
            if len(matches) == 1:
                username = matches[0].get_username()
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        """The user of a session, with ``is_tutor`` read in the same query."""
        User = get_user_model()
        tutors = User.tutored_cohorts.through.objects.filter(user_id=OuterRef("pk"))
        manages = User.managed_organisations.through.objects.filter(user_id=OuterRef("pk"))
        user = (
            User._default_manager.annotate(tutors_any=Exists(tutors), manages_any=Exists(manages))
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
