"""The world of the bad-input tests: a small one, with a real id of each
kind (the values and helpers they share are in helpers.py)."""

from dataclasses import dataclass

import pytest

from learning_platform.cohorts import membership_join
from learning_platform.services import api_token_create
from progress.services import cohort_course_assign
from quizzes.services import attempt_start
from tests.factories import (
    make_cohort,
    make_course,
    make_learner,
    make_question,
    make_quiz,
    make_unit,
    make_user,
)


@dataclass
class World:
    learner: object
    tutor: object
    staff: object
    real: dict  # slot name -> a real id the personas may reach
    cohort: object
    course: object
    quiz: object
    attempt: object


@pytest.fixture
def world(db) -> World:
    course = make_course(title="Mots de passe", slug="mots-de-passe")
    make_unit(course, slug="fiche-1")
    quiz = make_quiz(course, attempts_allowed=3)
    make_question(quiz)
    tutor = make_user(username="tutrice")
    cohort = make_cohort(name="Mardi", tutors=[tutor])
    assignment = cohort_course_assign(cohort=cohort, course=course)
    learner = make_learner(username="apprenant")
    membership_join(learner=learner, cohort=cohort)
    attempt = attempt_start(learner=learner, quiz=quiz)
    token, _key = api_token_create(user=learner, name="Téléphone")
    staff = make_user(username="admin", is_staff=True, is_superuser=True)
    real = {
        "cohort_id": cohort.pk,
        "learner_id": learner.pk,
        "tutor_id": tutor.pk,
        "quiz_id": quiz.pk,
        "unit_id": quiz.unit_id,
        "attempt_id": attempt.pk,
        "token_id": token.pk,
        "assignment_id": assignment.pk,
        "object_id": learner.pk,
    }
    return World(
        learner=learner,
        tutor=tutor,
        staff=staff,
        real=real,
        cohort=cohort,
        course=course,
        quiz=quiz,
        attempt=attempt,
    )
