"""Two "Marquer comme terminé" on a course's last grain at the same instant,
on the default database (SQLite): no server error, one completion, one badge.

SQLite lets one connection write at a time. A transaction that reads first
and writes later (unit_complete) used to start deferred; when another
request had written in between, SQLite refused the upgrade at once with
"database is locked" instead of waiting. The settings make SQLite take the
write lock at BEGIN (transaction_mode IMMEDIATE), so the second click waits
its turn. These tests need real connections from several threads, hence a
file test database (settings: DATABASES TEST NAME) and a transactional test.
On PostgreSQL they run too, as one more race on the same rules.
"""

import functools
import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from badges.models import Assertion
from progress.models import Enrolment, UnitCompletion
from progress.services import unit_complete
from tests.factories import make_course, make_learner, make_unit

# Transactional: the threads' connections must see the data. Serialized
# rollback, as every transactional test here (see tests/conftest.py).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CLICKS = 8
ROUNDS = 20
# A bug must fail the test, not hang CI (pytest-timeout stops a test at 120 s).
BARRIER_TIMEOUT = 10
JOIN_TIMEOUT = 30


def _race(clicks: list[Callable[[], object]]) -> tuple[list, list[BaseException]]:
    """Run each click in its own thread, all released together by a barrier.
    Returns the results and the exceptions; each thread closes its connection."""
    barrier = threading.Barrier(len(clicks), timeout=BARRIER_TIMEOUT)
    results, errors = [], []

    def run(click: Callable[[], object]) -> None:
        try:
            connection.ensure_connection()  # race the writes, not the connects
            barrier.wait()  # broken after BARRIER_TIMEOUT if a thread never arrives
            results.append(click())
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(click,), daemon=True) for click in clicks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a click is still waiting"
    return results, errors


@pytest.fixture
def course():
    if connection.vendor == "sqlite":
        assert not connection.is_in_memory_db(), "needs a file test database (TEST NAME)"
    course = make_course(title="Sécuriser ses comptes")
    make_unit(course, slug="premier", position=1)
    make_unit(course, slug="dernier", position=2)
    return course


def _learner_one_grain_from_the_end(course, n: int):
    learner = make_learner(username=f"camille{n}", email=f"camille{n}@example.org")
    unit_complete(learner=learner, unit=course.units.get(slug="premier"))
    return learner


def _assert_one_completion_and_one_badge(learner, course, last) -> None:
    assert UnitCompletion.objects.filter(learner=learner, unit=last).count() == 1
    enrolment = Enrolment.objects.get(learner=learner, course=course)
    assert enrolment.completed_at is not None
    assert Assertion.objects.filter(learner=learner, badge_class__course=course).count() == 1


def test_the_last_grain_completed_eight_times_at_once_completes_once(course):
    last = course.units.get(slug="dernier")
    for n in range(ROUNDS):
        learner = _learner_one_grain_from_the_end(course, n)

        click = functools.partial(unit_complete, learner=learner, unit=last)
        results, errors = _race([click] * CLICKS)

        assert errors == [], f"round {n}: {errors!r}"
        assert sorted(results) == [False] * (CLICKS - 1) + [True], f"round {n}"
        _assert_one_completion_and_one_badge(learner, course, last)


def _click(learner, url: str, *, htmx: bool) -> Callable[[], int]:
    """One browser tab of the learner, logged in, ready to post the form."""
    client = Client()
    client.force_login(learner)
    headers = {"HX-Request": "true"} if htmx else {}
    return lambda: client.post(url, headers=headers).status_code


def test_eight_clicks_on_marquer_comme_termine_at_once_give_no_server_error(course):
    last = course.units.get(slug="dernier")
    url = reverse("progress:complete", args=[last.id])
    for n in range(ROUNDS):
        learner = _learner_one_grain_from_the_end(course, n)

        statuses, errors = _race([_click(learner, url, htmx=bool(i % 2)) for i in range(CLICKS)])

        # The test client re-raises a view's exception: a 500 lands in errors.
        assert errors == [], f"round {n}: {errors!r}"
        assert sorted(statuses) == [200] * (CLICKS // 2) + [302] * (CLICKS // 2), f"round {n}"
        _assert_one_completion_and_one_badge(learner, course, last)
