"""One more attempt, from the tutor's learner page: only for a consented
learner of the tutor's own cohort, at a quiz of a course assigned to it;
recorded with who and when. Staff give them from the admin."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from quizzes.models import AttemptGrant, Quiz
from quizzes.selectors import quiz_status_for
from tests.factories import make_user

from .helpers import take

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def locked(world):
    """The member used both attempts at the cohort's quiz without passing."""
    Quiz.objects.filter(pk__in=[world.quiz.pk, world.other_quiz.pk]).update(attempts_allowed=2)
    world.quiz.refresh_from_db()
    world.other_quiz.refresh_from_db()
    take(world.member, world.quiz, passing=False)
    take(world.member, world.quiz, passing=False)
    return world


def _grant_url(world, learner=None, quiz=None, cohort=None) -> str:
    return reverse(
        "tutor:attempt_grant",
        args=[
            (cohort or world.cohort).pk,
            (learner or world.member).pk,
            (quiz or world.quiz).pk,
        ],
    )


def test_the_tutor_gives_one_more_attempt_recorded_with_who_and_when(client, locked):
    assert not quiz_status_for(learner=locked.member, quiz=locked.quiz).can_start
    client.force_login(locked.tutor)
    with time_machine.travel(NOW, tick=False):
        response = client.post(_grant_url(locked), follow=True)
    assert response.redirect_chain[0][0] == reverse(
        "tutor:learner", args=[locked.cohort.pk, locked.member.pk]
    )
    assert "peut faire une tentative de plus" in response.content.decode()
    grant = AttemptGrant.objects.get()
    assert (grant.learner, grant.quiz, grant.granted_by, grant.extra, grant.created_at) == (
        locked.member,
        locked.quiz,
        locked.tutor,
        1,
        NOW,
    )
    status = quiz_status_for(learner=locked.member, quiz=locked.quiz)
    assert status.can_start and status.attempts_left == 1


def test_the_learner_page_offers_the_button_for_a_quiz_not_passed(client, locked):
    client.force_login(locked.tutor)
    url = reverse("tutor:learner", args=[locked.cohort.pk, locked.member.pk])
    body = client.get(url).content.decode()
    assert "Donner une tentative de plus" in body and _grant_url(locked) in body
    assert "Plus de tentative : nouvelles tentatives le" in body
    # Passed with a granted attempt: nothing left to give.
    AttemptGrant.objects.create(learner=locked.member, quiz=locked.quiz, granted_by=None)
    take(locked.member, locked.quiz, passing=True)
    assert "Donner une tentative de plus" not in client.get(url).content.decode()


def test_no_button_before_a_first_attempt(client, world):
    Quiz.objects.filter(pk=world.quiz.pk).update(attempts_allowed=2)
    client.force_login(world.tutor)
    url = reverse("tutor:learner", args=[world.cohort.pk, world.member.pk])
    assert "Donner une tentative de plus" not in client.get(url).content.decode()


@pytest.mark.parametrize(
    "who, url_of",
    [
        pytest.param("other_tutor", lambda w: _grant_url(w), id="another-tutor"),
        pytest.param("member", lambda w: _grant_url(w), id="the-learner-themself"),
        pytest.param("tutor", lambda w: _grant_url(w, learner=w.invitee), id="not-consented"),
        pytest.param("tutor", lambda w: _grant_url(w, learner=w.outsider), id="not-a-member"),
        pytest.param(
            "tutor", lambda w: _grant_url(w, learner=w.other_member), id="another-cohorts-member"
        ),
        pytest.param("tutor", lambda w: _grant_url(w, quiz=w.other_quiz), id="course-not-assigned"),
        pytest.param(
            "tutor",
            lambda w: _grant_url(w, cohort=w.other_cohort, learner=w.other_member),
            id="another-tutors-cohort",
        ),
    ],
)
def test_anyone_else_gets_404_and_nothing_is_granted(client, locked, who, url_of):
    client.force_login(getattr(locked, who))
    assert client.post(url_of(locked)).status_code == 404
    assert not AttemptGrant.objects.exists()


def test_anonymous_goes_to_the_login_page(client, locked):
    response = client.post(_grant_url(locked))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not AttemptGrant.objects.exists()


def test_get_is_405(client, locked):
    client.force_login(locked.tutor)
    assert client.get(_grant_url(locked)).status_code == 405
    assert not AttemptGrant.objects.exists()


def test_a_quiz_with_unlimited_attempts_gets_a_message_and_no_grant(client, locked):
    Quiz.objects.filter(pk=locked.quiz.pk).update(attempts_allowed=None)
    client.force_login(locked.tutor)
    response = client.post(_grant_url(locked), follow=True)
    assert "tentatives illimitées" in response.content.decode()
    assert not AttemptGrant.objects.exists()


def test_staff_give_attempts_from_the_admin(client, locked):
    admin = make_user(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:quizzes_attemptgrant_add"),
        {"learner": locked.member.pk, "quiz": locked.quiz.pk, "extra": 2},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    grant = AttemptGrant.objects.get()
    assert (grant.learner, grant.granted_by, grant.extra) == (locked.member, admin, 2)
    assert quiz_status_for(learner=locked.member, quiz=locked.quiz).attempts_left == 2
    # A record, never changed afterwards.
    change = client.post(
        reverse("admin:quizzes_attemptgrant_change", args=[grant.pk]),
        {"learner": locked.member.pk, "quiz": locked.quiz.pk, "extra": 9},
    )
    assert change.status_code == 403
    assert AttemptGrant.objects.get().extra == 2


def test_deleting_the_tutors_account_keeps_the_learners_grant(client, locked):
    AttemptGrant.objects.create(learner=locked.member, quiz=locked.quiz, granted_by=locked.tutor)
    get_user_model().objects.filter(pk=locked.tutor.pk).delete()
    grant = AttemptGrant.objects.get()
    assert grant.granted_by is None and grant.learner == locked.member
