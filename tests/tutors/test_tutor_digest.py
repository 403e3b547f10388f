"""The weekly digest: what it says, at the edges of its week, and that the
mail leaves only once the week's row claims it, at most once a week. Tasks
run at once here (no broker); tests/tutors/test_digest_worker.py runs them
through a real worker, test_digest_once.py races them."""

from datetime import timedelta
from io import StringIO
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from learning_platform.models import CohortMembership
from progress.models import Enrolment, TutorDigest
from progress.services import (
    tutor_digest_claim,
    tutor_digest_failed,
    tutor_digest_sent,
    unit_complete,
)
from progress.tasks import send_tutor_digest
from progress.tutor_digest import tutor_digest
from tests.factories import make_user

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


class PeekingBackend(BaseEmailBackend):
    """Sends nothing; notes the state of the tutor's row as each mail leaves."""

    seen: list = []

    def send_messages(self, email_messages):
        for _message in email_messages:
            PeekingBackend.seen.append(list(TutorDigest.objects.values_list("status", "attempts")))
        return len(email_messages)


def test_the_week_is_claimed_before_the_mail_leaves_and_marked_sent_after(world, settings):
    _stuck(world)
    settings.EMAIL_BACKEND = "tests.tutors.test_tutor_digest.PeekingBackend"
    PeekingBackend.seen = []
    out = StringIO()
    call_command("send_tutor_digests", stdout=out)
    assert PeekingBackend.seen == [[("sending", 1)]]
    digest = TutorDigest.objects.get()
    assert (digest.tutor, digest.status, digest.attempts) == (world.tutor, "sent", 1)
    assert digest.sent_at is not None and digest.last_error == ""
    assert (
        digest.week
        == f"{timezone.localdate().isocalendar()[0]}-W{timezone.localdate().isocalendar()[1]:02d}"
    )
    assert out.getvalue() == f"{digest.week}: 1 sent.\n"


def test_the_digest_is_in_french_and_names_the_week_and_the_stuck_learner(world):
    _stuck(world)
    call_command("send_tutor_digests", stdout=StringIO())
    [message] = mail.outbox
    week = TutorDigest.objects.get().week
    assert message.to == ["karim@example.org"]
    assert message.subject == f"Vos groupes cette semaine ({week})"
    assert "Zoé Éluard" in message.body and "Mardi" in message.body


def test_a_refused_mail_leaves_the_week_failed_and_the_next_run_sends_it(world, settings, caplog):
    _stuck(world)
    settings.EMAIL_BACKEND = "tests.tutors.test_tutor_digest.RefusingBackend"
    out = StringIO()
    call_command("send_tutor_digests", stdout=out)
    assert "1 failed" in out.getvalue()
    digest = TutorDigest.objects.get()
    assert (digest.status, digest.attempts, digest.sent_at) == ("failed", 1, None)
    assert digest.last_error == "SMTPException: mail server down"
    [record] = [r for r in caplog.records if r.name == "progress.tasks"]
    assert record.levelname == "ERROR" and "given up (task " in record.getMessage()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for _run in range(2):
        call_command("send_tutor_digests", stdout=StringIO())
    assert len(mail.outbox) == 1
    digest.refresh_from_db()
    assert (digest.status, digest.attempts, digest.last_error) == ("sent", 2, "")


def test_a_digest_sent_or_being_sent_is_not_claimed_again(world):
    _stuck(world)
    week = "2026-W48"
    digest = tutor_digest_claim(tutor=world.tutor, week=week)
    assert digest is not None and digest.status == "sending"
    assert tutor_digest_claim(tutor=world.tutor, week=week) is None  # being sent
    assert send_tutor_digest.delay(world.tutor.pk, week).result == "already sent"
    tutor_digest_sent(digest=digest)
    assert tutor_digest_claim(tutor=world.tutor, week=week) is None  # sent
    assert send_tutor_digest.delay(world.tutor.pk, week).result == "already sent"
    # Another week, another digest.
    assert tutor_digest_claim(tutor=world.tutor, week="2026-W49") is not None
    assert len(mail.outbox) == 0


def test_only_a_failed_digest_is_claimed_again(world):
    digest = tutor_digest_claim(tutor=world.tutor, week="2026-W48")
    tutor_digest_failed(digest=digest, error="SMTPException: down")
    again = tutor_digest_claim(tutor=world.tutor, week="2026-W48")
    assert (again.pk, again.status, again.attempts) == (digest.pk, "sending", 2)
    assert tutor_digest_claim(tutor=world.tutor, week="2026-W48") is None


def test_a_tutor_without_news_or_without_email_gets_nothing(world):
    world.other_tutor.email = ""
    world.other_tutor.save()
    out = StringIO()
    call_command("send_tutor_digests", stdout=out)  # the member is not stuck
    assert out.getvalue().endswith(": 1 no news.\n")
    _stuck(world)
    world.tutor.email = ""
    world.tutor.save()
    out = StringIO()
    call_command("send_tutor_digests", stdout=out)
    assert out.getvalue().endswith(": no tutor to write to.\n")
    assert send_tutor_digest.delay(world.tutor.pk, "2026-W48").result == "no address"
    assert len(mail.outbox) == 0 and not TutorDigest.objects.exists()


def test_the_digest_states_read_in_french_in_the_admin():
    with translation.override("fr"):
        labels = [str(label) for label in TutorDigest.Status.labels]
        help_text = str(TutorDigest._meta.get_field("last_error").help_text)
    assert labels == ["envoi en cours", "envoyé", "échec"]
    assert help_text == "La réponse du serveur de messagerie, s’il a refusé l’envoi."


def test_a_failed_digest_shows_in_the_admin_with_the_servers_answer(world, client, settings):
    _stuck(world)
    settings.EMAIL_BACKEND = "tests.tutors.test_tutor_digest.RefusingBackend"
    call_command("send_tutor_digests", stdout=StringIO())
    client.force_login(make_user(username="root", is_staff=True, is_superuser=True))
    url = reverse("admin:progress_tutordigest_changelist")
    page = client.get(url, {"status__exact": "failed"}).content.decode()
    assert "karim" in page and "SMTPException: mail server down" in page
    assert "karim" not in client.get(url, {"status__exact": "sent"}).content.decode()
    assert client.get(reverse("admin:progress_tutordigest_add")).status_code == 403
