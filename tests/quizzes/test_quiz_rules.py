"""The rules of a quiz and of each kind of question (quizzes.services), at
their edges, and the content loader applying the same ones as the studio's
editor (tests/quizzes/test_studio_quiz.py)."""

from decimal import Decimal
from pathlib import Path

import pytest

from quizzes.authoring import decimal_error, question_rule_errors, quiz_settings_errors
from quizzes.content import parse_quiz


@pytest.mark.parametrize(
    ("kind", "correct", "broken"),
    [
        ("single", [False, False], True),
        ("single", [True, False], False),
        ("single", [True, True], True),
        ("true_false", [True, True], True),
        ("true_false", [False, True], False),
        ("multiple", [False, False, False], True),
        ("multiple", [True, False, False], False),
        ("multiple", [True, True, True], False),
    ],
)
def test_how_many_choices_are_right_by_kind(kind, correct, broken):
    choices = [(f"C{i}", c) for i, c in enumerate(correct)]
    assert ("choices" in question_rule_errors(kind=kind, choices=choices)) is broken


@pytest.mark.parametrize(
    ("count", "broken"), [(0, True), (1, True), (2, False), (20, False), (21, True)]
)
def test_a_choice_question_has_two_to_twenty_choices(count, broken):
    choices = [("Right", True)] + [(f"C{i}", False) for i in range(count - 1)]
    choices = choices[:count]
    assert ("choices" in question_rule_errors(kind="single", choices=choices)) is broken


@pytest.mark.parametrize(
    ("accepted", "broken"), [([], True), (["", "  "], True), (["2FA"], False), (["", "A2F"], False)]
)
def test_a_short_text_question_needs_an_accepted_answer(accepted, broken):
    assert ("accepted" in question_rule_errors(kind="short_text", accepted=accepted)) is broken


@pytest.mark.parametrize(
    ("answer", "tolerance", "fields"),
    [
        (None, Decimal(0), {"answer"}),
        (Decimal(12), Decimal("-0.0001"), {"tolerance"}),
        (Decimal(12), Decimal(0), set()),
        (Decimal("9999999999.9999"), Decimal(0), set()),
        (Decimal("10000000000"), Decimal(0), {"answer"}),
        (Decimal("-9999999999.9999"), Decimal(0), set()),
        (Decimal("1.2345"), Decimal("0.0001"), set()),
        (Decimal("1.23456"), Decimal(0), {"answer"}),
        (Decimal("1.2"), Decimal("0.00001"), {"tolerance"}),
        (Decimal("1.20000"), Decimal(0), set()),  # trailing zeros hold in 4 places
    ],
)
def test_a_numeric_question_needs_an_answer_the_column_holds_and_a_tolerance(
    answer, tolerance, fields
):
    errors = question_rule_errors(kind="numeric", numeric_answer=answer, tolerance=tolerance)
    assert set(errors) == fields


def test_decimal_error_refuses_infinity_and_nan():
    assert decimal_error(Decimal("Infinity")) and decimal_error(Decimal("NaN"))


@pytest.mark.parametrize(
    ("pass_mark", "per_attempt", "count", "fields"),
    [
        (0, None, 0, set()),
        (100, None, 0, set()),
        (101, None, 0, {"pass_mark"}),
        (-1, None, 0, {"pass_mark"}),
        (70, 3, 3, set()),
        (70, 4, 3, {"questions_per_attempt"}),
        (70, 1, 0, {"questions_per_attempt"}),
    ],
)
def test_quiz_settings_rules(pass_mark, per_attempt, count, fields):
    errors = quiz_settings_errors(
        pass_mark=pass_mark, questions_per_attempt=per_attempt, question_count=count
    )
    assert set(errors) == fields


# The loader: the same rules, reported with the file's field path


def _meta(**changes):
    meta = {
        "kind": "quiz",
        "title": "Quiz",
        "pass_mark": 70,
        "questions": [
            {
                "key": "q1",
                "kind": "single",
                "prompt": "Q ?",
                "choices": [{"text": "A", "correct": True}, {"text": "B"}],
            },
            {"key": "q2", "kind": "short_text", "prompt": "Q ?", "accepted": ["2FA"]},
            {"key": "q3", "kind": "numeric", "prompt": "Q ?", "answer": 12, "tolerance": 0},
        ],
    }
    meta.update(changes)
    return meta


def _errors(meta) -> dict[str, str]:
    _spec, errors = parse_quiz(Path("quiz.md"), meta, set())
    return {error.field: error.message for error in errors}


def test_the_loader_accepts_the_valid_quiz():
    assert _errors(_meta()) == {}


def test_the_loader_refuses_more_questions_drawn_than_the_pool_holds():
    assert "questions_per_attempt" in _errors(_meta(questions_per_attempt=4))
    assert _errors(_meta(questions_per_attempt=3)) == {}


@pytest.mark.parametrize(
    ("index", "change", "where"),
    [
        (
            0,
            {"choices": [{"text": "A", "correct": True}, {"text": "B", "correct": True}]},
            "choices",
        ),
        (0, {"kind": "multiple", "choices": [{"text": "A"}, {"text": "B"}]}, "choices"),
        (1, {"accepted": ["  "]}, "accepted"),
        (2, {"tolerance": -1}, "tolerance"),
        (2, {"answer": "1.123456"}, "answer"),
    ],
)
def test_the_loader_refuses_what_the_editor_refuses(index, change, where):
    meta = _meta()
    meta["questions"][index].update(change)
    assert f"questions[{index + 1}].{where}" in _errors(meta)


def test_the_loader_reports_the_shared_rules_in_english(settings):
    settings.LANGUAGE_CODE = "fr"
    errors = _errors(_meta(pass_mark=120))
    assert errors["pass_mark"].startswith("The pass mark is a percentage")
