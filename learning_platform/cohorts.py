"""Writes of cohort membership: join by code with consent, accept a tutor's
invitation, leave; tutors invite by username and remove learners."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError
from .models import Cohort, CohortMembership


class CohortError(DomainError):
    """A request the cohort rules refuse."""


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def cohort_by_code(code: str) -> Cohort:
    try:
        return Cohort.objects.select_related("organisation").get(invite_code=normalise_code(code))
    except Cohort.DoesNotExist as exc:
        raise CohortError(_("No group has this code. Check it with your tutor.")) from exc


def membership_join(*, learner, cohort: Cohort) -> CohortMembership:
    """The learner joins (or accepts the invitation) and consents now.
    Idempotent."""
    now = timezone.now()
    try:
        with transaction.atomic():
            membership, created = CohortMembership.objects.get_or_create(
                cohort=cohort, learner=learner, defaults={"consented_at": now}
            )
    except IntegrityError:
        membership, created = CohortMembership.objects.get(cohort=cohort, learner=learner), False
    if not created and membership.consented_at is None:
        CohortMembership.objects.filter(pk=membership.pk, consented_at__isnull=True).update(
            consented_at=now
        )
        membership.refresh_from_db()
    return membership


def membership_leave(*, learner, cohort: Cohort) -> bool:
    """The learner leaves (or declines an invitation): the row goes, and the
    tutors lose access to their records."""
    deleted, _rows = CohortMembership.objects.filter(cohort=cohort, learner=learner).delete()
    return bool(deleted)


def tutor_invite(*, tutor, cohort: Cohort, username: str) -> CohortMembership:
    """Invite an existing account by username: a membership waiting for the
    learner's consent."""
    username = username.strip()
    learner = get_user_model().objects.filter(username__iexact=username, is_active=True).first()
    if learner is None:
        raise CohortError(_("No account has the username “%(username)s”.") % {"username": username})
    membership, created = CohortMembership.objects.get_or_create(
        cohort=cohort, learner=learner, defaults={"invited_by": tutor}
    )
    if not created:
        raise CohortError(
            _("%(name)s is already in this group or invited to it.") % {"name": learner}
        )
    return membership


def tutor_remove(*, cohort: Cohort, learner_id: int) -> bool:
    deleted, _rows = CohortMembership.objects.filter(cohort=cohort, learner_id=learner_id).delete()
    return bool(deleted)
