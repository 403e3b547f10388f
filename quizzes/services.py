"""Writes of the quizzes app: starting and submitting attempts.

Scoring happens on the server only, by the rules of ``quizzes.scoring``;
the same service serves the pages and the API.
"""

import random
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from learning_platform.errors import DomainError
from learning_platform.inputs import parse_id
from learning_platform.validators import validate_single_line

from . import selectors
from .models import Attempt, AttemptAnswer, AttemptGrant, Choice, Question, Quiz
from .retry import retry_message
from .scoring import Scored, attempt_totals, is_pass, score_question
from .signals import quiz_passed


class QuizError(DomainError):
    """A request the quiz rules refuse."""


class NoAttemptsLeft(QuizError):
    pass


class AttemptAlreadySubmitted(QuizError):
    pass


class EmptyQuiz(QuizError):
    pass


class GrantRefused(QuizError):
    pass


class AttemptInvalid(QuizError):
    """Answers that cannot be scored: ``errors`` maps a question id (or None
    for the whole form) to a message."""

    def __init__(self, errors: dict[int | None, str]):
        super().__init__(_("Some answers could not be read. Check the questions marked below."))
        self.errors = errors


def attempt_start(
    *, learner, quiz: Quiz, rng: random.Random | None = None, now: datetime | None = None
) -> Attempt:
    """Open an attempt: draw the questions and their choice order and store
    them. Returns the learner's open attempt if there is one already.
    Refused while the learner's current set of attempts is used up
    (``quizzes.retry``), saying when a new set opens."""
    rng = rng or random.SystemRandom()
    status = selectors.quiz_status_for(learner=learner, quiz=quiz, now=now)
    if status.open_attempt is not None:
        return status.open_attempt
    if not status.can_start:
        raise NoAttemptsLeft(
            _("You have used all the attempts allowed for this quiz.")
            + " "
            + retry_message(status.retry_at)
        )

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


MAX_SHORT_ANSWER = 200


def _answer_error(question: Question, raw: list[str], drawn: set[int]) -> str | None:
    """Why the values sent for a question cannot be scored, or None."""
    if question.has_choices:
        if any(parse_id(v) not in drawn for v in raw):
            return _("This choice does not belong to this question.")
        if question.kind != Question.Kind.MULTIPLE and len({parse_id(v) for v in raw}) > 1:
            return _("Choose only one answer.")
    elif len(raw) > 1:
        return _("Give only one answer.")
    elif raw and len(raw[0]) > MAX_SHORT_ANSWER:
        return _("Keep the answer under 200 characters.")
    elif raw:
        try:
            validate_single_line(raw[0])
        except ValidationError as error:
            return error.messages[0]
    return None


def _score_answers(attempt: Attempt, answers: dict[str, list[str]]) -> list[Scored]:
    """Each drawn question scored, in drawn order; raises AttemptInvalid,
    naming every question whose answer cannot be read, and writes nothing."""
    questions = selectors.drawn_questions(attempt=attempt)
    drawn_choices = {item["question"]: set(item["choices"]) for item in attempt.drawn}
    errors: dict[int | None, str] = {}
    for key in answers:
        if parse_id(key) not in drawn_choices:
            errors[None] = _("An answer was sent for a question that is not in this attempt.")
    scored: list[Scored] = []
    for item in attempt.drawn:
        question = questions.get(item["question"])
        if question is None:  # removed from the quiz since the attempt began
            continue
        raw = [v for v in answers.get(str(question.id), []) if str(v).strip() != ""]
        error = _answer_error(question, raw, drawn_choices[question.id])
        if error:
            errors[question.id] = error
            continue
        choice_ids = sorted({parse_id(v) for v in raw}) if question.has_choices else []
        try:
            scored.append(score_question(question, choice_ids, raw, choices=question.choice_list))
        except ValueError:
            errors[question.id] = _("Enter a number, for example 12 or 3,5.")
    if errors:
        raise AttemptInvalid(errors)
    return scored


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

    scored = _score_answers(attempt, answers)
    points, max_points, score = attempt_totals(scored)
    passed = is_pass(score=score, pass_mark=attempt.quiz.pass_mark)
    now = timezone.now()
    with transaction.atomic():
        # Compare-and-set: of two identical submissions, exactly one closes the attempt.
        closed = Attempt.objects.filter(pk=attempt.pk, submitted_at__isnull=True).update(
            submitted_at=now, points=points, max_points=max_points, score=score, passed=passed
        )
        if not closed:
            raise AttemptAlreadySubmitted(_("This attempt has already been submitted."))
        written = AttemptAnswer.objects.bulk_create(
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
    # For the result shown right after (quizzes.selectors.attempt_result):
    # what was just written, without reading it back.
    attempt.__dict__["_submitted_answers"] = written
    return attempt


def attempt_grant(*, learner, quiz: Quiz, granted_by, extra: int = 1) -> AttemptGrant:
    """Give the learner ``extra`` more attempts at the quiz, at once, on top
    of their current set; recorded with who gave them and when. Who may
    give them is the caller's check (a tutor of a cohort the learner
    consented to join, with the quiz's course assigned to it; or staff)."""
    if quiz.attempts_allowed is None:
        raise GrantRefused(_("This quiz has unlimited attempts already."))
    if extra < 1:
        raise GrantRefused(_("Give at least one attempt."))
    return AttemptGrant.objects.create(
        learner=learner, quiz=quiz, granted_by=granted_by, extra=extra
    )
