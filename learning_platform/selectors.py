"""Reads of the site-wide app."""

from .models import ApiToken, Cohort, CohortMembership, User


def email_taken(*, email: str, by_other_than=None) -> bool:
    """Whether an account (other than ``by_other_than``) has this address,
    in any case: the rule of ``learning_platform_user_email_ci_unique``."""
    others = User.objects.filter(email__iexact=email.strip())
    if by_other_than is not None and by_other_than.pk is not None:
        others = others.exclude(pk=by_other_than.pk)
    return bool(email.strip()) and others.exists()


def api_tokens_for(*, user):
    """The user's tokens still in use, newest first."""
    return ApiToken.objects.active().filter(user=user).order_by("-created_at", "-id")


def membership_of(*, learner, cohort: Cohort) -> CohortMembership | None:
    """The learner's membership of the cohort (consented or invited), if any."""
    return CohortMembership.objects.filter(cohort=cohort, learner=learner).first()


def memberships_of(*, learner) -> list[CohortMembership]:
    """The learner's groups and invitations, with their organisation and tutors."""
    return list(
        CohortMembership.objects.filter(learner=learner)
        .select_related("cohort__organisation")
        .prefetch_related("cohort__tutors")
        .order_by("cohort__name")
    )


def cohorts_of(*, learner):
    """The cohorts the learner belongs to or is invited to (a queryset)."""
    return Cohort.objects.filter(memberships__learner=learner)
