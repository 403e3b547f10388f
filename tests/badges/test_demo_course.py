"""A learner follows a real demo course through the pages: no request
sequence short of completing it with the quiz passed earns the badge."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from badges.models import Assertion
from badges.services import hash_email
from courses.models import Course, Unit
from quizzes.models import Attempt
from tests.factories import make_learner, right_answers, wrong_answers

pytestmark = pytest.mark.django_db

CONTENT = Path(__file__).resolve().parents[2] / "content"
LD = {"HTTP_ACCEPT": "application/ld+json"}


@pytest.fixture
def demo(db):
    call_command("load_content", str(CONTENT), stdout=StringIO())
    return Course.objects.get(slug="securiser-ses-mots-de-passe")


def _submit(client, learner, quiz_unit, answers_for):
    client.post(reverse("quizzes:start", args=[quiz_unit.id]))
    attempt = Attempt.objects.get(learner=learner, quiz=quiz_unit.quiz, submitted_at__isnull=True)
    data = {f"q-{qid}": values for qid, values in answers_for(attempt).items()}
    client.post(reverse("quizzes:submit", args=[attempt.id]), data)
    attempt.refresh_from_db()
    return attempt


def test_demo_course_quiz_failed_then_passed_awards_one_badge(
    client, demo, django_capture_on_commit_callbacks
):
    learner = make_learner(username="awa", email="awa@example.org")
    client.force_login(learner)
    units = list(demo.units.order_by("position"))
    quiz_unit = next(u for u in units if u.kind == Unit.Kind.QUIZ)
    with django_capture_on_commit_callbacks(execute=True):
        # The quiz cannot be marked done by hand, and failing it earns nothing.
        assert client.post(reverse("progress:complete", args=[quiz_unit.id])).status_code == 404
        assert _submit(client, learner, quiz_unit, wrong_answers).passed is False
        for unit in units:
            if unit.kind != Unit.Kind.QUIZ:
                client.post(reverse("progress:complete", args=[unit.id]))
        assert not Assertion.objects.exists()  # every fiche and video done, quiz failed
        assert _submit(client, learner, quiz_unit, right_answers).passed is True
    award = Assertion.objects.get()
    assert award.learner == learner and award.badge_class.course == demo

    doc = client.get(award.get_absolute_url(), **LD).json()
    assert doc["recipient"]["identity"] == hash_email("awa@example.org", doc["recipient"]["salt"])
    for key in (
        "id",
        "type",
        "recipient",
        "badge",
        "verification",
        "issuedOn",
        "evidence",
        "image",
    ):
        assert doc[key], key
    # Passing again and reloading the content change nothing.
    with django_capture_on_commit_callbacks(execute=True):
        _submit(client, learner, quiz_unit, right_answers)
    call_command("load_content", str(CONTENT), stdout=StringIO())
    assert Assertion.objects.count() == 1
