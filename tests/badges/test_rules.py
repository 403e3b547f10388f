"""Badge rules at their edges: eligibility (course complete and every
required quiz's best score at its pass mark or above, the learner's own
attempts only), one award at most, no claim of a revoked award, claim then
verify. The course (tests/badges/conftest.py): fiche, video, quiz at 70 %."""

import hashlib
from decimal import Decimal

import pytest
from django.utils import timezone

from badges.models import Assertion
from badges.selectors import eligibility
from badges.services import (
    BadgeError,
    assertion_claim,
    assertion_revoke,
    award_all,
    award_if_eligible,
)
from progress.services import unit_complete
from quizzes.models import Attempt
from tests.badges.helpers import finish_fiche_and_video, take_quiz
from tests.factories import make_course, make_question, make_quiz, make_unit

pytestmark = pytest.mark.django_db

LD = {"HTTP_ACCEPT": "application/ld+json"}


def _scored_attempt(learner, quiz, score: str):
    """A submitted attempt with this exact score (as the service records it)."""
    score = Decimal(score)
    return Attempt.objects.create(
        learner=learner,
        quiz=quiz,
        submitted_at=timezone.now(),
        score=score,
        points=score,
        max_points=Decimal(100),
        passed=score >= quiz.pass_mark,
    )


def _complete_with_best(learner, course, quiz, *scores, capture):
    """Every grain done, the quiz attempted with these scores."""
    for score in scores:
        _scored_attempt(learner, quiz, score)
    with capture(execute=True):
        finish_fiche_and_video(learner, course)
        unit_complete(learner=learner, unit=quiz.unit)


@pytest.mark.parametrize(
    "scores,eligible",
    [
        (("70.00",), True),  # exactly at the pass mark
        (("69.99",), False),  # a cent below
        (("50.00", "70.00", "60.00"), True),  # the best attempt counts, not the last
        (("69.99", "10.00"), False),
    ],
)
def test_best_score_at_the_pass_mark_makes_eligible_and_a_cent_below_does_not(
    learner, course, quiz, scores, eligible, django_capture_on_commit_callbacks
):
    _complete_with_best(learner, course, quiz, *scores, capture=django_capture_on_commit_callbacks)
    standing = eligibility(learner=learner, course=course)
    assert standing.course_complete is True
    assert standing.eligible is eligible
    assert Assertion.objects.filter(learner=learner).exists() is eligible
    if not eligible:
        assert standing.quizzes_to_pass == [(quiz, Decimal(max(scores)))]


def test_another_learners_passing_attempts_do_not_make_a_learner_eligible(
    learner, other_learner, course, quiz, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        finish_fiche_and_video(learner, course)
        first = take_quiz(learner, quiz, passing=True)  # 100 %: course complete
    quiz.pass_mark = 100
    quiz.save()
    Assertion.objects.all().delete()
    Attempt.objects.filter(pk=first.pk).update(score=Decimal("99.99"))  # best now below 100
    _scored_attempt(other_learner, quiz, "100.00")
    take_quiz(other_learner, quiz, passing=True)

    standing = eligibility(learner=learner, course=course)
    assert (standing.course_complete, standing.eligible) == (True, False)
    assert standing.quizzes_to_pass == [(quiz, Decimal("99.99"))]
    assert award_if_eligible(learner=learner, course=course) == (None, False)
    assert not Assertion.objects.filter(learner=learner).exists()


def test_a_learner_who_never_attempted_the_quiz_is_not_eligible_whoever_passed_it(
    learner, other_learner, course, quiz, django_capture_on_commit_callbacks
):
    _scored_attempt(other_learner, quiz, "100.00")
    with django_capture_on_commit_callbacks(execute=True):
        finish_fiche_and_video(learner, course)
        unit_complete(learner=learner, unit=quiz.unit)  # the grain marked, no attempt
    assert eligibility(learner=learner, course=course).quizzes_to_pass == [(quiz, None)]
    assert not Assertion.objects.filter(learner=learner).exists()


def test_an_incomplete_course_is_not_eligible_even_with_the_quiz_passed(
    learner, course, quiz, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        take_quiz(learner, quiz, passing=True)
    standing = eligibility(learner=learner, course=course)
    assert (standing.course_complete, standing.eligible, standing.quizzes_to_pass) == (
        False,
        False,
        [],
    )
    assert not Assertion.objects.exists()


def test_an_optional_quiz_is_not_required(learner, django_capture_on_commit_callbacks):
    course = make_course()
    fiche = make_unit(course)
    optional = make_quiz(course, pass_mark=100)
    optional.unit.required = False
    optional.unit.save()
    make_question(optional)
    take_quiz(learner, optional, passing=False)  # failed, and never passed
    with django_capture_on_commit_callbacks(execute=True):
        unit_complete(learner=learner, unit=fiche)
    assert eligibility(learner=learner, course=course).eligible is True
    assert Assertion.objects.filter(learner=learner, badge_class__course=course).count() == 1


def test_a_badge_is_awarded_at_most_once(learner, course, quiz, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        finish_fiche_and_video(learner, course)
        take_quiz(learner, quiz, passing=True)
        take_quiz(learner, quiz, passing=True)  # passing again
    award = Assertion.objects.get(learner=learner)
    assert award_if_eligible(learner=learner, course=course) == (award, False)
    assert award_all() == 0
    assert Assertion.objects.filter(learner=learner).count() == 1


def test_award_all_awards_what_is_due_once(
    learner, other_learner, course, quiz, django_capture_on_commit_callbacks
):
    for person in (learner, other_learner):
        with django_capture_on_commit_callbacks(execute=True):
            finish_fiche_and_video(person, course)
            take_quiz(person, quiz, passing=True)
    Assertion.objects.all().delete()
    assert award_all() == 2
    assert award_all() == 0
    assert Assertion.objects.count() == 2


@pytest.fixture
def unclaimed(learner, course, quiz, django_capture_on_commit_callbacks):
    """The learner has no e-mail: their award waits to be claimed."""
    with django_capture_on_commit_callbacks(execute=True):
        finish_fiche_and_video(learner, course)
        take_quiz(learner, quiz, passing=True)
    award = Assertion.objects.get(learner=learner)
    assert award.recipient_identity == ""
    return award


def test_a_revoked_badge_cannot_be_claimed(learner, unclaimed):
    assert assertion_revoke(assertion=unclaimed, reason="Fraude") is True
    with pytest.raises(BadgeError):
        assertion_claim(assertion=unclaimed, email="awa@example.org")
    unclaimed.refresh_from_db()
    learner.refresh_from_db()
    assert (unclaimed.recipient_identity, learner.email) == ("", "")


def test_revoking_twice_keeps_the_first_reason(unclaimed):
    assert assertion_revoke(assertion=unclaimed, reason="Fraude") is True
    assert assertion_revoke(assertion=unclaimed, reason="Autre") is False
    unclaimed.refresh_from_db()
    assert unclaimed.revocation_reason == "Fraude"


def test_claim_then_verify(client, learner, unclaimed, settings):
    settings.SITE_URL = "https://badges.example.org"
    assert client.get(unclaimed.get_absolute_url(), **LD).status_code == 404  # not yet public
    assertion_claim(assertion=unclaimed, email="  Awa.Diallo@Example.org ")
    # Open Badges 2.0 hashed identity: sha256 of the trimmed, lower-cased e-mail + salt.
    digest = hashlib.sha256(f"awa.diallo@example.org{unclaimed.salt}".encode()).hexdigest()
    unclaimed.refresh_from_db()
    assert unclaimed.recipient_identity == f"sha256${digest}"
    learner.refresh_from_db()
    assert learner.email == "Awa.Diallo@Example.org"

    doc = client.get(unclaimed.get_absolute_url(), **LD).json()
    assert doc["recipient"] == {
        "type": "email",
        "hashed": True,
        "salt": unclaimed.salt,
        "identity": f"sha256${digest}",
    }
    assert doc["verification"] == {"type": "hosted"}
    assert "revoked" not in doc

    with pytest.raises(BadgeError):  # claimed once only
        assertion_claim(assertion=unclaimed, email="other@example.org")
    unclaimed.refresh_from_db()
    assert unclaimed.recipient_identity == f"sha256${digest}"


def test_a_revoked_claimed_badge_answers_410(client, learner, unclaimed):
    assertion_claim(assertion=unclaimed, email="awa@example.org")
    assertion_revoke(assertion=unclaimed, reason="Fraude")
    assert client.get(unclaimed.get_absolute_url(), **LD).status_code == 410
