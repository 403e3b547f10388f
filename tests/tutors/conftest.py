"""A tutor's world for the tutor rules: their cohort (one consented member,
one invitee who has not consented yet), another tutor's cohort on the same
course, and a learner in no cohort. Everyone but the member has data that
would change the figures if it leaked."""

from dataclasses import dataclass

import pytest

from courses.models import Course, Unit
from learning_platform.cohorts import membership_join, tutor_invite
from learning_platform.models import Cohort
from progress.models import CohortCourse
from progress.services import unit_complete
from quizzes.models import Quiz
from tests.factories import (
    make_course,
    make_learner,
    make_question,
    make_quiz,
    make_unit,
    make_user,
)

from .helpers import make_cohort, take


@dataclass
class World:
    tutor: object
    cohort: Cohort
    course: Course
    f1: Unit
    f2: Unit
    optional: Unit
    quiz: Quiz
    member: object
    invitee: object  # invited to the cohort, has not consented
    outsider: object  # in no cohort
    other_tutor: object
    other_cohort: Cohort
    other_member: object
    other_course: Course  # assigned to the other cohort only
    other_quiz: Quiz
    assignment: CohortCourse
    other_assignment: CohortCourse


@pytest.fixture
def world(db) -> World:
    # Three required grains (two fiches and a quiz) and an optional fiche.
    course = make_course(title="Hameçonnage")
    f1 = make_unit(course, slug="f1", position=1)
    f2 = make_unit(course, slug="f2", position=2)
    quiz = make_quiz(course, pass_mark=70)
    Unit.objects.filter(pk=quiz.unit_id).update(position=3, title="Le quiz")
    quiz.refresh_from_db()
    optional = make_unit(course, slug="bonus", position=4, required=False)
    make_question(quiz, prompt="Quel lien est sûr ?")
    other_course = make_course(title="Tableur")
    make_unit(other_course)
    other_quiz = make_quiz(other_course)
    make_question(other_quiz)

    tutor = make_user(username="karim", email="karim@example.org")
    cohort = make_cohort(name="Mardi", tutor=tutor, courses=[course])
    member = make_learner(username="zoe", display_name="Zoé Éluard")
    membership_join(learner=member, cohort=cohort)
    invitee = make_learner(username="ines", display_name="Inès Invitée")
    tutor_invite(tutor=tutor, cohort=cohort, username="ines")
    outsider = make_learner(username="omar", display_name="Omar Dehors")

    other_tutor = make_user(username="other-tutor", email="other@example.org")
    other_cohort = make_cohort(name="Jeudi", tutor=other_tutor, courses=[course, other_course])
    other_member = make_learner(username="paul", display_name="Paul Ailleurs")
    membership_join(learner=other_member, cohort=other_cohort)

    # Data of the non-members in the same course: progress, failures.
    for learner in (invitee, outsider, other_member):
        unit_complete(learner=learner, unit=f1)
        unit_complete(learner=learner, unit=optional)
        take(learner, quiz, passing=False)
        take(learner, quiz, passing=False)
    return World(
        tutor=tutor,
        cohort=cohort,
        course=course,
        f1=f1,
        f2=f2,
        optional=optional,
        quiz=quiz,
        member=member,
        invitee=invitee,
        outsider=outsider,
        other_tutor=other_tutor,
        other_cohort=other_cohort,
        other_member=other_member,
        other_course=other_course,
        other_quiz=other_quiz,
        assignment=CohortCourse.objects.get(cohort=cohort, course=course),
        other_assignment=CohortCourse.objects.get(cohort=other_cohort, course=other_course),
    )
