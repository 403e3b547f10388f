"""Authentication: log-in by username or e-mail address, and the session's
user loaded with whether they tutor (no query of its own on each page)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL


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
        """The user of a session, with ``is_tutor`` read in the same query.

        Every logged-in request runs this query: its two EXISTS are written
        in SQL from the models' tables (no user input in it) because an
        ``Exists(subquery)`` annotation costs as much Python to compile as
        the rest of the request's query (issue #14)."""
        User = get_user_model()
        user_table = User._meta.db_table
        try:
            user = User._default_manager.annotate(
                tutors_any=_has_row(User.tutored_cohorts.through, user_table),
                manages_any=_has_row(User.managed_organisations.through, user_table),
            ).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


def _has_row(through, user_table: str) -> RawSQL:
    """Whether the outer user has a row in the many-to-many table ``through``."""
    table = through._meta.db_table
    column = through._meta.get_field("user").column
    return RawSQL(
        f'EXISTS (SELECT 1 FROM "{table}" WHERE "{table}"."{column}" = "{user_table}"."id")',
        (),
        output_field=BooleanField(),
    )
