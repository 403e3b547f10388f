"""The weekly digest through a real Celery worker and a real broker (Redis,
CELERY_BROKER_URL): queued by celery beat's task or the command, run by the
worker's threads, retried with backoff when the mail server refuses, and at
most one e-mail per tutor and week however many schedulers tick. Skipped
without a broker; .ci/run runs these against Redis and PostgreSQL."""

import os
import time
from collections import Counter
from io import StringIO
from smtplib import SMTPException

import pytest
import redis
from celery.worker import state
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command

from progress import tasks
from progress.models import TutorDigest
from tests.factories import make_user

from .helpers import take

pytestmark = [
    pytest.mark.queue,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _drain(timeout: float = 60) -> None:
    """Wait until the broker's queue is empty and the worker holds no task
    (running, reserved, or waiting for its retry countdown)."""
    broker = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < 5:
        assert time.monotonic() < deadline, "the worker did not finish its tasks in time"
        busy = (
            broker.llen("celery")
            or state.active_requests
            or state.reserved_requests
            or state.scheduled_requests
        )
        quiet = 0 if busy else quiet + 1
        time.sleep(0.2)


def _news_for(world, extra_tutors: int) -> list[str]:
    """The member is stuck; the cohort has more tutors; every tutor of the
    world has news. Returns their addresses."""
    for n in range(extra_tutors):
        world.cohort.tutors.add(make_user(username=f"co-tutor-{n}", email=f"co{n}@example.org"))
    take(world.member, world.quiz, passing=False)
    take(world.member, world.quiz, passing=False)
    return sorted(
        ["karim@example.org", "other@example.org"]
        + [f"co{n}@example.org" for n in range(extra_tutors)]
    )


def test_schedulers_ticking_at_once_send_one_digest_per_tutor_per_week(world, queue_worker):
    addresses = _news_for(world, extra_tutors=3)
    # Someone runs the command as two beats started by mistake tick.
    out = StringIO()
    call_command("send_tutor_digests", stdout=out)
    tasks.send_tutor_digests.delay()
    tasks.send_tutor_digests.delay()
    assert out.getvalue().endswith(": 5 queued.\n")  # for the worker, not sent here
    _drain()
    assert sorted(to for m in mail.outbox for to in m.to) == addresses
    assert Counter(TutorDigest.objects.values_list("status", "attempts")) == {("sent", 1): 5}
    # Next tick of the same week: nothing more.
    tasks.send_tutor_digests.delay()
    _drain()
    assert len(mail.outbox) == 5


class FlakyBackend(EmailBackend):
    """The mail server refuses the first two sendings, then takes them."""

    refusals = 0

    def send_messages(self, messages):
        if FlakyBackend.refusals < 2:
            FlakyBackend.refusals += 1
            raise SMTPException("451 try again later")
        return super().send_messages(messages)


def _one_tutor_and_a_mail_server(world, settings, monkeypatch, backend: str) -> None:
    """Only the world's tutor has an address and news; retries wait up to
    1 s, then 2 s, 4 s (instead of minutes)."""
    world.other_tutor.email = ""
    world.other_tutor.save()
    _news_for(world, extra_tutors=0)
    settings.EMAIL_BACKEND = backend
    monkeypatch.setattr(tasks, "RETRY_BACKOFF", 1)


def test_a_refused_digest_is_retried_with_backoff_then_sent_once(
    world, queue_worker, settings, monkeypatch, caplog
):
    FlakyBackend.refusals = 0
    _one_tutor_and_a_mail_server(
        world, settings, monkeypatch, "tests.tutors.test_digest_worker.FlakyBackend"
    )
    tasks.send_tutor_digests.delay()
    _drain()
    assert [m.to for m in mail.outbox] == [["karim@example.org"]]
    digest = TutorDigest.objects.get()
    assert (digest.status, digest.attempts, digest.last_error) == ("sent", 3, "")
    warnings = [r.getMessage() for r in caplog.records if r.name == "progress.tasks"]
    assert len(warnings) == 2, warnings
    assert all("retry in" in w and "(task " in w for w in warnings)


def test_a_digest_the_server_keeps_refusing_is_given_up_and_shown_failed(
    world, queue_worker, settings, monkeypatch, caplog
):
    _one_tutor_and_a_mail_server(
        world, settings, monkeypatch, "tests.tutors.test_tutor_digest.RefusingBackend"
    )
    monkeypatch.setattr(tasks, "MAX_RETRIES", 2)
    tasks.send_tutor_digests.delay()
    _drain()
    assert mail.outbox == []
    digest = TutorDigest.objects.get()
    assert (digest.status, digest.attempts) == ("failed", 3)
    assert digest.last_error == "SMTPException: mail server down"
    levels = [r.levelname for r in caplog.records if r.name == "progress.tasks"]
    assert levels == ["WARNING", "WARNING", "ERROR"]
