"""Courses: what tests/courses/test_models.py leaves open about the named
constraints. Its slug tests see *an* error; these name the constraint:
``unique_check`` in Python (a unique constraint on fields reports Django's
"already exists" message, not its name), the constraint or its columns in
the database. Minutes and the video source are named there already."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from courses.models import Course, Unit
from tests.constraints import assert_unique_violated
from tests.factories import make_course, make_unit

pytestmark = pytest.mark.django_db


# courses_unit_slug_unique


def test_full_clean_names_the_fields_of_the_unit_slug_constraint():
    course = make_course()
    make_unit(course, slug="fiche")
    unit = Unit(
        course=course, slug="fiche", title="Fiche", kind=Unit.Kind.FICHE, minutes=5, body="Texte."
    )

    with pytest.raises(ValidationError) as excinfo:
        unit.full_clean()

    (error,) = excinfo.value.error_dict["__all__"]
    assert error.code == "unique_together"
    assert error.params["unique_check"] == ("course", "slug")


def test_database_names_the_unit_slug_constraint():
    course = make_course()
    make_unit(course, slug="fiche")

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        make_unit(course, slug="fiche")

    message = str(excinfo.value)
    if connection.vendor == "sqlite":
        assert "UNIQUE constraint failed: courses_unit.course_id, courses_unit.slug" in message
    else:
        assert "courses_unit_slug_unique" in message


# A published course has at most one working copy (a revision in progress).


def _second_copy(course):
    return Course(
        title="Copie",
        slug="copie-2",
        summary="Une copie.",
        level=Course.Level.BEGINNER,
        status=Course.Status.DRAFT,
        revision_of=course,
    )


def test_full_clean_refuses_a_second_working_copy():
    course = make_course()
    make_course(status=Course.Status.DRAFT, revision_of=course)
    with pytest.raises(ValidationError) as excinfo:
        _second_copy(course).full_clean()
    (error,) = excinfo.value.error_dict["__all__"]
    assert error.messages == ["Ce parcours a déjà une révision en cours."]


def test_database_refuses_a_second_working_copy():
    course = make_course()
    make_course(status=Course.Status.DRAFT, revision_of=course)
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        _second_copy(course).save()
    assert_unique_violated(
        excinfo, name="courses_course_one_working_copy", columns=["courses_course.revision_of_id"]
    )


def test_courses_without_a_revision_are_not_bound_by_it():
    make_course(status=Course.Status.DRAFT)
    make_course(status=Course.Status.DRAFT)
    assert Course.objects.filter(revision_of__isnull=True).count() == 2
