"""The tutor dashboard's headline figures at their edges
(progress/tutor_selectors.cohort_summaries), called directly: each learner
counted once however many courses they entered, completions of the cohort's
assigned courses only, every figure zero for a cohort with nobody or
nothing assigned, and the cohorts in organisation order."""

from datetime import timedelta

import pytest
from django.utils import timezone

from learning_platform.cohorts import membership_join, tutor_invite
from progress import tutor_selectors as selectors
from progress.models import Enrolment
from progress.services import cohort_course_assign, enrolment_ensure
from tests.factories import (
    make_cohort,
    make_course,
    make_learner,
    make_organisation,
    make_user,
)

pytestmark = pytest.mark.django_db


def _figures(cohort):
    [summary] = selectors.cohort_summaries([cohort])
    return (
        summary.learners,
        summary.pending,
        summary.active_this_week,
        summary.completion,
        summary.badges,
    )


def _enter(learner, *courses, completed=False, days_ago=0):
    when = timezone.now() - timedelta(days=days_ago)
    for course in courses:
        enrolment = enrolment_ensure(learner=learner, course=course)
        Enrolment.objects.filter(pk=enrolment.pk).update(
            last_activity_at=when, completed_at=when if completed else None
        )


def test_each_learner_counts_once_however_many_courses_they_entered(tutor):
    cohort = make_cohort(tutors=[tutor])
    courses = [make_course() for _ in range(3)]
    cohort_course_assign(cohort=cohort, course=courses[0])
    member = make_learner()
    membership_join(learner=member, cohort=cohort)
    invitee = make_learner(username="invitee")
    tutor_invite(tutor=tutor, cohort=cohort, username="invitee")
    _enter(member, *courses)  # three courses, active today
    _enter(invitee, *courses)
    assert _figures(cohort) == (1, 1, 1, 0, 0)


def test_completion_counts_the_cohorts_assigned_courses_completed(tutor):
    cohort, other_cohort = make_cohort(tutors=[tutor]), make_cohort()
    assigned, elsewhere = make_course(), make_course()
    cohort_course_assign(cohort=cohort, course=assigned)
    cohort_course_assign(cohort=other_cohort, course=elsewhere)
    member = make_learner()
    for c in (cohort, other_cohort):
        membership_join(learner=member, cohort=c)
    _enter(member, elsewhere, completed=True, days_ago=10)  # assigned to the other cohort only
    _enter(member, assigned, days_ago=10)  # entered, not completed
    assert _figures(cohort) == (1, 0, 0, 0, 0)
    _enter(member, assigned, completed=True, days_ago=10)
    assert _figures(cohort) == (1, 0, 0, 100, 0)  # 1 of 1, not 101


@pytest.mark.parametrize("members,assigned", [(0, 0), (0, 1), (1, 0)])
def test_a_cohort_with_nobody_or_nothing_assigned_has_every_figure_at_zero(
    tutor, members, assigned
):
    cohort = make_cohort(tutors=[tutor])
    course = make_course()
    if assigned:
        cohort_course_assign(cohort=cohort, course=course)
    learners = [make_learner() for _ in range(members)]
    for learner in learners:
        membership_join(learner=learner, cohort=cohort)
        _enter(learner, course, completed=True, days_ago=30)
    assert _figures(cohort) == (members, 0, 0, 0, 0)


def test_the_tutors_cohorts_come_by_organisation_then_name():
    tutor = make_user(username="nadia")
    zebra, alpha = make_organisation(name="Zèbre"), make_organisation(name="Alpha")
    made = [
        make_cohort(name="A", organisation=zebra, tutors=[tutor]),
        make_cohort(name="C", organisation=alpha, tutors=[tutor]),
        make_cohort(name="B", organisation=alpha, tutors=[tutor]),
    ]
    make_cohort(name="0", organisation=alpha)  # not theirs
    assert [(c.organisation.name, c.name) for c in selectors.tutor_cohorts(tutor)] == [
        ("Alpha", "B"),
        ("Alpha", "C"),
        ("Zèbre", "A"),
    ]
    assert set(selectors.tutor_cohorts(tutor)) == set(made)
