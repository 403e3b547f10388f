"""Reads of badges for the tutor's pages. Progress may not read badges, so
the tutor's views call these and pass the result to the progress selectors
(``progress.tutor_selectors``, ``progress.tutor_analytics``)."""

from django.db.models import Count, F

from progress.tutor_analytics import TimelineEvent

from .models import Assertion


def awarded_pairs(*, learner_ids, course_ids) -> set[tuple[int, int]]:
    """The (learner id, course id) pairs with a badge; ids as lists or
    subqueries (one query)."""
    return set(
        Assertion.objects.filter(
            learner_id__in=learner_ids, badge_class__course_id__in=course_ids
        ).values_list("learner_id", "badge_class__course_id")
    )


def badge_counts_by_cohort(*, cohort_ids) -> dict[int, int]:
    """Cohort id -> badges earned by its consented learners in the courses
    assigned to it (one query)."""
    cohort = "learner__cohort_memberships__cohort_id"
    return dict(
        Assertion.objects.filter(
            **{f"{cohort}__in": cohort_ids},
            learner__cohort_memberships__consented_at__isnull=False,
            badge_class__course__cohort_assignments__cohort_id=F(cohort),
        )
        .values(cohort)
        .annotate(n=Count("id"))
        .values_list(cohort, "n")
    )


def badge_events(*, learner, course_ids) -> list[TimelineEvent]:
    """The learner's badges in the given courses, as timeline events (one query)."""
    return [
        TimelineEvent(a.issued_on, "badge", a.badge_class.name, a.badge_class.course)
        for a in Assertion.objects.filter(
            learner=learner, badge_class__course_id__in=course_ids
        ).select_related("badge_class__course")
    ]
