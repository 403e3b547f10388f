"""Once per tutor and week, even when the weekly job runs many times at the
same instant (two celery beats started by mistake, a cron on top): the
week's row is the claim, and only one task can make it. Needs a real
database server: SQLite serialises writers, so the race only exists on
PostgreSQL (.ci/run runs this file there). Tasks run at once, in each
thread; tests/tutors/test_digest_worker.py races them through a worker."""

from collections import Counter

import pytest
from django.core import mail

from progress.models import TutorDigest
from progress.services import tutor_digest_claim, tutor_digest_failed
from progress.tasks import send_tutor_digests
from tests.concurrency import race
from tests.factories import make_user

from .helpers import take

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WORKERS = 20


def _race(target) -> tuple[list, list]:
    return race(target, WORKERS)


def test_twenty_weekly_jobs_at_once_send_one_digest_per_tutor(world):
    for n in range(3):
        world.cohort.tutors.add(make_user(username=f"co-tutor-{n}", email=f"co{n}@example.org"))
    take(world.member, world.quiz, passing=False)
    take(world.member, world.quiz, passing=False)
    results, errors = _race(send_tutor_digests)
    assert errors == []
    recipients = Counter(to for m in mail.outbox for to in m.to)
    assert recipients == {
        "karim@example.org": 1,
        "other@example.org": 1,
        "co0@example.org": 1,
        "co1@example.org": 1,
        "co2@example.org": 1,
    }
    assert TutorDigest.objects.filter(status="sent").count() == 5
    outcomes = sum(
        (Counter({k: v for k, v in r.items() if k != "week"}) for r in results), Counter()
    )
    assert outcomes["sent"] == 5 and set(outcomes) <= {"sent", "already sent"}


def test_of_twenty_claims_at_once_one_wins_and_of_twenty_reclaims_of_a_failure_too(world):
    results, errors = _race(lambda: tutor_digest_claim(tutor=world.tutor, week="2026-W48"))
    assert errors == []
    [digest] = [r for r in results if r is not None]
    tutor_digest_failed(digest=digest, error="SMTPException: down")
    results, errors = _race(lambda: tutor_digest_claim(tutor=world.tutor, week="2026-W48"))
    assert errors == []
    assert len([r for r in results if r is not None]) == 1
    assert TutorDigest.objects.get().attempts == 2
