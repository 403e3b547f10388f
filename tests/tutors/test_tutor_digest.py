"""The weekly digest: what it says, at the edges of its week, and that the
mail leaves only once the week's row is committed, at most once a week."""

from datetime import timedelta
from io import StringIO
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import timezone

from learning_platform.models import CohortMembership
from progress.models import Enrolment, TutorDigest
from progress.services import unit_complete
from progress.tutor_digest import tutor_digest

from .helpers import take

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPException("mail server down")


def _stuck(world):
    """The member fails the quiz twice; the other tutor, whose member is
    stuck too, has no e-mail: the command has one digest to send."""
    world.other_tutor.email = ""
    world.other_tutor.save()
    take(world.member, world.quiz, passing=False)
    take(world.member, world.quiz, passing=False)


def _names(rows):
    return [r.learner.username for r in rows]


def test_digest_lists_who_crossed_the_inactivity_threshold_this_week(world):
    now = timezone.now()
    unit_complete(learner=world.member, unit=world.optional)
    # Threshold 14 days: crossed during the week means last active 14 to 21 days ago.
    for age, expected in (
        (timedelta(days=14), ["zoe"]),
        (timedelta(days=14) - timedelta(minutes=5), []),
        (timedelta(days=21) - timedelta(minutes=5), ["zoe"]),
        (timedelta(days=21), []),
    ):
        Enrolment.objects.filter(learner=world.member).update(last_activity_at=now - age)
        sections = tutor_digest(tutor=world.tutor, now=now)
        assert [_names(s.inactive) for s in sections] == ([expected] if expected else []), age


def test_digest_lists_finishers_and_the_stuck_of_the_tutors_cohorts_only(world):
    now = timezone.now()
    CohortMembership.objects.filter(learner=world.member).update(consented_at=now)
    # The non-members are stuck too (conftest) and finish the course.
    Enrolment.objects.filter(course=world.course).update(completed_at=now - timedelta(days=1))
    assert tutor_digest(tutor=world.tutor, now=now) == []  # the member has no enrolment yet
    unit_complete(learner=world.member, unit=world.optional)
    Enrolment.objects.filter(learner=world.member).update(completed_at=now - timedelta(days=8))
    _stuck(world)
    [section] = tutor_digest(tutor=world.tutor, now=now)
    assert section.cohort == world.cohort
    assert (_names(section.inactive), _names(section.finished)) == ([], [])
    assert _names(section.stuck) == ["zoe"]
    Enrolment.objects.filter(learner=world.member).update(completed_at=now - timedelta(days=6))
    [section] = tutor_digest(tutor=world.tutor, now=now)
    assert _names(section.finished) == ["zoe"]


def test_the_mail_leaves_after_commit_only(world, django_capture_on_commit_callbacks):
    _stuck(world)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call_command("send_tutor_digests", stdout=StringIO())
    assert TutorDigest.objects.filter(tutor=world.tutor).count() == 1
    assert len(mail.outbox) == 0 and len(callbacks) == 1  # waiting for the commit
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [["karim@example.org"]]


def test_a_refused_mail_frees_the_week_for_the_next_run(
    world, settings, django_capture_on_commit_callbacks
):
    _stuck(world)
    settings.EMAIL_BACKEND = "tests.tutors.test_tutor_digest.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_tutor_digests", stdout=StringIO())
    assert not TutorDigest.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_tutor_digests", stdout=StringIO())
    assert len(mail.outbox) == 1 and TutorDigest.objects.count() == 1


def test_a_tutor_without_news_or_without_email_gets_nothing(
    world, django_capture_on_commit_callbacks
):
    world.other_tutor.email = ""
    world.other_tutor.save()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_tutor_digests", stdout=out)  # the member is not stuck
    assert "0 digest(s) sent" in out.getvalue()
    _stuck(world)
    world.tutor.email = ""
    world.tutor.save()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_tutor_digests", stdout=out)
    assert len(mail.outbox) == 0 and not TutorDigest.objects.exists()
