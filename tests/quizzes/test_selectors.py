"""Reads of the quizzes app at their edges (quizzes/selectors.py): which
quiz and which attempts are the learner's, where the learner stands at
several quizzes at once, and the numbers, points and right answers the form
and the result show. Another learner's attempts are always present."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from courses.models import Course
from quizzes.models import Attempt, AttemptAnswer, AttemptGrant, Question, Quiz
from quizzes.selectors import (
    attempt_for_learner,
    attempt_form_questions,
    attempt_outcome,
    attempt_result,
    open_attempt,
    past_attempts,
    quiz_for_attempts,
    quiz_panel,
    quiz_status_for,
    quiz_statuses_for,
)
from quizzes.services import attempt_start, attempt_submit
from tests.factories import (
    make_course,
    make_question,
    make_quiz,
    make_unit,
    right_answers,
    wrong_answers,
)

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)  # in the past: "now" is long after
WAIT = timedelta(hours=24)  # QUIZ_RETRY_AFTER_HOURS in the test settings


def _quiz(course=None, **fields) -> Quiz:
    quiz = make_quiz(course or make_course(), **fields)
    make_question(quiz)
    return quiz


def _take(learner, quiz, *, passing: bool, when: datetime | None = None):
    with time_machine.travel(when or T0, tick=False):
        attempt = attempt_start(learner=learner, quiz=quiz)
        answers = right_answers(attempt) if passing else wrong_answers(attempt)
        return attempt_submit(learner=learner, attempt=attempt, answers=answers)


# Which quiz, which attempts


def test_quiz_for_attempts_is_the_grains_own_quiz_with_its_course_in_one_query(
    django_assert_num_queries,
):
    course = make_course()
    first, second = _quiz(course), _quiz(course)
    with django_assert_num_queries(1):
        found = quiz_for_attempts(unit_id=second.unit_id)
        assert found.unit.course.slug == course.slug  # read with the quiz
    assert found == second != first


def test_quiz_for_attempts_refuses_a_quiz_of_a_draft_course():
    draft = _quiz(make_course(status=Course.Status.DRAFT))
    _quiz()  # a published one is present
    with pytest.raises(Quiz.DoesNotExist):
        quiz_for_attempts(unit_id=draft.unit_id)


def test_open_attempt_is_the_learners_own_unsubmitted_attempt_at_that_quiz(learner, other_learner):
    course = make_course()
    quiz, elsewhere = _quiz(course), _quiz(course)
    attempt_start(learner=other_learner, quiz=quiz)  # someone else's, open
    attempt_start(learner=learner, quiz=elsewhere)  # mine, at another quiz
    _take(learner, quiz, passing=False)  # mine, submitted
    assert open_attempt(learner=learner, quiz=quiz) is None
    mine = attempt_start(learner=learner, quiz=quiz)
    assert open_attempt(learner=learner, quiz=quiz) == mine


def test_past_attempts_are_the_learners_submitted_ones_newest_first_ten_at_most(
    learner, other_learner
):
    quiz = _quiz()
    taken = [_take(learner, quiz, passing=False, when=T0 + timedelta(hours=h)) for h in range(11)]
    _take(other_learner, quiz, passing=True, when=T0 + timedelta(days=1))
    attempt_start(learner=learner, quiz=quiz)  # open: not past
    listed = past_attempts(learner=learner, quiz=quiz)
    assert [a.pk for a in listed] == [a.pk for a in reversed(taken)][:10]
    assert len(past_attempts(learner=learner, quiz=quiz, limit=20)) == 11  # the open one is not
    assert [a.pk for a in past_attempts(learner=learner, quiz=quiz, limit=2)] == [
        taken[10].pk,
        taken[9].pk,
    ]


# Where the learner stands at several quizzes at once


def test_statuses_of_several_quizzes_are_each_quizs_own_and_the_learners_own(
    learner, other_learner, staff, django_assert_num_queries
):
    course = make_course()
    used_up = _quiz(course, attempts_allowed=2)
    granted = _quiz(course, attempts_allowed=3)
    untouched = _quiz(course)  # unlimited
    not_asked = _quiz(course, attempts_allowed=1)
    _take(learner, used_up, passing=False, when=T0)
    passed = _take(learner, used_up, passing=True, when=T0 + timedelta(minutes=5))
    _take(learner, granted, passing=False, when=T0)
    AttemptGrant.objects.create(learner=learner, quiz=granted, granted_by=staff, extra=1)
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        opened = attempt_start(learner=learner, quiz=granted)
    # Another learner at every quiz, and granted more, changes nothing of mine.
    for quiz in (used_up, granted, untouched, not_asked):
        _take(other_learner, quiz, passing=True, when=T0)
        AttemptGrant.objects.create(learner=other_learner, quiz=quiz, granted_by=staff, extra=5)

    quizzes = [used_up, granted, untouched]
    at = T0 + timedelta(hours=1)
    with django_assert_num_queries(2):  # the attempts, the grants
        statuses = quiz_statuses_for(learner=learner, quizzes=quizzes, now=at)
    assert set(statuses) == {used_up.id, granted.id, untouched.id}

    def facts(status):
        return (
            status.attempts_used,
            status.attempts_left,
            status.best_score,
            status.passed,
            status.open_attempt,
            status.retry_at,
            status.attempts_submitted,
        )

    assert facts(statuses[used_up.id]) == (
        2,
        0,
        Decimal(100),
        True,
        None,
        passed.submitted_at + WAIT,
        2,
    )
    assert facts(statuses[granted.id]) == (1, 3, Decimal(0), False, opened, None, 1)
    assert facts(statuses[untouched.id]) == (0, None, None, False, None, None, 0)

    # Once the wait is over, the used-up set gives way to a fresh one.
    later = quiz_statuses_for(learner=learner, quizzes=quizzes, now=passed.submitted_at + WAIT)
    assert facts(later[used_up.id]) == (0, 2, Decimal(100), True, None, None, 2)
    # Without ``now``: judged now, long after the wait.
    assert quiz_statuses_for(learner=learner, quizzes=[used_up])[used_up.id].attempts_left == 2


@pytest.mark.parametrize("attempts_allowed", [None, 3])
def test_a_status_without_the_open_attempts_questions_says_the_same(
    learner, other_learner, staff, attempts_allowed, django_assert_num_queries
):
    quiz = _quiz(attempts_allowed=attempts_allowed)
    _take(learner, quiz, passing=False, when=T0)
    passed = _take(learner, quiz, passing=True, when=T0 + timedelta(minutes=5))
    _take(other_learner, quiz, passing=True, when=T0)
    AttemptGrant.objects.create(learner=learner, quiz=quiz, granted_by=staff, extra=1)
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        opened = attempt_start(learner=learner, quiz=quiz)
    at = T0 + timedelta(hours=1)
    whole = quiz_status_for(learner=learner, quiz=quiz, now=at)
    reads = 1 if attempts_allowed is None else 2  # the attempts (and the grants)
    with django_assert_num_queries(reads):
        light = quiz_status_for(learner=learner, quiz=quiz, now=at, whole_open_attempt=False)
        assert light == whole  # the same figures and the same open attempt (by id)
        assert light.can_start and light.open_attempt.quiz == quiz
    assert light.open_attempt.pk == opened.pk
    assert "drawn" not in light.open_attempt.__dict__ and "drawn" in whole.open_attempt.__dict__
    # A result needs to know whether an attempt is open, not what it asks.
    with time_machine.travel(at, tick=False):
        outcome = attempt_outcome(learner=learner, attempt=passed)
    assert outcome.status == whole and "drawn" not in outcome.status.open_attempt.__dict__


def test_the_quiz_panel_reads_the_open_attempts_questions_with_its_status(
    learner, django_assert_num_queries
):
    quiz = _quiz()
    _take(learner, quiz, passing=False)
    attempt_start(learner=learner, quiz=quiz)
    # The attempts, the open one's questions with their choices, the past attempts.
    with django_assert_num_queries(3):
        panel = quiz_panel(learner=learner, quiz=quiz, tracking=True)
        assert [len(q.choices) for q in panel.form_questions] == [2]


# The form and the result


def test_the_form_numbers_the_questions_from_one_and_shows_their_points(learner):
    quiz = make_quiz(make_course())
    for points in (3, 1, 2):
        make_question(quiz, points=points)
    attempt = attempt_start(learner=learner, quiz=quiz)
    form = attempt_form_questions(attempt=attempt)
    assert [(q.number, q.points) for q in form] == [(1, 3), (2, 1), (3, 2)]


def test_a_question_without_a_stored_answer_shows_as_unanswered_and_wrong(learner):
    quiz = make_quiz(make_course())
    single = make_question(quiz)
    make_question(quiz, kind=Question.Kind.SHORT_TEXT, accepted_answers=["oui"])
    attempt = _take(learner, quiz, passing=True)
    AttemptAnswer.objects.filter(attempt=attempt, question=single).delete()
    # Read again: the submitted attempt carries the answers it was given.
    attempt = Attempt.objects.get(pk=attempt.pk)
    rows = attempt_result(attempt=attempt, reveal=True)
    lost, kept = rows
    assert (lost.points_awarded, lost.is_correct, lost.given_text) == (Decimal(0), False, "")
    assert not any(c.chosen for c in lost.choices)
    assert (kept.points_awarded, kept.is_correct, kept.given_text) == (Decimal(1), True, "oui")


@pytest.mark.parametrize(
    "answer,tolerance,shown",
    [
        ("1000", "0", "1000"),  # not "1E+3"
        ("1000", "0.5", "1000 ± 0.5"),
        ("3.1400", "0.0100", "3.14 ± 0.01"),
        ("-2", "0", "-2"),
    ],
)
def test_a_revealed_numeric_answer_is_written_in_plain_digits(learner, answer, tolerance, shown):
    quiz = make_quiz(make_course())
    make_question(
        quiz,
        kind=Question.Kind.NUMERIC,
        numeric_answer=Decimal(answer),
        tolerance=Decimal(tolerance),
    )
    attempt = _take(learner, quiz, passing=False)
    (row,) = attempt_result(attempt=attempt, reveal=True)
    assert row.right_answer == shown
    (hidden,) = attempt_result(attempt=attempt, reveal=False)
    assert hidden.right_answer == ""


def test_the_form_leaves_out_a_question_removed_since_the_start(learner):
    quiz = make_quiz(make_course())
    removed, kept, last = (make_question(quiz) for _ in range(3))
    attempt = attempt_start(learner=learner, quiz=quiz)
    removed.delete()
    form = attempt_form_questions(attempt=attempt)
    assert [(q.id, q.number) for q in form] == [(kept.id, 1), (last.id, 2)]


# The learner's attempt and the grain after the quiz's


def test_attempt_for_learner_reads_the_quiz_and_course_with_the_attempt(
    learner, django_assert_num_queries
):
    attempt = _take(learner, _quiz(), passing=True)
    with django_assert_num_queries(1):
        found = attempt_for_learner(learner=learner, attempt_id=attempt.pk)
        assert found.quiz.unit.course.status == Course.Status.PUBLISHED


def test_attempt_for_learner_is_404_for_anyone_else(learner, other_learner):
    attempt = _take(learner, _quiz(), passing=True)
    with pytest.raises(Attempt.DoesNotExist):
        attempt_for_learner(learner=other_learner, attempt_id=attempt.pk)


def test_the_next_grain_is_the_first_after_the_quiz_in_course_order(learner):
    # Grains are ordered by position, then id: a grain at the quiz's position
    # made after it comes next; one made before it, or placed earlier, does not.
    course = make_course()
    quiz = make_quiz(course)
    make_question(quiz)
    position = quiz.unit.position
    make_unit(course, slug="far-but-old", position=position + 5)
    make_unit(course, slug="earlier-but-new", position=position - 1)
    make_unit(course, slug="same-place-after", title="Juste après", position=position)
    make_unit(course, slug="next-place", position=position + 1)
    attempt = _take(learner, quiz, passing=True)
    found = attempt_for_learner(learner=learner, attempt_id=attempt.pk)
    assert (found.next_unit_slug, found.next_unit_title) == ("same-place-after", "Juste après")


def test_the_next_grain_by_position_not_by_creation(learner):
    course = make_course()
    quiz = make_quiz(course)
    make_question(quiz)
    position = quiz.unit.position
    make_unit(course, slug="made-first-placed-last", position=position + 5)
    make_unit(course, slug="made-last-placed-next", title="Suivant", position=position + 1)
    attempt = _take(learner, quiz, passing=True)
    found = attempt_for_learner(learner=learner, attempt_id=attempt.pk)
    assert (found.next_unit_slug, found.next_unit_title) == ("made-last-placed-next", "Suivant")


def test_the_last_grain_has_no_next(learner):
    course = make_course()
    make_unit(course, slug="before")
    quiz = _quiz(course)
    attempt = _take(learner, quiz, passing=True)
    found = attempt_for_learner(learner=learner, attempt_id=attempt.pk)
    assert (found.next_unit_slug, found.next_unit_title) == (None, None)


# One quiz's status


def test_attempts_and_grants_at_another_quiz_do_not_count(learner):
    course = make_course()
    quiz, other = _quiz(course, attempts_allowed=2), _quiz(course, attempts_allowed=2)
    _take(learner, other, passing=True, when=T0)
    _take(learner, other, passing=False, when=T0)
    _take(learner, quiz, passing=False, when=T0)
    AttemptGrant.objects.create(learner=learner, quiz=other, granted_by=None, extra=3)
    status = quiz_status_for(learner=learner, quiz=quiz, now=T0)
    assert (status.attempts_used, status.attempts_left, status.best_score, status.passed) == (
        1,
        1,
        Decimal(0),
        False,
    )


def test_no_wait_is_announced_while_an_attempt_is_open(learner):
    # The author lowered the attempts allowed while the learner's second was open.
    quiz = _quiz(attempts_allowed=2)
    _take(learner, quiz, passing=False, when=T0)
    opened = attempt_start(learner=learner, quiz=quiz)
    Quiz.objects.filter(pk=quiz.pk).update(attempts_allowed=1)
    quiz.refresh_from_db()
    status = quiz_status_for(learner=learner, quiz=quiz, now=T0 + timedelta(minutes=1))
    assert (status.open_attempt, status.attempts_left, status.retry_at) == (opened, 0, None)
    assert status.can_start


@pytest.mark.parametrize("questions", [2, 5])
def test_the_form_takes_one_query(learner, questions, django_assert_num_queries):
    quiz = make_quiz(make_course())
    for _ in range(questions):
        make_question(quiz)
    attempt = attempt_start(learner=learner, quiz=quiz)
    with django_assert_num_queries(1):  # the questions joined with their choices
        form = attempt_form_questions(attempt=attempt)
    assert [len(q.choices) for q in form] == [2] * questions
