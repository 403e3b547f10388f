"""Attempts through quizzes.services, at the edges of their rules: attempts
allowed, questions drawn, choice order, answer bounds, foreign ids, one
submission."""

import random
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine

from quizzes.models import Attempt, AttemptAnswer, Choice, Question, Quiz
from quizzes.selectors import attempt_result, drawn_questions
from quizzes.services import (
    AttemptAlreadySubmitted,
    AttemptInvalid,
    EmptyQuiz,
    NoAttemptsLeft,
    QuizError,
    attempt_start,
    attempt_submit,
)
from quizzes.signals import quiz_passed
from tests.factories import make_course, make_question, make_quiz, right_answers, wrong_answers

pytestmark = pytest.mark.django_db


def _state(attempt):
    attempt.refresh_from_db()
    return (
        attempt.submitted_at,
        attempt.points,
        attempt.score,
        attempt.passed,
        AttemptAnswer.objects.filter(attempt=attempt).count(),
    )


NOTHING_WRITTEN = (None, None, None, None, 0)


def _quiz(**fields):
    quiz = make_quiz(make_course(), **fields)
    make_question(quiz)
    return quiz


def _use(learner, quiz):
    attempt = attempt_start(learner=learner, quiz=quiz)
    return attempt_submit(learner=learner, attempt=attempt, answers={})


# Attempts allowed


def test_the_last_allowed_attempt_is_allowed_and_the_next_is_refused(learner):
    quiz = _quiz(attempts_allowed=3)
    for _ in range(3):
        _use(learner, quiz)
    with pytest.raises(NoAttemptsLeft):
        attempt_start(learner=learner, quiz=quiz)
    assert Attempt.objects.filter(learner=learner).count() == 3


def test_a_single_allowed_attempt_reopens_while_open_and_not_once_submitted(learner):
    quiz = _quiz(attempts_allowed=1)
    first = attempt_start(learner=learner, quiz=quiz)
    assert attempt_start(learner=learner, quiz=quiz).pk == first.pk  # the open one again
    attempt_submit(learner=learner, attempt=first, answers={})
    with pytest.raises(NoAttemptsLeft):
        attempt_start(learner=learner, quiz=quiz)
    assert Attempt.objects.count() == 1


def test_another_learners_attempts_do_not_count_against_mine(learner, other_learner):
    quiz = _quiz(attempts_allowed=1)
    _use(other_learner, quiz)
    assert attempt_start(learner=learner, quiz=quiz).learner == learner


def test_unlimited_attempts_are_never_refused(learner):
    quiz = _quiz(attempts_allowed=None)
    for _ in range(12):
        _use(learner, quiz)
    assert Attempt.objects.filter(learner=learner, submitted_at__isnull=False).count() == 12


# Questions drawn and choice order


@pytest.fixture
def pool():
    """A pool of six single-choice questions with four choices each."""
    quiz = make_quiz(make_course(), questions_per_attempt=4, shuffle=True)
    for n in range(6):
        make_question(
            quiz,
            choices=[(f"{n}-{c}", c == 0, "") for c in range(4)],
        )
    return quiz


@pytest.mark.parametrize("seed", range(8))
def test_each_attempt_draws_its_count_of_distinct_questions_from_the_pool(learner, pool, seed):
    attempt = attempt_start(learner=learner, quiz=pool, rng=random.Random(seed))
    drawn = Attempt.objects.get(pk=attempt.pk).question_ids
    assert len(drawn) == 4
    assert len(set(drawn)) == 4
    assert set(drawn) <= set(pool.questions.values_list("id", flat=True))


def test_attempts_draw_different_questions_from_the_pool(learner, pool):
    rng = random.Random(1)
    drawn = set()
    for _ in range(8):
        attempt = attempt_start(learner=learner, quiz=pool, rng=rng)
        drawn.add(tuple(sorted(attempt.question_ids)))
        attempt_submit(learner=learner, attempt=attempt, answers={})
    assert len(drawn) > 1


@pytest.mark.parametrize("per_attempt", [None, 6, 50])
def test_the_whole_pool_is_drawn_when_asked_for_it_or_for_more(learner, per_attempt):
    quiz = make_quiz(make_course(), questions_per_attempt=per_attempt)
    questions = [make_question(quiz) for _ in range(6)]
    attempt = attempt_start(learner=learner, quiz=quiz)
    assert attempt.question_ids == [q.id for q in questions]  # not shuffled: in position order


def test_the_choice_order_drawn_is_stored_and_kept(learner, pool):
    attempt = attempt_start(learner=learner, quiz=pool, rng=random.Random(3))
    stored = Attempt.objects.get(pk=attempt.pk).drawn
    orders = []
    for item in stored:
        question = Question.objects.get(pk=item["question"])
        assert sorted(item["choices"]) == sorted(question.choices.values_list("id", flat=True))
        orders.append(item["choices"] == list(question.choices.values_list("id", flat=True)))
    assert not all(orders)  # shuffled for at least one of four questions of four choices
    # Starting again returns the same attempt, in the same order.
    assert attempt_start(learner=learner, quiz=pool, rng=random.Random(4)).drawn == stored


def test_true_false_choices_keep_their_order_when_choices_are_shuffled(learner):
    quiz = make_quiz(make_course(), shuffle=True)
    questions = [make_question(quiz, kind=Question.Kind.TRUE_FALSE) for _ in range(5)]
    attempt = attempt_start(learner=learner, quiz=quiz, rng=random.Random(0))
    for item in attempt.drawn:
        question = next(q for q in questions if q.id == item["question"])
        assert item["choices"] == [c.id for c in question.choices.all()]  # Vrai, Faux


def test_choices_are_drawn_in_their_set_order_not_their_creation_order(learner):
    quiz = make_quiz(make_course())
    question = make_question(quiz, choices=[])
    for position, text in ((3, "third"), (1, "first"), (2, "second")):
        Choice.objects.create(question=question, position=position, text=text, is_correct=False)
    attempt = attempt_start(learner=learner, quiz=quiz)
    texts = dict(Choice.objects.values_list("id", "text"))
    assert [texts[c] for c in attempt.drawn[0]["choices"]] == ["first", "second", "third"]


@pytest.mark.parametrize("questions", [2, 6])
def test_starting_takes_a_fixed_number_of_queries(learner, questions, django_assert_num_queries):
    quiz = make_quiz(make_course(), shuffle=True)
    for _ in range(questions):
        make_question(quiz)
    # Status (attempts; no grants: the quiz allows unlimited attempts), the
    # pool and its choices, and the insert in a savepoint.
    with django_assert_num_queries(6):
        attempt_start(learner=learner, quiz=quiz)
    limited = make_quiz(make_course(), shuffle=True, attempts_allowed=3)
    for _ in range(questions):
        make_question(limited)
    # A quiz with limited attempts also reads the tutor's grants.
    with django_assert_num_queries(7):
        attempt_start(learner=learner, quiz=limited)


def test_a_quiz_without_questions_cannot_be_started(learner):
    quiz = make_quiz(make_course())
    with pytest.raises(EmptyQuiz, match="Ce quiz ne contient encore aucune question"):
        attempt_start(learner=learner, quiz=quiz)
    assert not Attempt.objects.exists()


def test_a_used_up_set_is_judged_at_the_moment_given(learner):
    quiz = _quiz(attempts_allowed=1)
    with time_machine.travel(datetime(2025, 6, 2, 9, 0, tzinfo=UTC), tick=False):
        _use(learner, quiz)
    # Long after the wait in real time, but not at the moment asked about.
    with pytest.raises(NoAttemptsLeft):
        attempt_start(learner=learner, quiz=quiz, now=datetime(2025, 6, 2, 10, 0, tzinfo=UTC))
    assert attempt_start(learner=learner, quiz=quiz).submitted_at is None


class _OtherRequestFirst(random.Random):
    """Opens the learner's attempt, as a second request would, between the
    service's check for an open attempt and its own insert."""

    def __init__(self, open_it):
        super().__init__(0)
        self.open_it = open_it

    def shuffle(self, x):
        if self.open_it:
            self.opened, self.open_it = self.open_it(), None
        super().shuffle(x)


def test_two_starts_at_once_return_the_attempt_the_first_opened(learner, other_learner):
    quiz = make_quiz(make_course(), shuffle=True)
    make_question(quiz)
    elsewhere = _quiz()
    # Around it: the learner's submitted attempt at the quiz, their open one
    # elsewhere, another learner's open one at the quiz.
    _use(learner, quiz)
    attempt_start(learner=learner, quiz=elsewhere)
    attempt_start(learner=other_learner, quiz=quiz)
    rng = _OtherRequestFirst(lambda: Attempt.objects.create(learner=learner, quiz=quiz, drawn=[]))
    attempt = attempt_start(learner=learner, quiz=quiz, rng=rng)
    assert attempt == rng.opened
    assert (
        Attempt.objects.filter(learner=learner, quiz=quiz, submitted_at__isnull=True).count() == 1
    )


# Answers


@pytest.fixture
def short_text_quiz():
    quiz = make_quiz(make_course())
    make_question(quiz, kind=Question.Kind.SHORT_TEXT, accepted_answers=["x" * 200])
    return quiz


def test_a_short_text_of_200_characters_is_scored(learner, short_text_quiz):
    attempt = attempt_start(learner=learner, quiz=short_text_quiz)
    [qid] = attempt.question_ids
    attempt_submit(learner=learner, attempt=attempt, answers={str(qid): ["x" * 200]})
    assert _state(attempt)[1:] == (Decimal("1.00"), Decimal("100.00"), True, 1)


def test_a_short_text_of_201_characters_is_refused_and_nothing_is_written(learner, short_text_quiz):
    attempt = attempt_start(learner=learner, quiz=short_text_quiz)
    [qid] = attempt.question_ids
    with pytest.raises(AttemptInvalid) as refused:
        attempt_submit(learner=learner, attempt=attempt, answers={str(qid): ["x" * 201]})
    assert set(refused.value.errors) == {qid}
    assert _state(attempt) == NOTHING_WRITTEN


@pytest.mark.parametrize("kind", [Question.Kind.SHORT_TEXT, Question.Kind.NUMERIC])
@pytest.mark.parametrize("value", ["a\tb", "12\n", "oui\r\nnon", "x\x00"])
def test_a_one_line_answer_with_a_control_character_is_refused_with_its_reason(
    learner, kind, value
):
    # What the HTML form passes as it came (the API's serializer checks it too).
    quiz = make_quiz(make_course())
    make_question(quiz, kind=kind, accepted_answers=["ab"], numeric_answer=Decimal(12))
    attempt = attempt_start(learner=learner, quiz=quiz)
    [qid] = attempt.question_ids
    with pytest.raises(AttemptInvalid) as refused:
        attempt_submit(learner=learner, attempt=attempt, answers={str(qid): [value]})
    assert refused.value.errors == {
        qid: "Retirez de ce texte les caractères invisibles (tabulation, saut de ligne "
        "ou autre caractère de contrôle) : ils ne sont pas acceptés ici."
    }
    assert _state(attempt) == NOTHING_WRITTEN


def test_unanswered_questions_score_zero(learner):
    quiz = make_quiz(make_course())
    first, _second = make_question(quiz), make_question(quiz)
    attempt = attempt_start(learner=learner, quiz=quiz)
    answers = {str(first.id): right_answers(attempt)[str(first.id)]}
    attempt_submit(learner=learner, attempt=attempt, answers=answers)
    assert _state(attempt)[1:] == (Decimal("1.00"), Decimal("50.00"), False, 2)


def test_two_texts_for_one_question_are_refused_and_nothing_is_written(learner):
    quiz = make_quiz(make_course())
    make_question(quiz, kind=Question.Kind.SHORT_TEXT, accepted_answers=["oui"])
    make_question(quiz, kind=Question.Kind.NUMERIC, numeric_answer=Decimal(12))
    attempt = attempt_start(learner=learner, quiz=quiz)
    text_id, number_id = attempt.question_ids
    with pytest.raises(AttemptInvalid) as refused:
        attempt_submit(
            learner=learner,
            attempt=attempt,
            answers={str(text_id): ["oui", "non"], str(number_id): ["12", "13"]},
        )
    # Every question in the wrong is named, not only the first.
    assert refused.value.errors == {
        text_id: "Donnez une seule réponse.",
        number_id: "Donnez une seule réponse.",
    }
    assert _state(attempt) == NOTHING_WRITTEN


def test_empty_values_are_no_answer_not_a_wrong_one(learner):
    # What an untouched form field sends: scored as unanswered, never refused.
    quiz = make_quiz(make_course())
    single = make_question(quiz)
    text = make_question(quiz, kind=Question.Kind.SHORT_TEXT, accepted_answers=["oui"])
    number = make_question(quiz, kind=Question.Kind.NUMERIC, numeric_answer=Decimal(12))
    attempt = attempt_start(learner=learner, quiz=quiz)
    answers = {str(single.id): [""], str(text.id): ["", "oui"], str(number.id): ["  ", "12"]}
    attempt_submit(learner=learner, attempt=attempt, answers=answers)
    assert _state(attempt)[1:] == (Decimal("2.00"), Decimal("66.67"), False, 3)
    stored = {a.question_id: a.response for a in AttemptAnswer.objects.filter(attempt=attempt)}
    assert stored == {
        single.id: {"choices": []},
        text.id: {"text": "oui"},
        number.id: {"text": "12"},
    }


def test_a_question_removed_since_the_start_is_left_out_and_the_others_scored(learner):
    quiz = make_quiz(make_course())
    removed, kept, last = (make_question(quiz) for _ in range(3))
    attempt = attempt_start(learner=learner, quiz=quiz)
    answers = right_answers(attempt)
    del answers[str(removed.id)]
    removed.delete()
    attempt_submit(learner=learner, attempt=attempt, answers=answers)
    assert _state(attempt)[1:] == (Decimal("2.00"), Decimal("100.00"), True, 2)
    assert set(
        AttemptAnswer.objects.filter(attempt=attempt).values_list("question", flat=True)
    ) == {
        kept.id,
        last.id,
    }


@pytest.fixture
def drawn_two_of_three(learner):
    """An open attempt that drew two questions of a pool of three, the third
    left out, and a question of another quiz."""
    quiz = make_quiz(make_course(), questions_per_attempt=2)
    pool = [make_question(quiz) for _ in range(3)]
    attempt = attempt_start(learner=learner, quiz=quiz, rng=random.Random(0))
    left_out = next(q for q in pool if q.id not in attempt.question_ids)
    elsewhere = make_question(make_quiz(make_course()))
    return attempt, left_out, elsewhere


def _foreign_answers(attempt, left_out, elsewhere):
    first, second = (Question.objects.get(pk=pk) for pk in attempt.question_ids)
    right = right_answers(attempt)
    choice_of = {
        "question-of-another-quiz": {str(elsewhere.id): [str(elsewhere.choices.first().id)]},
        "question-of-the-pool-not-drawn": {str(left_out.id): [str(left_out.choices.first().id)]},
        "choice-of-another-question": {str(first.id): [str(second.choices.first().id)]},
        "choice-of-another-quiz": {str(first.id): [str(elsewhere.choices.first().id)]},
        "choice-of-a-question-not-drawn": {str(first.id): [str(left_out.choices.first().id)]},
        "not-a-question-id": {"q1": ["1"]},
        "not-a-choice-id": {str(first.id): ["Right"]},
    }
    return {name: {**right, **bad} for name, bad in choice_of.items()}


@pytest.mark.parametrize(
    "case",
    [
        "question-of-another-quiz",
        "question-of-the-pool-not-drawn",
        "choice-of-another-question",
        "choice-of-another-quiz",
        "choice-of-a-question-not-drawn",
        "not-a-question-id",
        "not-a-choice-id",
    ],
)
def test_foreign_ids_are_refused_and_nothing_is_written(learner, drawn_two_of_three, case):
    attempt, left_out, elsewhere = drawn_two_of_three
    answers = _foreign_answers(attempt, left_out, elsewhere)[case]
    with pytest.raises(AttemptInvalid):
        attempt_submit(learner=learner, attempt=attempt, answers=answers)
    assert _state(attempt) == NOTHING_WRITTEN
    # Still open: the right answers alone are then scored.
    attempt_submit(learner=learner, attempt=attempt, answers=right_answers(attempt))
    assert _state(attempt)[2:] == (Decimal("100.00"), True, 2)


def test_another_learner_cannot_submit_my_attempt(learner, other_learner):
    quiz = _quiz()
    attempt = attempt_start(learner=learner, quiz=quiz)
    with pytest.raises(QuizError, match="Cette tentative ne vous appartient pas"):
        attempt_submit(learner=other_learner, attempt=attempt, answers=right_answers(attempt))
    assert _state(attempt) == NOTHING_WRITTEN


# One submission


def test_a_second_submission_is_refused_and_changes_nothing(learner):
    quiz = _quiz()
    attempt = attempt_start(learner=learner, quiz=quiz)
    stale = Attempt.objects.get(pk=attempt.pk)  # read before the first submission
    attempt_submit(learner=learner, attempt=attempt, answers={})
    first = _state(attempt)
    assert first[1:] == (Decimal("0.00"), Decimal("0.00"), False, 1)
    with pytest.raises(AttemptAlreadySubmitted, match="Cette tentative a déjà été envoyée"):
        attempt_submit(learner=learner, attempt=attempt, answers=right_answers(attempt))
    # Even from a copy that still looks open: the database decides.
    with pytest.raises(AttemptAlreadySubmitted, match="Cette tentative a déjà été envoyée"):
        attempt_submit(learner=learner, attempt=stale, answers=right_answers(stale))
    assert _state(attempt) == first


def test_submitting_closes_that_attempt_only(learner, other_learner):
    quiz = _quiz()
    theirs = attempt_start(learner=other_learner, quiz=quiz)
    mine_elsewhere = attempt_start(learner=learner, quiz=_quiz())
    attempt = attempt_start(learner=learner, quiz=quiz)
    attempt_submit(learner=learner, attempt=attempt, answers=right_answers(attempt))
    assert _state(attempt)[2:] == (Decimal("100.00"), True, 1)
    assert _state(theirs) == NOTHING_WRITTEN
    assert _state(mine_elsewhere) == NOTHING_WRITTEN


def test_passing_announces_the_quiz_learner_and_attempt_once_and_failing_nothing(learner):
    quiz = _quiz()
    heard = []

    def listen(sender, **kwargs):
        heard.append((sender, kwargs["learner"], kwargs["quiz"], kwargs["attempt"]))

    quiz_passed.connect(listen)
    try:
        failed = attempt_start(learner=learner, quiz=quiz)
        attempt_submit(learner=learner, attempt=failed, answers={})
        assert heard == []
        passed = attempt_start(learner=learner, quiz=quiz)
        attempt_submit(learner=learner, attempt=passed, answers=right_answers(passed))
    finally:
        quiz_passed.disconnect(listen)
    assert heard == [(Quiz, learner, quiz, passed)]


# What a submission reads (the result shown right after it reads nothing more)


def test_the_drawn_questions_are_read_once_per_attempt_object(learner, django_assert_num_queries):
    quiz = _quiz()
    attempt = attempt_start(learner=learner, quiz=quiz)
    attempt = Attempt.objects.get(pk=attempt.pk)
    with django_assert_num_queries(1):  # the questions joined with their choices
        first = drawn_questions(attempt=attempt)
    with django_assert_num_queries(0):
        assert drawn_questions(attempt=attempt) is first
    assert list(first) == attempt.question_ids


def test_the_drawn_questions_carry_their_own_choices_and_all_that_is_read_of_them(
    learner, django_assert_num_queries
):
    quiz = make_quiz(make_course())
    single = make_question(quiz)
    text = make_question(quiz, kind=Question.Kind.SHORT_TEXT, accepted_answers=["oui"])
    numeric = make_question(quiz, kind=Question.Kind.NUMERIC, tolerance=Decimal("0.5"))
    multiple = make_question(
        quiz, kind=Question.Kind.MULTIPLE, choices=[("A", True, "*fa*"), ("B", False, "")]
    )
    make_question(make_quiz(make_course()))  # another quiz's: its choices are not these
    attempt = Attempt.objects.get(pk=attempt_start(learner=learner, quiz=quiz).pk)
    questions = drawn_questions(attempt=attempt)
    assert list(questions) == [single.id, text.id, numeric.id, multiple.id]
    with django_assert_num_queries(0):  # what scoring, the form and the result read
        read = {
            q.id: (
                q.quiz_id,
                q.kind,
                q.points,
                q.prompt_html,
                q.explanation_html,
                q.accepted_answers,
                q.numeric_answer,
                q.tolerance,
                sorted(
                    (c.id, c.question_id, c.position, c.text, c.is_correct, c.feedback_html)
                    for c in q.choice_list
                ),
            )
            for q in questions.values()
        }
    stored = Question.objects.filter(quiz=quiz).prefetch_related("choices")
    assert read == {
        q.id: (
            quiz.id,
            q.kind,
            q.points,
            q.prompt_html,
            q.explanation_html,
            q.accepted_answers,
            q.numeric_answer,
            q.tolerance,
            sorted(
                (c.id, q.id, c.position, c.text, c.is_correct, c.feedback_html)
                for c in q.choices.all()
            ),
        )
        for q in stored
    }
    assert [len(read[q.id][-1]) for q in (single, text, numeric, multiple)] == [2, 0, 0, 2]


def test_the_drawn_questions_come_in_the_quizs_order_not_in_the_order_written(learner):
    """By position, the older first where two share one, whatever the ids say."""
    quiz = make_quiz(make_course())
    last = make_question(quiz, position=3)
    tied_older = make_question(quiz, position=2)
    first = make_question(quiz, position=1)
    tied_newer = make_question(quiz, position=2)
    attempt = Attempt.objects.get(pk=attempt_start(learner=learner, quiz=quiz).pk)
    questions = drawn_questions(attempt=attempt)
    assert list(questions) == [first.id, tied_older.id, tied_newer.id, last.id]


def test_scoring_reads_nothing_more_than_the_drawn_questions(learner, django_assert_num_queries):
    quiz = make_quiz(make_course())
    for kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.TRUE_FALSE):
        make_question(quiz, kind=kind, choices=[("A", True, ""), ("B", False, "")])
    opened = attempt_start(learner=learner, quiz=quiz)
    answers = wrong_answers(opened)
    attempt = Attempt.objects.select_related("quiz").get(pk=opened.pk)
    drawn_questions(attempt=attempt)
    # Failed (no completion to write): the close and the answers, in a
    # savepoint here (the test's transaction); no query per question.
    with django_assert_num_queries(4):
        attempt_submit(learner=learner, attempt=attempt, answers=answers)
    assert attempt.points == 0 and attempt.max_points == 3


def test_the_result_right_after_a_submission_reads_nothing_back(learner, django_assert_num_queries):
    quiz = make_quiz(make_course())
    make_question(quiz)
    make_question(quiz, kind=Question.Kind.SHORT_TEXT, accepted_answers=["oui"])
    attempt = Attempt.objects.get(pk=attempt_start(learner=learner, quiz=quiz).pk)
    answers = right_answers(attempt)
    attempt = attempt_submit(learner=learner, attempt=attempt, answers=answers)
    with django_assert_num_queries(0):
        rows = attempt_result(attempt=attempt, reveal=True)
    assert [row.is_correct for row in rows] == [True, True]
    # The same rows as a later reading from the database.
    again = attempt_result(attempt=Attempt.objects.get(pk=attempt.pk), reveal=True)
    assert rows == again
