"""A user's rights over their data: download everything as JSON, delete the
account. Each app answers for its own data through two signals
(learning_platform.signals), so this module never imports a higher app."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .models import CohortMembership
from .signals import account_deleting, personal_data_export

ANONYMOUS_USERNAME = "compte-supprime"


def _iso(value):
    return value.isoformat() if value else None


def export_data(user) -> dict:
    """Every record the platform holds about the user."""
    data = {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "username": user.username,
            "display_name": user.display_name,
            "email": user.email,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "language": None,
        },
        "cohort_memberships": [
            {
                "cohort": m.cohort.name,
                "organisation": m.cohort.organisation.name,
                "joined_at": _iso(m.created_at),
                "consented_at": _iso(m.consented_at),
            }
            for m in CohortMembership.objects.filter(learner=user).select_related(
                "cohort__organisation"
            )
        ],
    }
    for _receiver, sections in personal_data_export.send(sender=type(user), user=user):
        data.update(sections or {})
    return data


def anonymous_user():
    """The account that keeps deleted learners' quiz answers, anonymised, for
    question statistics. It cannot log in."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=ANONYMOUS_USERNAME,
        defaults={"display_name": "—", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def delete_account(user) -> None:
    """Delete the account: personal data goes, anonymised quiz answers stay,
    issued badges answer 410 with a reason."""
    account_deleting.send(sender=type(user), user=user)
    user.delete()
