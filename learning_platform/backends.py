"""Authentication: log-in by username or e-mail address, and the session's
user loaded with whether they tutor (no query of its own on each page)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef


class AccountBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        """``username`` is a username, in any case when only one account has
        it in that case (a phone capitalises the first letter), or an e-mail
        address, in any case, when exactly one account has it."""
        if username:
            username = self._account_username(username.strip())
        return super().authenticate(request, username=username, password=password, **kwargs)

    @staticmethod
    def _account_username(identifier: str) -> str:
        User = get_user_model()
        if User.objects.filter(username=identifier).exists():
            return identifier
        field = "email__iexact" if "@" in identifier else "username__iexact"
        matches = list(
            User.objects.filter(**{field: identifier}).values_list("username", flat=True)[:2]
        )
        return matches[0] if len(matches) == 1 else identifier

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
