"""Fifty completions of the same course arriving at once give one award.
Needs a real database server: SQLite serialises writers, so the race only
exists on PostgreSQL (.ci/run runs this file there)."""

import pytest

from badges.models import Assertion
from courses.models import Course
from progress.models import UnitCompletion
from progress.services import unit_complete
from progress.signals import course_completed
from tests.concurrency import race
from tests.factories import make_course, make_learner, make_unit

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WORKERS = 50


def _race(target):
    """Run ``target`` in WORKERS threads released together; return their errors."""
    return race(target, WORKERS)[1]


@pytest.fixture
def setup():
    learner = make_learner(email="camille@example.org")
    course = make_course()
    return learner, course, make_unit(course)


def test_fifty_concurrent_completions_of_the_last_grain_award_one_badge(setup):
    learner, course, fiche = setup
    errors = _race(lambda: unit_complete(learner=learner, unit=fiche))
    assert errors == []
    assert UnitCompletion.objects.filter(learner=learner).count() == 1
    assert Assertion.objects.filter(learner=learner, badge_class__course=course).count() == 1


def test_fifty_concurrent_completion_events_award_one_badge(setup):
    learner, course, fiche = setup
    unit_complete(learner=learner, unit=fiche)
    Assertion.objects.all().delete()  # as if the award had not been made yet

    def announce():
        course_completed.send(sender=Course, learner=learner, course=course, enrolment=None)

    errors = _race(announce)
    assert errors == []
    assert Assertion.objects.filter(learner=learner, badge_class__course=course).count() == 1
