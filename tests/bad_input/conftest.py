"""What the bad-input tests share: the values a tampered request puts
where an id goes, and a small world with a real id of each kind."""

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

# 0 and -1 (below every id), 2**63 (one past a signed 64-bit column),
# 30 nines, a superscript two and an Arabic-Indic three (str.isdigit() is
# True for both, and int() reads the second as 3), and an integer longer
# than Python converts from text (4,300 digits).
BAD_IDS = ["0", "-1", str(2**63), "9" * 30, "²", "٣", "9" * 5000]


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
