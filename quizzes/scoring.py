"""The scoring rules, as pure functions: no query, no write. The service
(``quizzes.services.attempt_submit``) reads the attempt, calls these, and
records the result; the rules are tested here at their edges.

- ``single`` and ``true_false``: all the points for the right choice, none
  otherwise.
- ``multiple``, partial credit: each correct choice ticked earns
  ``points / number of correct choices``; each wrong choice ticked takes the
  same amount away; a question never scores below zero. It counts as
  correct only when exactly the correct choices are ticked.
- ``short_text``: right when it matches an accepted answer, ignoring case,
  accents and extra spaces.
- ``numeric``: right within the question's tolerance, inclusive on both
  sides (``,`` or ``.`` as the decimal separator).
- The score is the points earned over the points of the questions scored,
  in percent with two decimals; an attempt passes at the pass mark exactly.
"""

import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .models import Question

CENT = Decimal("0.01")


def normalise_text(value: str) -> str:
    """Compare short answers ignoring case, accents and extra spaces."""
    decomposed = unicodedata.normalize("NFKD", value)
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(without_accents.casefold().split())


def parse_number(value: str) -> Decimal:
    """Read a number as people type it: '3,5', '3.5', ' 1 000 '. Raises
    ValueError for anything else."""
    cleaned = (
        value.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    )
    if len(cleaned) > 30:
        raise ValueError(value)
    try:
        number = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(value) from exc
    # Bounded: an answer far beyond any question's scale is not a number we can compare.
    if not number.is_finite() or number.adjusted() >= 12:
        raise ValueError(value)
    return number


@dataclass(frozen=True)
class Scored:
    """One question scored: what is stored as the learner's answer."""

    question: Question
    response: dict
    is_correct: bool
    points: Decimal


def _choice_points(kind: str, points: Decimal, chosen: set[int], correct: set[int]) -> Decimal:
    if kind != Question.Kind.MULTIPLE:
        return points if chosen and chosen == correct else Decimal(0)
    if not correct:
        return points if not chosen else Decimal(0)
    share = points / len(correct)
    earned = share * len(chosen & correct) - share * len(chosen - correct)
    return max(Decimal(0), earned)


def score_question(
    question: Question, choice_ids: list[int], raw: list[str], *, choices=None
) -> Scored:
    """Score one answer: choice ids for choice questions, else the text typed
    (``raw[0]``). Raises ValueError for a numeric answer that is no number.
    ``choices``: the question's choices as read with it (no query here);
    ``question.choices.all()`` when not given."""
    points = Decimal(question.points)
    if question.has_choices:
        chosen = set(choice_ids)
        choices = question.choices.all() if choices is None else choices
        correct = {c.id for c in choices if c.is_correct}
        earned = _choice_points(question.kind, points, chosen, correct)
        # A single or true/false answer is right only when one choice is ticked.
        right = chosen == correct and (bool(chosen) or question.kind == Question.Kind.MULTIPLE)
        return Scored(question, {"choices": sorted(chosen)}, right, earned.quantize(CENT))
    text = raw[0] if raw else ""
    if not text.strip():
        ok = False
    elif question.kind == Question.Kind.SHORT_TEXT:
        ok = normalise_text(text) in {normalise_text(a) for a in question.accepted_answers}
    else:
        ok = abs(parse_number(text) - question.numeric_answer) <= question.tolerance
    return Scored(question, {"text": text}, ok, points if ok else Decimal(0))


def attempt_totals(scored: list[Scored]) -> tuple[Decimal, Decimal, Decimal]:
    """Points earned, points possible, and the score in percent (0 when
    nothing could be scored)."""
    max_points = sum((Decimal(s.question.points) for s in scored), Decimal(0))
    points = sum((s.points for s in scored), Decimal(0))
    score = (points * 100 / max_points).quantize(CENT) if max_points else Decimal(0)
    return points, max_points, score


def is_pass(*, score: Decimal, pass_mark: int) -> bool:
    """Passed at the pass mark exactly."""
    return score >= pass_mark
