"""Writes of the progress app at their edges (progress/services.py):
enrolling once, remembering the grain to resume at, completing the course
when its last required grain is done (that learner's, that course's), and a
cohort's assignments. Another learner and another course are always present."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection

from courses.models import Course
from progress.models import CohortCourse, Enrolment, UnitCompletion
from progress.services import (
    _course_complete_if_done,
    cohort_course_assign,
    cohort_course_unassign,
    enrolment_ensure,
    unit_complete,
    unit_open,
)
from progress.signals import course_completed
from tests.factories import make_cohort, make_course, make_unit

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def course():
    course = make_course(title="Alpha")
    for position in (1, 2):
        make_unit(course, position=position)
    make_unit(course, position=3, required=False)
    return course


def _units(course):
    return list(course.units.order_by("position"))


# Enrolment and the grain to resume at


def test_enrolment_ensure_returns_the_learners_enrolment_in_that_course(
    learner, other_learner, course
):
    elsewhere = make_course()
    mine_elsewhere = enrolment_ensure(learner=learner, course=elsewhere)
    theirs = enrolment_ensure(learner=other_learner, course=course)
    mine = enrolment_ensure(learner=learner, course=course)
    assert mine not in (mine_elsewhere, theirs)
    assert (mine.learner, mine.course) == (learner, course)
    assert enrolment_ensure(learner=learner, course=course) == mine
    assert Enrolment.objects.filter(learner=learner).count() == 2


def test_two_enrolments_at_once_leave_one_and_return_it(learner, other_learner, course):
    # Around it: the learner's enrolment elsewhere, another learner's here.
    enrolment_ensure(learner=learner, course=make_course())
    enrolment_ensure(learner=other_learner, course=course)
    first = _units(course)[0]
    raced = {}

    def other_request_enrols_right_after_the_lookup(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not raced and sql.startswith("SELECT") and '"progress_enrolment"' in sql:
            raced["enrolment"] = Enrolment.objects.create(learner=learner, course=course)
        return result

    with connection.execute_wrapper(other_request_enrols_right_after_the_lookup):
        enrolment = enrolment_ensure(learner=learner, course=course, last_unit=first)
    assert enrolment.pk == raced["enrolment"].pk
    assert (enrolment.learner, enrolment.course, enrolment.last_unit) == (learner, course, first)
    assert Enrolment.objects.filter(learner=learner, course=course).count() == 1
    assert Enrolment.objects.get(pk=enrolment.pk).last_unit == first


def test_enrolling_takes_two_queries_and_an_enrolment_already_there_one(
    learner, course, django_assert_num_queries
):
    first = _units(course)[0]
    # The lookup, then the insert in its savepoint (three statements).
    with django_assert_num_queries(4):
        enrolment_ensure(learner=learner, course=course, last_unit=first)
    with django_assert_num_queries(1):
        enrolment_ensure(learner=learner, course=course, last_unit=first)


def test_opening_a_grain_remembers_it_for_resuming(learner, course):
    first, second, _optional = _units(course)
    with time_machine.travel(T0, tick=False):
        assert unit_open(learner=learner, unit=second) == Enrolment.objects.get(learner=learner)
    assert Enrolment.objects.get(learner=learner, course=course).last_unit == second
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        returned = enrolment_ensure(learner=learner, course=course, last_unit=first)
    assert returned.last_unit == first
    stored = Enrolment.objects.get(learner=learner, course=course)
    assert (stored.last_unit, stored.last_activity_at) == (first, T0 + timedelta(hours=1))


def test_opening_a_grain_of_a_draft_records_nothing(learner):
    draft = make_course(status=Course.Status.DRAFT)
    unit = make_unit(draft)
    assert unit_open(learner=learner, unit=unit) is None
    assert not Enrolment.objects.exists()


def test_completing_a_grain_remembers_it_for_resuming(learner, course):
    first, second, _optional = _units(course)
    unit_open(learner=learner, unit=first)
    unit_complete(learner=learner, unit=second)
    assert Enrolment.objects.get(learner=learner, course=course).last_unit == second


def test_a_grain_another_learner_completed_is_still_to_complete_for_an_enrolled_learner(
    learner, other_learner, course
):
    first, second, _optional = _units(course)
    unit_complete(learner=other_learner, unit=second)
    unit_complete(learner=learner, unit=first)  # enrolled now
    assert unit_complete(learner=learner, unit=second) is True
    assert unit_complete(learner=learner, unit=second) is False
    assert UnitCompletion.objects.filter(learner=learner).count() == 2


def test_completing_a_grain_already_done_reads_once_and_writes_nothing(
    learner, course, django_assert_num_queries
):
    first, _second, _optional = _units(course)
    unit_complete(learner=learner, unit=first)
    with django_assert_num_queries(1):  # the enrolment, with whether the grain is done
        assert unit_complete(learner=learner, unit=first) is False


# Completing the course


@pytest.fixture
def heard():
    events = []

    def listen(sender, **kwargs):
        events.append((sender, kwargs["learner"], kwargs["course"], kwargs["enrolment"]))

    course_completed.connect(listen, dispatch_uid="test-writes-heard")
    yield events
    course_completed.disconnect(dispatch_uid="test-writes-heard")


def test_the_course_completes_with_its_own_required_grains_whatever_other_courses_hold(
    learner, other_learner, course, heard, django_capture_on_commit_callbacks
):
    other = make_course()
    make_unit(other)  # a required grain of another course, not done
    first, second, _optional = _units(course)
    theirs = enrolment_ensure(learner=other_learner, course=course)  # not complete
    with django_capture_on_commit_callbacks(execute=True):
        unit_complete(learner=learner, unit=first)
    assert heard == []
    with django_capture_on_commit_callbacks(execute=True):
        unit_complete(learner=learner, unit=second)
    mine = Enrolment.objects.get(learner=learner, course=course)
    assert mine.completed_at is not None
    assert mine.last_activity_at == mine.completed_at
    theirs.refresh_from_db()
    assert theirs.completed_at is None
    assert len(heard) == 1
    sender, who, what, enrolment = heard[0]
    assert (sender, who, what, enrolment.pk) == (Course, learner, course, mine.pk)
    assert enrolment.completed_at == mine.completed_at  # the event carries the completion


def test_a_course_marked_complete_meanwhile_is_not_marked_again(
    learner, course, heard, django_capture_on_commit_callbacks
):
    # Two completions at once: the second still holds the enrolment it read
    # before the first marked it.
    for unit in _units(course)[:2]:
        unit_complete(learner=learner, unit=unit)
    marked = Enrolment.objects.get(learner=learner, course=course)
    stale = Enrolment.objects.get(pk=marked.pk)
    stale.completed_at = None
    with django_capture_on_commit_callbacks(execute=True):
        _course_complete_if_done(learner=learner, enrolment=stale)
    assert heard == []
    assert Enrolment.objects.get(pk=marked.pk).completed_at == marked.completed_at


# A cohort's assignments


def test_assigning_places_each_course_after_the_cohorts_others_with_its_due_date():
    cohort, other_cohort = make_cohort(), make_cohort()
    for _ in range(3):
        cohort_course_assign(cohort=other_cohort, course=make_course())
    first = cohort_course_assign(cohort=cohort, course=make_course(), due_date=date(2030, 1, 31))
    second = cohort_course_assign(cohort=cohort, course=make_course())
    assert [(a.position, a.due_date) for a in (first, second)] == [
        (0, date(2030, 1, 31)),
        (1, None),
    ]
    first.refresh_from_db()
    assert (first.position, first.due_date) == (0, date(2030, 1, 31))


def test_assigning_again_changes_only_the_due_date():
    cohort, course = make_cohort(), make_course()
    assigned = cohort_course_assign(cohort=cohort, course=course, due_date=date(2030, 1, 31))
    again = cohort_course_assign(cohort=cohort, course=course, due_date=date(2030, 3, 1))
    assert again.pk == assigned.pk
    assert CohortCourse.objects.get(pk=assigned.pk).due_date == date(2030, 3, 1)
    cohort_course_assign(cohort=cohort, course=course, due_date=None)
    stored = CohortCourse.objects.get(pk=assigned.pk)
    assert (stored.due_date, stored.position) == (None, 0)
    assert CohortCourse.objects.count() == 1


def test_unassigning_takes_off_this_cohorts_assignment_only():
    cohort, other_cohort = make_cohort(), make_cohort()
    course = make_course()
    mine = cohort_course_assign(cohort=cohort, course=course)
    kept = cohort_course_assign(cohort=cohort, course=make_course())
    theirs = cohort_course_assign(cohort=other_cohort, course=course)
    assert cohort_course_unassign(cohort=cohort, assignment_id=theirs.pk) is False
    assert cohort_course_unassign(cohort=cohort, assignment_id=mine.pk) is True
    assert cohort_course_unassign(cohort=cohort, assignment_id=mine.pk) is False
    assert set(CohortCourse.objects.values_list("pk", flat=True)) == {kept.pk, theirs.pk}
