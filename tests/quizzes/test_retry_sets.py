"""No quiz is locked for good: attempts count per set, a used-up set gives
way to a new one QUIZ_RETRY_AFTER_HOURS after its last attempt, and a
grant opens an attempt at once. The rule at its edges, with the clock
frozen (time-machine)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from quizzes.models import Attempt, AttemptGrant, Quiz
from quizzes.retry import current_set
from quizzes.selectors import quiz_status_for
from quizzes.services import (
    GrantRefused,
    NoAttemptsLeft,
    attempt_grant,
    attempt_start,
    attempt_submit,
)
from tests.factories import make_course, make_question, make_quiz, make_user, wrong_answers

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 12, 1, 13, 5, tzinfo=UTC)  # 14:05 in Paris
# Non-breaking spaces: "2 décembre" and "14 h 05" never break across lines.
RETRY_FR = "Vous pourrez réessayer le 2\u00a0décembre à 14\u00a0h\u00a005."
WAIT = timedelta(hours=24)
ONE_SECOND = timedelta(seconds=1)


@pytest.fixture
def quiz():
    quiz = make_quiz(make_course(), attempts_allowed=2)
    make_question(quiz)
    make_question(quiz)
    return quiz


def fail(learner, quiz, when: datetime) -> Attempt:
    with time_machine.travel(when, tick=False):
        attempt = attempt_start(learner=learner, quiz=quiz)
        return attempt_submit(learner=learner, attempt=attempt, answers=wrong_answers(attempt))


def use_up(learner, quiz, when: datetime = T0) -> None:
    """Both attempts of the set failed, the last one at ``when``."""
    fail(learner, quiz, when - timedelta(minutes=10))
    fail(learner, quiz, when)


# The pure rule


def test_a_set_used_up_opens_again_exactly_at_the_wait_and_not_a_second_before():
    times = [T0 - timedelta(hours=1), T0]
    before = current_set(
        allowed=2, submitted=times, grants=[], now=T0 + WAIT - ONE_SECOND, wait=WAIT
    )
    at = current_set(allowed=2, submitted=times, grants=[], now=T0 + WAIT, wait=WAIT)
    assert (before.used, before.left, before.retry_at) == (2, 0, T0 + WAIT)
    assert (at.used, at.left, at.retry_at) == (0, 2, None)


def test_a_set_not_used_up_never_waits():
    state = current_set(allowed=3, submitted=[T0, T0], grants=[], now=T0 + WAIT * 10, wait=WAIT)
    assert (state.used, state.left, state.retry_at) == (2, 1, None)


def test_attempts_after_a_reopening_count_in_the_new_set():
    times = [T0, T0 + ONE_SECOND, T0 + ONE_SECOND + WAIT]
    state = current_set(allowed=2, submitted=times, grants=[], now=T0 + WAIT * 2, wait=WAIT)
    assert (state.used, state.left) == (1, 1)


def test_a_grant_never_puts_the_new_set_off():
    # Used up at T0; a grant at T0 + 1 h, used (and failed) at T0 + 3 h.
    state = current_set(
        allowed=1,
        submitted=[T0, T0 + timedelta(hours=3)],
        grants=[(T0 + timedelta(hours=1), 1)],
        now=T0 + WAIT - ONE_SECOND,
        wait=WAIT,
    )
    assert (state.left, state.retry_at) == (0, T0 + WAIT)
    fresh = current_set(
        allowed=1,
        submitted=[T0, T0 + timedelta(hours=3)],
        grants=[(T0 + timedelta(hours=1), 1)],
        now=T0 + WAIT,
        wait=WAIT,
    )
    assert (fresh.used, fresh.left) == (0, 1)


def test_a_grant_unused_when_a_new_set_opens_is_not_carried_over():
    grants = [(T0 + ONE_SECOND, 1)]
    before = current_set(
        allowed=2, submitted=[T0, T0], grants=grants, now=T0 + WAIT - ONE_SECOND, wait=WAIT
    )
    after = current_set(allowed=2, submitted=[T0, T0], grants=grants, now=T0 + WAIT, wait=WAIT)
    assert (before.left, before.retry_at) == (1, None)
    assert (after.used, after.left) == (0, 2)


def test_a_grant_made_after_the_set_reopened_counts_in_the_new_set():
    state = current_set(
        allowed=2, submitted=[T0, T0], grants=[(T0 + WAIT, 1)], now=T0 + WAIT, wait=WAIT
    )
    assert (state.used, state.left) == (0, 3)


def test_grants_in_one_set_add_up():
    grants = [(T0 + ONE_SECOND, 1), (T0 + 2 * ONE_SECOND, 2)]
    state = current_set(allowed=2, submitted=[T0, T0], grants=grants, now=T0 + WAIT / 2, wait=WAIT)
    assert (state.used, state.left, state.retry_at) == (2, 3, None)


def test_unlimited_attempts_have_no_set():
    state = current_set(allowed=None, submitted=[T0] * 9, grants=[], now=T0, wait=WAIT)
    assert (state.used, state.left, state.retry_at) == (9, None, None)


# The selector and the service


def test_the_lock_opens_exactly_at_the_waiting_time(learner, quiz):
    use_up(learner, quiz)
    locked = quiz_status_for(learner=learner, quiz=quiz, now=T0 + WAIT - ONE_SECOND)
    assert (locked.attempts_used, locked.attempts_left, locked.can_start) == (2, 0, False)
    assert locked.retry_at == T0 + WAIT
    with pytest.raises(NoAttemptsLeft) as refused:
        attempt_start(learner=learner, quiz=quiz, now=T0 + WAIT - ONE_SECOND)
    assert RETRY_FR in refused.value.message
    assert Attempt.objects.filter(learner=learner).count() == 2

    reopened = quiz_status_for(learner=learner, quiz=quiz, now=T0 + WAIT)
    assert (reopened.attempts_used, reopened.attempts_left, reopened.retry_at) == (0, 2, None)
    assert reopened.attempts_submitted == 2 and reopened.best_score == 0
    with time_machine.travel(T0 + WAIT, tick=False):
        attempt = attempt_start(learner=learner, quiz=quiz)
    assert not attempt.is_submitted


def test_the_waiting_time_comes_from_the_setting(learner, quiz, settings):
    settings.QUIZ_RETRY_AFTER_HOURS = 2
    use_up(learner, quiz)
    assert quiz_status_for(learner=learner, quiz=quiz, now=T0 + timedelta(hours=2)).can_start
    late = quiz_status_for(learner=learner, quiz=quiz, now=T0 + timedelta(hours=2) - ONE_SECOND)
    assert not late.can_start


def test_another_learners_attempts_and_grants_do_not_count(learner, other_learner, quiz):
    use_up(other_learner, quiz)
    attempt_grant(learner=other_learner, quiz=quiz, granted_by=None)
    fail(learner, quiz, T0)
    status = quiz_status_for(learner=learner, quiz=quiz, now=T0)
    assert (status.attempts_used, status.attempts_left) == (1, 1)


def test_a_grant_opens_an_attempt_at_once(learner, quiz):
    use_up(learner, quiz)
    tutor = make_user(username="sylvie")
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        grant = attempt_grant(learner=learner, quiz=quiz, granted_by=tutor)
    assert (grant.granted_by, grant.created_at, grant.extra) == (tutor, T0 + timedelta(hours=1), 1)
    status = quiz_status_for(learner=learner, quiz=quiz, now=T0 + timedelta(hours=1))
    assert (status.attempts_left, status.can_start, status.retry_at) == (1, True, None)
    fail(learner, quiz, T0 + timedelta(hours=2))
    relocked = quiz_status_for(learner=learner, quiz=quiz, now=T0 + timedelta(hours=2))
    # The grant did not put the new set off: it opens when it would have.
    assert (relocked.attempts_left, relocked.retry_at) == (0, T0 + WAIT)


def test_a_grant_adds_to_the_attempts_left_of_the_current_set(learner, quiz):
    fail(learner, quiz, T0)
    attempt_grant(learner=learner, quiz=quiz, granted_by=None, extra=2)
    assert quiz_status_for(learner=learner, quiz=quiz).attempts_left == 3


def test_a_grant_at_a_quiz_with_unlimited_attempts_is_refused(learner):
    quiz = make_quiz(make_course(), attempts_allowed=None)
    with pytest.raises(Exception, match="illimitées"):
        attempt_grant(learner=learner, quiz=quiz, granted_by=None)
    assert not AttemptGrant.objects.exists()


@pytest.mark.parametrize("extra", [0, -1])
def test_a_grant_of_no_attempt_is_refused_and_nothing_is_recorded(learner, quiz, extra):
    with pytest.raises(GrantRefused, match="Donnez au moins une tentative"):
        attempt_grant(learner=learner, quiz=quiz, granted_by=None, extra=extra)
    assert not AttemptGrant.objects.exists()


def test_status_takes_two_queries(learner, quiz, django_assert_num_queries):
    use_up(learner, quiz)
    attempt_grant(learner=learner, quiz=quiz, granted_by=None)
    attempt_start(learner=learner, quiz=quiz)
    with django_assert_num_queries(2):
        status = quiz_status_for(learner=learner, quiz=quiz)
    assert status.open_attempt is not None and status.open_attempt.quiz is quiz


# The pages


def test_a_locked_quiz_page_says_when_the_learner_may_try_again(learner_client, learner, quiz):
    use_up(learner, quiz)
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        page = learner_client.get(quiz.unit.get_absolute_url()).content.decode()
        refused = learner_client.post(reverse("quizzes:start", args=[quiz.unit_id]), follow=True)
    assert RETRY_FR in page
    assert RETRY_FR in refused.content.decode()
    with time_machine.travel(T0 + WAIT, tick=False):
        page = learner_client.get(quiz.unit.get_absolute_url()).content.decode()
    assert "2 tentatives restantes" in page and "Réessayer" in page


def test_the_english_page_says_it_in_english(learner_client, learner, quiz):
    use_up(learner, quiz)
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        page = learner_client.get(
            quiz.unit.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    if 'lang="en"' not in page:
        pytest.skip("the language comes from elsewhere than Accept-Language here")
    assert "You can try again on December 2 at 14:05." in page


# The right answers of an "after_pass" quiz with sets


@pytest.fixture
def after_pass_quiz():
    quiz = make_quiz(make_course(), attempts_allowed=2, feedback=Quiz.Feedback.AFTER_PASS)
    make_question(quiz)
    return quiz


def _result(client, attempt) -> str:
    return client.get(reverse("quizzes:attempt", args=[attempt.id])).content.decode()


def _reveals(page: str) -> bool:
    """The right answer's feedback or the explanation is on the page (the
    feedback of the wrong choice the learner picked is always there)."""
    return "SECRET-EXPLANATION" in page or "SECRET-FEEDBACK-RIGHT" in page


def test_after_pass_answers_show_once_out_of_attempts_and_hide_when_a_new_set_opens(
    learner_client, learner, after_pass_quiz
):
    first = fail(learner, after_pass_quiz, T0 - timedelta(minutes=10))
    with time_machine.travel(T0, tick=False):
        assert not _reveals(_result(learner_client, first))
    last = fail(learner, after_pass_quiz, T0)
    with time_machine.travel(T0 + WAIT - ONE_SECOND, tick=False):
        # Out of attempts: the failed set's answers are shown (as before sets).
        assert _reveals(_result(learner_client, last))
    with time_machine.travel(T0 + WAIT, tick=False):
        # A new set: withheld again, on the old result and in the new attempt.
        assert not _reveals(_result(learner_client, last))
        attempt_start(learner=learner, quiz=after_pass_quiz)
        page = learner_client.get(after_pass_quiz.unit.get_absolute_url()).content.decode()
    assert "SECRET-" not in page


def test_after_pass_answers_hide_again_when_a_grant_opens_an_attempt(
    learner_client, learner, after_pass_quiz
):
    use_up(learner, after_pass_quiz)
    last = Attempt.objects.filter(learner=learner).order_by("-submitted_at").first()
    attempt_grant(learner=learner, quiz=after_pass_quiz, granted_by=None)
    assert not _reveals(_result(learner_client, last))
