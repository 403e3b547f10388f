"""Quizzes: every named constraint both ways (``full_clean()`` raises
``ValidationError``, ``objects.create()`` raises ``IntegrityError``), with the
allowed value next to each edge.

Integer fields with a validator of their own (pass mark, points) fail in
``clean_fields()`` first, and ``full_clean()`` then skips the constraints on
those fields: ``validate_constraints()`` shows that the named constraint holds
the rule too. A ``PositiveSmallIntegerField`` also gets a column check
(``>= 0``) from Django, so a negative value is refused by the database before
the named constraint is reached; the named constraint is proven at the edge
the column check lets through (0 for ``>= 1``, 101 for ``<= 100``).
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from courses.models import Unit
from quizzes.models import Attempt, AttemptAnswer, Question, Quiz
from tests.constraints import assert_unique_violated
from tests.factories import make_course, make_question, make_quiz, make_unit

pytestmark = pytest.mark.django_db


def _quiz(**fields) -> Quiz:
    """An unsaved, otherwise valid quiz on a quiz grain of its own."""
    unit = make_unit(make_course(), kind=Unit.Kind.QUIZ, body="Testez-vous.")
    return Quiz(unit=unit, **fields)


def _question(quiz: Quiz, **fields) -> Question:
    """An unsaved, otherwise valid single-choice question."""
    values = {"key": "q", "kind": Question.Kind.SINGLE, "prompt": "Laquelle ?", "points": 1}
    values.update(fields)
    return Question(quiz=quiz, **values)


def _attempt(learner, quiz: Quiz, **fields) -> Attempt:
    """An unsaved, otherwise valid open attempt (one question drawn)."""
    values = {"drawn": [{"question": 1, "choices": []}]}
    values.update(fields)
    return Attempt(learner=learner, quiz=quiz, **values)


def _constraint_error(excinfo) -> str:
    return " ".join(excinfo.value.messages)


# quizzes_quiz_pass_mark_percent


@pytest.mark.parametrize("pass_mark", [0, 100])
def test_pass_mark_from_0_to_100_is_accepted(pass_mark):
    quiz = _quiz(pass_mark=pass_mark)

    quiz.full_clean()
    quiz.save()


@pytest.mark.parametrize("pass_mark", [-1, 101])
def test_full_clean_refuses_a_pass_mark_outside_0_to_100(pass_mark):
    with pytest.raises(ValidationError) as excinfo:
        _quiz(pass_mark=pass_mark).full_clean()

    assert "pass_mark" in excinfo.value.message_dict


@pytest.mark.parametrize("pass_mark", [-1, 101])
def test_pass_mark_constraint_is_checked_by_name_in_python(pass_mark):
    with pytest.raises(ValidationError) as excinfo:
        _quiz(pass_mark=pass_mark).validate_constraints()

    assert "quizzes_quiz_pass_mark_percent" in _constraint_error(excinfo)


def test_database_refuses_a_pass_mark_of_101():
    course = make_course()

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        make_quiz(course, pass_mark=101)

    assert "quizzes_quiz_pass_mark_percent" in str(excinfo.value)


def test_database_refuses_a_negative_pass_mark():
    # The column check of the positive field answers first; the named
    # constraint holds the same lower bound.
    course = make_course()

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        make_quiz(course, pass_mark=-1)

    assert "pass_mark" in str(excinfo.value)


# quizzes_quiz_attempts_allowed_positive


@pytest.mark.parametrize("attempts_allowed", [None, 1])
def test_unlimited_attempts_or_one_attempt_is_accepted(attempts_allowed):
    quiz = _quiz(attempts_allowed=attempts_allowed)

    quiz.full_clean()
    quiz.save()


def test_full_clean_refuses_zero_attempts_allowed_by_name():
    with pytest.raises(ValidationError) as excinfo:
        _quiz(attempts_allowed=0).full_clean()

    assert "quizzes_quiz_attempts_allowed_positive" in _constraint_error(excinfo)


def test_database_refuses_zero_attempts_allowed():
    course = make_course()

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        make_quiz(course, attempts_allowed=0)

    assert "quizzes_quiz_attempts_allowed_positive" in str(excinfo.value)


# quizzes_quiz_questions_per_attempt_positive


@pytest.mark.parametrize("questions_per_attempt", [None, 1])
def test_whole_pool_or_one_question_per_attempt_is_accepted(questions_per_attempt):
    quiz = _quiz(questions_per_attempt=questions_per_attempt)

    quiz.full_clean()
    quiz.save()


def test_full_clean_refuses_zero_questions_per_attempt_by_name():
    with pytest.raises(ValidationError) as excinfo:
        _quiz(questions_per_attempt=0).full_clean()

    assert "quizzes_quiz_questions_per_attempt_positive" in _constraint_error(excinfo)


def test_database_refuses_zero_questions_per_attempt():
    course = make_course()

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        make_quiz(course, questions_per_attempt=0)

    assert "quizzes_quiz_questions_per_attempt_positive" in str(excinfo.value)


# quizzes_question_key_unique


def test_full_clean_refuses_a_second_question_with_the_same_key_in_a_quiz():
    quiz = make_quiz(make_course())
    make_question(quiz, key="mfa")

    with pytest.raises(ValidationError) as excinfo:
        _question(quiz, key="mfa").full_clean()

    (error,) = excinfo.value.error_dict["__all__"]
    assert error.code == "unique_together"
    assert error.params["unique_check"] == ("quiz", "key")


def test_database_refuses_a_second_question_with_the_same_key_in_a_quiz():
    quiz = make_quiz(make_course())
    make_question(quiz, key="mfa")

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        make_question(quiz, key="mfa")

    assert_unique_violated(
        excinfo,
        name="quizzes_question_key_unique",
        columns=["quizzes_question.quiz_id", "quizzes_question.key"],
    )


def test_same_question_key_is_allowed_in_two_quizzes():
    make_question(make_quiz(make_course()), key="mfa")
    question = _question(make_quiz(make_course()), key="mfa")

    question.full_clean()
    question.save()


# quizzes_question_points_positive


def test_one_point_is_enough():
    question = _question(make_quiz(make_course()), points=1)

    question.full_clean()
    question.save()


def test_full_clean_refuses_zero_points():
    with pytest.raises(ValidationError) as excinfo:
        _question(make_quiz(make_course()), points=0).full_clean()

    assert "points" in excinfo.value.message_dict


def test_points_constraint_is_checked_by_name_in_python():
    with pytest.raises(ValidationError) as excinfo:
        _question(make_quiz(make_course()), points=0).validate_constraints()

    assert "quizzes_question_points_positive" in _constraint_error(excinfo)


def test_database_refuses_zero_points():
    quiz = make_quiz(make_course())

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        make_question(quiz, points=0)

    assert "quizzes_question_points_positive" in str(excinfo.value)


# quizzes_question_tolerance_positive


def test_zero_tolerance_is_accepted():
    question = _question(
        make_quiz(make_course()),
        kind=Question.Kind.NUMERIC,
        numeric_answer=Decimal("12"),
        tolerance=Decimal("0"),
    )

    question.full_clean()
    question.save()


def test_full_clean_refuses_a_negative_tolerance_by_name():
    question = _question(
        make_quiz(make_course()),
        kind=Question.Kind.NUMERIC,
        numeric_answer=Decimal("12"),
        tolerance=Decimal("-0.0001"),
    )

    with pytest.raises(ValidationError) as excinfo:
        question.full_clean()

    assert "quizzes_question_tolerance_positive" in _constraint_error(excinfo)


def test_database_refuses_a_negative_tolerance():
    quiz = make_quiz(make_course())

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        make_question(quiz, kind=Question.Kind.NUMERIC, tolerance=Decimal("-0.0001"))

    assert "quizzes_question_tolerance_positive" in str(excinfo.value)


# quizzes_question_numeric_has_answer


def test_full_clean_refuses_a_numeric_question_without_its_answer():
    question = _question(make_quiz(make_course()), kind=Question.Kind.NUMERIC, numeric_answer=None)

    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        question.full_clean()
    with translation.override("en"):
        assert excinfo.value.message_dict["__all__"] == ["A numeric question needs its answer."]


def test_database_refuses_a_numeric_question_without_its_answer():
    quiz = make_quiz(make_course())

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        make_question(quiz, kind=Question.Kind.NUMERIC, numeric_answer=None)

    assert "quizzes_question_numeric_has_answer" in str(excinfo.value)


def test_numeric_question_whose_answer_is_zero_is_accepted():
    question = _question(
        make_quiz(make_course()), kind=Question.Kind.NUMERIC, numeric_answer=Decimal("0")
    )

    question.full_clean()
    question.save()


def test_choice_question_needs_no_numeric_answer():
    question = _question(make_quiz(make_course()), kind=Question.Kind.SINGLE, numeric_answer=None)

    question.full_clean()
    question.save()


# quizzes_attempt_one_open_per_quiz


@pytest.fixture
def quiz(db):
    return make_quiz(make_course())


def test_full_clean_refuses_a_second_open_attempt_at_a_quiz(learner, quiz):
    _attempt(learner, quiz).save()

    with pytest.raises(ValidationError) as excinfo:
        _attempt(learner, quiz).full_clean()

    assert "quizzes_attempt_one_open_per_quiz" in _constraint_error(excinfo)


def test_database_refuses_a_second_open_attempt_at_a_quiz(learner, quiz):
    _attempt(learner, quiz).save()

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        Attempt.objects.create(learner=learner, quiz=quiz)

    assert_unique_violated(
        excinfo,
        name="quizzes_attempt_one_open_per_quiz",
        columns=["quizzes_attempt.learner_id", "quizzes_attempt.quiz_id"],
    )


def test_open_attempt_saved_again_passes_full_clean(learner, quiz):
    attempt = _attempt(learner, quiz)
    attempt.save()

    attempt.full_clean()


def test_new_attempt_is_allowed_once_the_open_one_is_submitted(learner, quiz):
    _attempt(learner, quiz, submitted_at=timezone.now()).save()
    attempt = _attempt(learner, quiz)

    attempt.full_clean()
    attempt.save()


def test_two_submitted_attempts_at_a_quiz_are_allowed(learner, quiz):
    Attempt.objects.create(learner=learner, quiz=quiz, submitted_at=timezone.now())
    attempt = _attempt(learner, quiz, submitted_at=timezone.now())

    attempt.full_clean()
    attempt.save()


def test_another_learners_open_attempt_does_not_count(learner, other_learner, quiz):
    _attempt(other_learner, quiz).save()
    attempt = _attempt(learner, quiz)

    attempt.full_clean()
    attempt.save()


def test_open_attempts_at_two_quizzes_are_allowed(learner, quiz):
    _attempt(learner, make_quiz(make_course())).save()
    attempt = _attempt(learner, quiz)

    attempt.full_clean()
    attempt.save()


# quizzes_attempt_score_percent


@pytest.mark.parametrize("score", [None, Decimal("0"), Decimal("100")])
def test_score_from_0_to_100_or_none_is_accepted(learner, quiz, score):
    attempt = _attempt(learner, quiz, submitted_at=timezone.now(), score=score)

    attempt.full_clean()
    attempt.save()


@pytest.mark.parametrize("score", [Decimal("-0.01"), Decimal("100.01")])
def test_full_clean_refuses_a_score_outside_0_to_100_by_name(learner, quiz, score):
    attempt = _attempt(learner, quiz, submitted_at=timezone.now(), score=score)

    with pytest.raises(ValidationError) as excinfo:
        attempt.full_clean()

    assert "quizzes_attempt_score_percent" in _constraint_error(excinfo)


@pytest.mark.parametrize("score", [Decimal("-0.01"), Decimal("100.01")])
def test_database_refuses_a_score_outside_0_to_100(learner, quiz, score):
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        Attempt.objects.create(learner=learner, quiz=quiz, submitted_at=timezone.now(), score=score)

    assert "quizzes_attempt_score_percent" in str(excinfo.value)


# quizzes_attemptanswer_unique


def _answer(attempt: Attempt, question: Question) -> AttemptAnswer:
    return AttemptAnswer(attempt=attempt, question=question, response={"choices": []})


def test_full_clean_refuses_a_second_answer_to_a_question_of_an_attempt(learner, quiz):
    question = make_question(quiz)
    attempt = Attempt.objects.create(learner=learner, quiz=quiz)
    _answer(attempt, question).save()

    with pytest.raises(ValidationError) as excinfo:
        _answer(attempt, question).full_clean()

    (error,) = excinfo.value.error_dict["__all__"]
    assert error.code == "unique_together"
    assert error.params["unique_check"] == ("attempt", "question")


def test_database_refuses_a_second_answer_to_a_question_of_an_attempt(learner, quiz):
    question = make_question(quiz)
    attempt = Attempt.objects.create(learner=learner, quiz=quiz)
    _answer(attempt, question).save()

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        AttemptAnswer.objects.create(attempt=attempt, question=question)

    assert_unique_violated(
        excinfo,
        name="quizzes_attemptanswer_unique",
        columns=["quizzes_attemptanswer.attempt_id", "quizzes_attemptanswer.question_id"],
    )


def test_same_question_may_be_answered_in_two_attempts(learner, quiz):
    question = make_question(quiz)
    first = Attempt.objects.create(learner=learner, quiz=quiz, submitted_at=timezone.now())
    _answer(first, question).save()
    answer = _answer(Attempt.objects.create(learner=learner, quiz=quiz), question)

    answer.full_clean()
    answer.save()


def test_an_attempt_may_answer_two_questions(learner, quiz):
    attempt = Attempt.objects.create(learner=learner, quiz=quiz)
    _answer(attempt, make_question(quiz)).save()
    answer = _answer(attempt, make_question(quiz))

    answer.full_clean()
    answer.save()
