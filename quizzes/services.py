"""Writes of the quizzes app: starting and submitting attempts, scoring.

Scoring happens here, on the server, and nowhere else. The same rules serve
the pages and the API.

Partial credit for ``multiple`` questions: each correct choice ticked earns
``points / number of correct choices``; each wrong choice ticked takes the
same amount away; a question never scores below zero. It counts as correct
only when exactly the correct choices are ticked. Every other kind gives all
its points or none.
"""

import random
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Attempt, AttemptAnswer, Choice, Question, Quiz
from .signals import quiz_passed


class QuizError(Exception):
    """A request the quiz rules refuse; ``message`` is for the learner."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NoAttemptsLeft(QuizError):
    pass


class AttemptAlreadySubmitted(QuizError):
    pass


class EmptyQuiz(QuizError):
    pass


class AttemptInvalid(QuizError):
    """Answers that cannot be scored: ``errors`` maps a question id (or None
    for the whole form) to a message."""

    def __init__(self, errors: dict[int | None, str]):
        super().__init__(_("Some answers could not be read. Check the questions marked below."))
        self.errors = errors


def attempts_used(*, learner, quiz: Quiz) -> int:
    return Attempt.objects.filter(learner=learner, quiz=quiz, submitted_at__isnull=False).count()


def attempt_start(*, learner, quiz: Quiz, rng: random.Random | None = None) -> Attempt:
    """Open an attempt: draw the questions and their choice order and store
    them. Returns the learner's open attempt if there is one already."""
    rng = rng or random.SystemRandom()
    open_attempt = Attempt.objects.filter(
        learner=learner, quiz=quiz, submitted_at__isnull=True
    ).first()
    if open_attempt is not None:
        return open_attempt
    if (
        quiz.attempts_allowed is not None
        and attempts_used(learner=learner, quiz=quiz) >= quiz.attempts_allowed
    ):
        raise NoAttemptsLeft(_("You have used all the attempts allowed for this quiz."))

    pool = list(
        quiz.questions.prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("position", "id"))
        )
    )
    if not pool:
        raise EmptyQuiz(_("This quiz has no questions yet."))
    count = min(quiz.questions_per_attempt or len(pool), len(pool))
    drawn = rng.sample(pool, count) if count < len(pool) else list(pool)
    if quiz.shuffle_questions:
        rng.shuffle(drawn)
    else:
        drawn.sort(key=lambda q: (q.position, q.id))
    items = []
    for question in drawn:
        choice_ids = [c.id for c in question.choices.all()]
        if quiz.shuffle_choices and question.kind != Question.Kind.TRUE_FALSE:
            rng.shuffle(choice_ids)
        items.append({"question": question.id, "choices": choice_ids})
    try:
        with transaction.atomic():
            return Attempt.objects.create(learner=learner, quiz=quiz, drawn=items)
    except IntegrityError:
        # The same start arrived twice at once: the other request opened it.
        return Attempt.objects.get(learner=learner, quiz=quiz, submitted_at__isnull=True)


def normalise_text(value: str) -> str:
    """Compare short answers ignoring case, accents and extra spaces."""
    decomposed = unicodedata.normalize("NFKD", value)
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(without_accents.casefold().split())


def parse_number(value: str) -> Decimal:
    """Read a number as people type it: '3,5', '3.5', ' 1 000 '."""
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


@dataclass
class _Scored:
    question: Question
    response: dict
    is_correct: bool
    points: Decimal
    extra: dict = field(default_factory=dict)


def _score_question(question: Question, choice_ids: list[int], raw: list[str]) -> _Scored:
    points = Decimal(question.points)
    if question.has_choices:
        chosen = set(choice_ids)
        correct = {c.id for c in question.choices.all() if c.is_correct}
        if question.kind == Question.Kind.MULTIPLE:
            if not correct:
                earned = points if not chosen else Decimal(0)
            else:
                share = points / len(correct)
                earned = share * len(chosen & correct) - share * len(chosen - correct)
                earned = max(Decimal(0), earned)
        else:
            earned = points if chosen and chosen == correct else Decimal(0)
        return _Scored(
            question,
            {"choices": sorted(chosen)},
            chosen == correct,
            earned.quantize(Decimal("0.01")),
        )
    text = raw[0] if raw else ""
    if question.kind == Question.Kind.SHORT_TEXT:
        accepted = {normalise_text(a) for a in question.accepted_answers}
        ok = bool(text.strip()) and normalise_text(text) in accepted
    else:
        ok = (
            bool(text.strip())
            and abs(parse_number(text) - question.numeric_answer) <= question.tolerance
        )
    return _Scored(question, {"text": text}, ok, points if ok else Decimal(0))


def _questions_of(attempt: Attempt) -> dict[int, Question]:
    questions = Question.objects.filter(id__in=attempt.question_ids).prefetch_related("choices")
    return {q.id: q for q in questions}


def attempt_submit(*, learner, attempt: Attempt, answers: dict[str, list[str]]) -> Attempt:
    """Score the answers and close the attempt, once.

    ``answers`` maps a question id (as text) to the values sent: choice ids
    for choice questions, one text for the others. Unanswered questions score
    zero. Anything that does not belong to this attempt is refused and
    nothing is written. A second submission, even at the same time as the
    first, raises ``AttemptAlreadySubmitted``.
    """
    if attempt.learner_id != learner.id:
        raise QuizError(_("This attempt is not yours."))
    if attempt.is_submitted:
        raise AttemptAlreadySubmitted(_("This attempt has already been submitted."))

    questions = _questions_of(attempt)
    drawn_choices = {item["question"]: set(item["choices"]) for item in attempt.drawn}
    errors: dict[int | None, str] = {}
    for key in answers:
        if not str(key).isdigit() or int(key) not in drawn_choices:
            errors[None] = _("An answer was sent for a question that is not in this attempt.")

    scored: list[_Scored] = []
    for item in attempt.drawn:
        question = questions.get(item["question"])
        if question is None:  # removed from the quiz since the attempt began
            continue
        raw = [v for v in answers.get(str(question.id), []) if str(v).strip() != ""]
        choice_ids: list[int] = []
        if question.has_choices:
            if any(
                not str(v).strip().isdigit() or int(v) not in drawn_choices[question.id]
                for v in raw
            ):
                errors[question.id] = _("This choice does not belong to this question.")
                continue
            choice_ids = sorted({int(v) for v in raw})
            if question.kind != Question.Kind.MULTIPLE and len(choice_ids) > 1:
                errors[question.id] = _("Choose only one answer.")
                continue
        elif len(raw) > 1:
            errors[question.id] = _("Give only one answer.")
            continue
        elif question.kind == Question.Kind.SHORT_TEXT and raw and len(raw[0]) > 200:
            errors[question.id] = _("Keep the answer under 200 characters.")
            continue
        try:
            scored.append(_score_question(question, choice_ids, raw))
        except ValueError:
            errors[question.id] = _("Enter a number, for example 12 or 3,5.")
    if errors:
        raise AttemptInvalid(errors)

    max_points = sum((Decimal(s.question.points) for s in scored), Decimal(0))
    points = sum((s.points for s in scored), Decimal(0))
    score = (points * 100 / max_points).quantize(Decimal("0.01")) if max_points else Decimal(0)
    passed = score >= attempt.quiz.pass_mark
    now = timezone.now()
    with transaction.atomic():
        # Compare-and-set: of two identical submissions, exactly one closes the attempt.
        closed = Attempt.objects.filter(pk=attempt.pk, submitted_at__isnull=True).update(
            submitted_at=now, points=points, max_points=max_points, score=score, passed=passed
        )
        if not closed:
            raise AttemptAlreadySubmitted(_("This attempt has already been submitted."))
        AttemptAnswer.objects.bulk_create(
            AttemptAnswer(
                attempt=attempt,
                question=s.question,
                response=s.response,
                is_correct=s.is_correct,
                points_awarded=s.points,
            )
            for s in scored
        )
        if passed:
            # In the same transaction: progress records the grain as complete.
            quiz_passed.send(sender=Quiz, learner=learner, quiz=attempt.quiz, attempt=attempt)
    attempt.submitted_at, attempt.points, attempt.max_points = now, points, max_points
    attempt.score, attempt.passed = score, passed
    return attempt
