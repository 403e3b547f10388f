"""Reads of the site-wide app."""

from .models import ApiToken, Cohort, CohortMembership


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
