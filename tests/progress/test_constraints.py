"""Progress: every named constraint both ways (``full_clean()`` raises
``ValidationError``, ``objects.create()`` raises ``IntegrityError``), with the
pairs next to each edge that stay allowed.

A unique constraint on fields reports, in Python, Django's "already exists"
message rather than its name: the error's ``unique_check`` names the fields.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from progress.models import CohortCourse, Enrolment, TutorDigest, UnitCompletion
from tests.constraints import assert_unique_check, assert_unique_violated
from tests.factories import make_cohort, make_course, make_unit, make_user

pytestmark = pytest.mark.django_db


# progress_enrolment_unique


def test_full_clean_refuses_a_second_enrolment_in_a_course(learner):
    course = make_course()
    Enrolment.objects.create(learner=learner, course=course)

    with pytest.raises(ValidationError) as excinfo:
        Enrolment(learner=learner, course=course).full_clean()

    assert_unique_check(excinfo, ("learner", "course"))


def test_database_refuses_a_second_enrolment_in_a_course(learner):
    course = make_course()
    Enrolment.objects.create(learner=learner, course=course)

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        Enrolment.objects.create(learner=learner, course=course)

    assert_unique_violated(
        excinfo,
        name="progress_enrolment_unique",
        columns=["progress_enrolment.learner_id", "progress_enrolment.course_id"],
    )


def test_learner_may_enrol_in_two_courses(learner):
    Enrolment.objects.create(learner=learner, course=make_course())
    enrolment = Enrolment(learner=learner, course=make_course())

    enrolment.full_clean()
    enrolment.save()


def test_two_learners_may_enrol_in_one_course(learner, other_learner):
    course = make_course()
    Enrolment.objects.create(learner=other_learner, course=course)
    enrolment = Enrolment(learner=learner, course=course)

    enrolment.full_clean()
    enrolment.save()


# progress_unitcompletion_unique


def test_full_clean_refuses_a_second_completion_of_a_unit(learner):
    unit = make_unit(make_course())
    UnitCompletion.objects.create(learner=learner, unit=unit)

    with pytest.raises(ValidationError) as excinfo:
        UnitCompletion(learner=learner, unit=unit).full_clean()

    assert_unique_check(excinfo, ("learner", "unit"))


def test_database_refuses_a_second_completion_of_a_unit(learner):
    unit = make_unit(make_course())
    UnitCompletion.objects.create(learner=learner, unit=unit)

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        UnitCompletion.objects.create(learner=learner, unit=unit)

    assert_unique_violated(
        excinfo,
        name="progress_unitcompletion_unique",
        columns=["progress_unitcompletion.learner_id", "progress_unitcompletion.unit_id"],
    )


def test_learner_may_complete_two_units(learner):
    course = make_course()
    UnitCompletion.objects.create(learner=learner, unit=make_unit(course))
    completion = UnitCompletion(learner=learner, unit=make_unit(course))

    completion.full_clean()
    completion.save()


def test_two_learners_may_complete_one_unit(learner, other_learner):
    unit = make_unit(make_course())
    UnitCompletion.objects.create(learner=other_learner, unit=unit)
    completion = UnitCompletion(learner=learner, unit=unit)

    completion.full_clean()
    completion.save()


# progress_cohortcourse_unique


def test_full_clean_refuses_assigning_a_course_twice_to_a_cohort():
    cohort, course = make_cohort(), make_course()
    CohortCourse.objects.create(cohort=cohort, course=course)

    with pytest.raises(ValidationError) as excinfo:
        CohortCourse(cohort=cohort, course=course, position=1).full_clean()

    assert_unique_check(excinfo, ("cohort", "course"))


def test_database_refuses_assigning_a_course_twice_to_a_cohort():
    cohort, course = make_cohort(), make_course()
    CohortCourse.objects.create(cohort=cohort, course=course)

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        CohortCourse.objects.create(cohort=cohort, course=course, position=1)

    assert_unique_violated(
        excinfo,
        name="progress_cohortcourse_unique",
        columns=["progress_cohortcourse.cohort_id", "progress_cohortcourse.course_id"],
    )


def test_course_may_be_assigned_to_two_cohorts():
    course = make_course()
    CohortCourse.objects.create(cohort=make_cohort(name="Mardi"), course=course)
    assignment = CohortCourse(cohort=make_cohort(name="Jeudi"), course=course)

    assignment.full_clean()
    assignment.save()


def test_cohort_may_be_assigned_two_courses():
    cohort = make_cohort()
    CohortCourse.objects.create(cohort=cohort, course=make_course())
    assignment = CohortCourse(cohort=cohort, course=make_course(), position=1)

    assignment.full_clean()
    assignment.save()


# progress_tutordigest_unique


def test_full_clean_refuses_a_second_digest_for_a_tutor_and_week():
    tutor = make_user()
    TutorDigest.objects.create(tutor=tutor, week="2026-W48")

    with pytest.raises(ValidationError) as excinfo:
        TutorDigest(tutor=tutor, week="2026-W48").full_clean()

    assert_unique_check(excinfo, ("tutor", "week"))


def test_database_refuses_a_second_digest_for_a_tutor_and_week():
    tutor = make_user()
    TutorDigest.objects.create(tutor=tutor, week="2026-W48")

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        TutorDigest.objects.create(tutor=tutor, week="2026-W48")

    assert_unique_violated(
        excinfo,
        name="progress_tutordigest_unique",
        columns=["progress_tutordigest.tutor_id", "progress_tutordigest.week"],
    )


def test_tutor_gets_a_digest_the_next_week():
    tutor = make_user()
    TutorDigest.objects.create(tutor=tutor, week="2026-W48")
    digest = TutorDigest(tutor=tutor, week="2026-W49")

    digest.full_clean()
    digest.save()


def test_two_tutors_get_a_digest_the_same_week():
    TutorDigest.objects.create(tutor=make_user(), week="2026-W48")
    digest = TutorDigest(tutor=make_user(), week="2026-W48")

    digest.full_clean()
    digest.save()
