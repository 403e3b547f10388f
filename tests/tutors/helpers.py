"""Small helpers of the tutor tests: build a cohort, take a quiz, find a row."""

from django.utils import timezone

from badges.models import Assertion
from badges.services import badge_class_ensure
from learning_platform.models import Cohort, Organisation
from progress.services import cohort_course_assign
from quizzes.services import attempt_start, attempt_submit
from tests.factories import right_answers, wrong_answers


def make_cohort(*, name: str, tutor, courses=()) -> Cohort:
    organisation = Organisation.objects.create(name=f"Org {name}", kind="public_space")
    cohort = Cohort.objects.create(name=name, organisation=organisation)
    cohort.tutors.add(tutor)
    for course in courses:
        cohort_course_assign(cohort=cohort, course=course)
    return cohort


def take(learner, quiz, *, passing: bool):
    attempt = attempt_start(learner=learner, quiz=quiz)
    return attempt_submit(
        learner=learner,
        attempt=attempt,
        answers=right_answers(attempt) if passing else wrong_answers(attempt),
    )


def award(learner, course) -> Assertion:
    """A badge row, straight: the rules of awarding are tested in tests/badges."""
    return Assertion.objects.create(
        badge_class=badge_class_ensure(course),
        learner=learner,
        issued_on=timezone.now(),
        salt="s",
        evidence="e",
    )


def row_of(table, learner):
    return next(r for r in table.rows if r.learner == learner)


def usernames(table) -> set[str]:
    return {r.learner.username for r in table.rows}
