"""Writes of cohort membership: join by code with consent, accept a tutor's
invitation, leave; tutors invite by username and remove learners."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError
from .models import Cohort, CohortMembership, Organisation, _invite_code


class CohortError(DomainError):
    """A request the cohort rules refuse."""


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def cohort_by_code(code: str) -> Cohort:
    """The cohort a learner may join with this code; an archived cohort has
    closed its doors."""
    try:
        return (
            Cohort.objects.active()
            .select_related("organisation")
            .get(invite_code=normalise_code(code)[:12])
        )
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


# The tutor's workshop: cohorts created, renamed, archived from the site.


def organisations_for_tutor(user):
    """Organisations in which the user may create a cohort: those they
    manage, and those in which they tutor a cohort."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        models.Q(managers=user) | models.Q(cohorts__tutors=user)
    ).distinct()


def is_manager(user, cohort: Cohort) -> bool:
    return cohort.organisation.managers.filter(pk=user.pk).exists()


def cohort_create(*, user, organisation, name: str) -> Cohort:
    """A new cohort of ``organisation`` (one the user may create in: the
    caller checked), with the user as its tutor."""
    with transaction.atomic():
        cohort = Cohort.objects.create(name=name, organisation=organisation)
        cohort.tutors.add(user)
    return cohort


def cohort_rename(*, cohort: Cohort, name: str) -> Cohort:
    Cohort.objects.filter(pk=cohort.pk).update(name=name, updated_at=timezone.now())
    cohort.name = name
    return cohort


def cohort_archive(*, cohort: Cohort) -> Cohort:
    """Off the dashboard, no flags, no digests, nobody can join; data kept."""
    if cohort.archived_at is None:
        now = timezone.now()
        Cohort.objects.filter(pk=cohort.pk, archived_at__isnull=True).update(
            archived_at=now, updated_at=now
        )
        cohort.archived_at = now
    return cohort


def cohort_restore(*, cohort: Cohort) -> Cohort:
    Cohort.objects.filter(pk=cohort.pk).update(archived_at=None, updated_at=timezone.now())
    cohort.archived_at = None
    return cohort


def cohort_code_regenerate(*, cohort: Cohort) -> str:
    """A new invite code: the old code and link stop working (members stay)."""
    for _attempt in range(20):
        code = _invite_code()
        try:
            with transaction.atomic():
                Cohort.objects.filter(pk=cohort.pk).update(
                    invite_code=code, updated_at=timezone.now()
                )
        except IntegrityError:
            continue
        cohort.invite_code = code
        return code
    raise CohortError(_("No new code could be made. Try again."))


def cohort_tutor_add(*, cohort: Cohort, identifier: str):
    """A manager names a tutor by username or e-mail address."""
    identifier = identifier.strip()
    User = get_user_model()
    field = "email__iexact" if "@" in identifier else "username__iexact"
    matches = list(User.objects.filter(**{field: identifier}, is_active=True)[:2])
    if len(matches) != 1:
        raise CohortError(
            _("No single account has the username or e-mail “%(identifier)s”.")
            % {"identifier": identifier}
        )
    tutor = matches[0]
    if cohort.tutors.filter(pk=tutor.pk).exists():
        raise CohortError(_("%(name)s already tutors this group.") % {"name": tutor})
    cohort.tutors.add(tutor)
    return tutor


def cohort_tutor_remove(*, cohort: Cohort, tutor_id: int) -> bool:
    if not cohort.tutors.filter(pk=tutor_id).exists():
        return False
    cohort.tutors.remove(tutor_id)
    return True
