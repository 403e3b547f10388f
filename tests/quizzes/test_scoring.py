"""The scoring rules (quizzes/scoring.py, README "Quizzes: scoring rules"),
each at its edges. Expected values are written from the rules, by hand."""

from decimal import Decimal

import pytest

from quizzes.models import Question
from quizzes.scoring import (
    Scored,
    attempt_totals,
    is_pass,
    normalise_text,
    parse_number,
    score_question,
)
from tests.factories import make_course, make_question, make_quiz

D = Decimal


@pytest.fixture
def quiz(db):
    return make_quiz(make_course())


def _ids(question, *texts):
    return [c.id for c in question.choices.all() if c.text in texts]


def _score_choices(question, *texts):
    scored = score_question(question, _ids(question, *texts), [])
    return scored.points, scored.is_correct


def _score_text(question, text):
    scored = score_question(question, [], [text])
    return scored.points, scored.is_correct


# normalise_text


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("Sécurité", "securite"),
        ("ÉLÈVE", "eleve"),
        ("  double   authentification\t", "double authentification"),
        ("Straße", "strasse"),  # casefold, not lower
        ("", ""),
    ],
)
def test_normalise_text_ignores_case_accents_and_extra_spaces(typed, expected):
    assert normalise_text(typed) == expected


# parse_number


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("3,5", D("3.5")),
        ("3.5", D("3.5")),
        (" 12 ", D("12")),
        ("-3,5", D("-3.5")),
        ("1 000", D("1000")),
        ("1\xa0000,25", D("1000.25")),  # no-break space between thousands
        ("1\u202f000", D("1000")),  # narrow no-break space (French typography)
        ("٣", D("3")),  # a decimal digit of another script is still a digit
        ("999999999999", D("999999999999")),  # twelve digits: the largest accepted
    ],
)
def test_parse_number_reads_numbers_as_people_type_them(typed, expected):
    assert parse_number(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "douze",
        "²",  # a digit, but no decimal digit
        "3²",
        "1,000.5",  # two separators
        "NaN",
        "Infinity",
        "1e999999999",
        "1000000000000",  # thirteen digits
        "1" * 31,
    ],
)
def test_parse_number_refuses_anything_else_with_value_error(typed):
    with pytest.raises(ValueError):
        parse_number(typed)


def test_parse_number_reads_up_to_thirty_characters_and_refuses_more():
    # The bound is on the text once spaces are dropped: thirty characters is
    # the longest answer read; one more is refused whatever its value.
    thirty = "1," + "0" * 28
    assert len(thirty) == 30 and parse_number(thirty) == 1
    # Spaces do not count: thirty characters once they are dropped.
    assert parse_number(" 0,0 " + "0" * 26 + "1 ") == D("0." + "0" * 27 + "1")
    with pytest.raises(ValueError):
        parse_number("1," + "0" * 29)  # thirty-one characters, still worth 1


# single and true/false


def test_single_choice_scores_all_the_points_for_the_right_choice_only(quiz):
    question = make_question(quiz, points=3)
    assert _score_choices(question, "Right") == (D("3.00"), True)
    assert _score_choices(question, "Wrong") == (D("0.00"), False)
    assert _score_choices(question) == (D("0.00"), False)


def test_single_choice_with_both_choices_ticked_scores_nothing(quiz):
    question = make_question(quiz)
    assert _score_choices(question, "Right", "Wrong") == (D("0.00"), False)


def test_true_false_scores_like_a_single_choice(quiz):
    question = make_question(quiz, kind=Question.Kind.TRUE_FALSE, points=2)
    assert _score_choices(question, "Vrai") == (D("2.00"), True)
    assert _score_choices(question, "Faux") == (D("0.00"), False)
    assert _score_choices(question, "Vrai", "Faux") == (D("0.00"), False)


def test_single_choice_without_a_right_choice_never_scores(quiz):
    question = make_question(quiz, choices=[("A", False, ""), ("B", False, "")])
    assert _score_choices(question)[0] == D("0.00")
    assert _score_choices(question, "A") == (D("0.00"), False)


def test_single_choice_without_a_right_choice_is_never_correct(quiz):
    question = make_question(quiz, choices=[("A", False, ""), ("B", False, "")])
    assert _score_choices(question) == (D("0.00"), False)


# multiple: partial credit, floor at zero


@pytest.fixture
def multiple(quiz):
    """Two points; A and B right, C and D wrong: each tick is worth 1 point."""
    return make_question(
        quiz,
        kind=Question.Kind.MULTIPLE,
        points=2,
        choices=[("A", True, ""), ("B", True, ""), ("C", False, ""), ("D", False, "")],
    )


@pytest.mark.parametrize(
    "ticked,points,correct",
    [
        (("A", "B"), "2.00", True),  # exactly right
        (("A",), "1.00", False),  # half right: partial points, not correct
        (("B",), "1.00", False),
        (("A", "B", "C"), "1.00", False),  # every right one and one wrong: 2 - 1
        (("A", "C"), "0.00", False),  # one right, one wrong: 1 - 1
        (("C",), "0.00", False),  # all wrong: floor at 0, not -1
        (("C", "D"), "0.00", False),  # floor at 0, not -2
        (("A", "C", "D"), "0.00", False),  # 1 - 2: floor at 0, not -1
        ((), "0.00", False),
    ],
)
def test_multiple_choice_partial_credit(multiple, ticked, points, correct):
    assert _score_choices(multiple, *ticked) == (D(points), correct)


def test_multiple_choice_shares_are_rounded_to_cents(quiz):
    question = make_question(
        quiz,
        kind=Question.Kind.MULTIPLE,
        choices=[("A", True, ""), ("B", True, ""), ("C", True, ""), ("D", False, "")],
    )
    assert _score_choices(question, "A") == (D("0.33"), False)
    assert _score_choices(question, "A", "B") == (D("0.67"), False)
    assert _score_choices(question, "A", "B", "C") == (D("1.00"), True)
    assert _score_choices(question, "A", "B", "D") == (D("0.33"), False)


def test_multiple_choice_without_correct_choices_is_right_when_nothing_is_ticked(quiz):
    question = make_question(
        quiz, kind=Question.Kind.MULTIPLE, choices=[("A", False, ""), ("B", False, "")]
    )
    assert _score_choices(question) == (D("1.00"), True)
    assert _score_choices(question, "A") == (D("0.00"), False)


# numeric


@pytest.fixture
def numeric(quiz):
    return make_question(
        quiz, kind=Question.Kind.NUMERIC, numeric_answer=D("10"), tolerance=D("0.5"), points=2
    )


@pytest.mark.parametrize(
    "typed,correct",
    [
        ("10", True),
        ("10,5", True),  # exactly at the upper edge
        ("10.5", True),
        ("9,5", True),  # exactly at the lower edge
        ("9.5", True),
        ("10,51", False),  # just outside, above
        ("9,49", False),  # just outside, below
        ("-10", False),
        (" 1 0 ", True),  # spaces are thousands separators, wherever they are
    ],
)
def test_numeric_is_right_within_the_tolerance_inclusive(numeric, typed, correct):
    assert _score_text(numeric, typed) == ((D(2), True) if correct else (D(0), False))


def test_numeric_without_tolerance_is_right_at_the_exact_value_only(quiz):
    question = make_question(quiz, kind=Question.Kind.NUMERIC, numeric_answer=D("1000.25"))
    assert _score_text(question, "1\u202f000,25")[1] is True
    assert _score_text(question, "1 000,250")[1] is True
    assert _score_text(question, "1000,26")[1] is False
    assert _score_text(question, "1000,24")[1] is False


def test_numeric_empty_answer_scores_nothing_without_an_error(numeric):
    for empty in ("", "   ", "\xa0"):
        assert _score_text(numeric, empty) == (D(0), False)
    assert score_question(numeric, [], []).points == 0


@pytest.mark.parametrize("typed", ["douze", "²", "10²", "1" * 13, "1e400"])
def test_numeric_answer_that_is_no_number_raises_value_error(numeric, typed):
    with pytest.raises(ValueError):
        score_question(numeric, [], [typed])


# short text


@pytest.fixture
def short_text(quiz):
    return make_question(
        quiz,
        kind=Question.Kind.SHORT_TEXT,
        accepted_answers=["Double authentification", "2FA"],
        points=2,
    )


@pytest.mark.parametrize(
    "typed,correct",
    [
        ("Double authentification", True),
        ("double authentification", True),
        ("DOUBLE AUTHENTIFICATION", True),
        ("  double    authentification  ", True),
        ("Double authentificatión", True),  # accents ignored
        ("2fa", True),  # any accepted answer
        ("Double-authentification", False),  # a hyphen is not a space
        ("Doubleauthentification", False),
        ("Double authentifications", False),
        ("", False),
        ("   ", False),
    ],
)
def test_short_text_matches_an_accepted_answer_ignoring_case_accents_spaces(
    short_text, typed, correct
):
    assert _score_text(short_text, typed) == ((D(2), True) if correct else (D(0), False))


def test_the_answer_is_stored_as_typed_and_the_choices_as_ticked(quiz, short_text, multiple):
    # What the result page and the tutor's analytics show as the learner's answer.
    typed = "  Double  authentificatión "
    assert score_question(short_text, [], [typed]).response == {"text": typed}
    ids = _ids(multiple, "C", "A")
    assert score_question(multiple, list(reversed(sorted(ids))), []).response == {
        "choices": sorted(ids)
    }


def test_short_text_accepted_with_accents_matches_typed_without(quiz):
    question = make_question(quiz, kind=Question.Kind.SHORT_TEXT, accepted_answers=["Sécurité"])
    assert _score_text(question, "securite")[1] is True
    assert _score_text(question, "SÉCURITÉ")[1] is True


# totals and pass mark


def _scored(points: int, earned: str) -> Scored:
    return Scored(Question(points=points), {}, False, D(earned))


@pytest.mark.parametrize(
    "scored,expected",
    [
        ([_scored(1, "1"), _scored(1, "0"), _scored(1, "0")], ("1", "3", "33.33")),
        ([_scored(1, "1"), _scored(1, "1"), _scored(1, "0")], ("2", "3", "66.67")),
        ([_scored(3, "1"), _scored(3, "0"), _scored(3, "0")], ("1", "9", "11.11")),
        ([_scored(1, "0.33")], ("0.33", "1", "33.00")),
        ([_scored(2, "2"), _scored(5, "5")], ("7", "7", "100.00")),
        ([_scored(1, "0")], ("0", "1", "0.00")),
    ],
)
def test_score_is_points_over_points_possible_in_percent_to_the_cent(scored, expected):
    assert attempt_totals(scored) == tuple(D(v) for v in expected)


def test_score_is_zero_when_nothing_could_be_scored():
    assert attempt_totals([]) == (D(0), D(0), D(0))


@pytest.mark.parametrize(
    "score,pass_mark,passed",
    [
        ("70.00", 70, True),  # exactly at the pass mark
        ("69.99", 70, False),  # a cent below
        ("70.01", 70, True),
        ("100.00", 100, True),
        ("99.99", 100, False),
        ("0.00", 0, True),
    ],
)
def test_an_attempt_passes_at_the_pass_mark_exactly(score, pass_mark, passed):
    assert is_pass(score=D(score), pass_mark=pass_mark) is passed
