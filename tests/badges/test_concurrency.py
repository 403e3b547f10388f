"""Fifty completions of the same course arriving at once give one award.
Needs a real database server: SQLite serialises writers, so the race only
exists on PostgreSQL (.ci/run runs this file there)."""

import threading

import pytest
from django.db import connection

from badges.models import Assertion
from courses.models import Course
from progress.models import UnitCompletion
from progress.services import unit_complete
from progress.signals import course_completed
from tests.factories import make_course, make_learner, make_unit

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WORKERS = 50


def _race(target):
    """Run ``target`` in WORKERS threads released together; return their errors."""
    barrier = threading.Barrier(WORKERS, timeout=60)
    errors = []

    def run():
        try:
            barrier.wait()
            target()
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


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
