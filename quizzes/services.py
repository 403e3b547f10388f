"""Writes of the quizzes app: starting and submitting attempts.

Scoring happens on the server only, by the rules of ``quizzes.scoring``;
the same service serves the pages and the API.
"""

import random
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


# The rules of a quiz and of its questions, one home for both ways in: the
# content loader (``quizzes.content``) and the studio's editor
# (``quizzes.studio_forms``) call these, so a file and a form refuse the same
# things. Each returns {field: message}, empty when the rule holds.

MAX_POINTS = 100
MAX_CHOICES = 20
DECIMAL_PLACES = 4  # Question.numeric_answer and tolerance
DECIMAL_LIMIT = Decimal("1e10")  # max_digits=14 with 4 decimal places


def quiz_settings_errors(
    *, pass_mark: int, questions_per_attempt: int | None, question_count: int
) -> dict[str, str]:
    """A pass mark is a percentage; a quiz cannot draw more questions per
    attempt than its pool holds."""
    errors = {}
    if not 0 <= pass_mark <= 100:
        errors["pass_mark"] = _("The pass mark is a percentage, from 0 to 100.")
    if questions_per_attempt is not None and questions_per_attempt > question_count:
        errors["questions_per_attempt"] = ngettext(
            "The quiz has %(count)d question: it cannot draw more per attempt.",
            "The quiz has %(count)d questions: it cannot draw more per attempt.",
            question_count,
        ) % {"count": question_count}
    return errors


def decimal_error(number: Decimal) -> str | None:
    """Why ``number`` does not fit Question.numeric_answer and tolerance."""
    if not number.is_finite() or abs(number) >= DECIMAL_LIMIT:
        return _("Enter a number under 10 000 000 000.")
    if number != number.quantize(Decimal(1).scaleb(-DECIMAL_PLACES)):
        return _("Enter a number with at most 4 decimal places.")
    return None


def question_rule_errors(
    *,
    kind: str,
    choices: list[tuple[str, bool]] = (),
    accepted: list[str] = (),
    numeric_answer: Decimal | None = None,
    tolerance: Decimal = Decimal(0),
) -> dict[str, str]:
    """The rules of each kind. ``choices``: (text, correct) pairs of a choice
    question; ``accepted``: the answers of a short-text one; a numeric one
    needs its answer and a tolerance that is not negative."""
    errors = {}
    if kind in Question.CHOICE_KINDS:
        right = sum(1 for _text, correct in choices if correct)
        if len(choices) < 2:
            errors["choices"] = _("Give at least two choices.")
        elif len(choices) > MAX_CHOICES:
            errors["choices"] = _("Give at most 20 choices.")
        elif kind == Question.Kind.MULTIPLE and right < 1:
            errors["choices"] = _(
                "A multiple-choice question needs at least one correct choice: tick it."
            )
        elif kind != Question.Kind.MULTIPLE and right != 1:
            errors["choices"] = _(
                "A single-choice question needs exactly one correct choice (%(count)d ticked)."
            ) % {"count": right}
    elif kind == Question.Kind.SHORT_TEXT:
        if not [a for a in accepted if a.strip()]:
            errors["accepted"] = _("Give at least one accepted answer.")
    elif kind == Question.Kind.NUMERIC:
        if numeric_answer is None:
            errors["answer"] = _("Give the right answer, a number.")
        elif problem := decimal_error(numeric_answer):
            errors["answer"] = problem
        if tolerance < 0:
            errors["tolerance"] = _("The tolerance cannot be negative.")
        elif problem := decimal_error(tolerance):
            errors["tolerance"] = problem
    return errors


# The studio's quiz editor: writes of an author on a draft course's quiz.
# Who may call them is the view's check (courses.selectors.course_editable_by).


class QuizEditRefused(QuizError):
    """A change to a quiz that its rules refuse; ``errors`` maps a field to why."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class ChoiceData:
    text: str
    is_correct: bool
    feedback: str = ""


TRUE_FALSE_LABELS = {"fr": ("Vrai", "Faux"), "en": ("True", "False")}


def true_false_choices(
    *, answer: bool, language: str, feedback_true: str = "", feedback_false: str = ""
) -> list[ChoiceData]:
    """The two choices of a true/false question, labelled in the course's language."""
    yes, no = TRUE_FALSE_LABELS.get(language, TRUE_FALSE_LABELS["fr"])
    return [
        ChoiceData(yes, answer is True, feedback_true),
        ChoiceData(no, answer is False, feedback_false),
    ]


def _quiz_saved(quiz: Quiz) -> Quiz:
    """``quiz`` in the database: a quiz grain without its quiz row yet gets
    one with the default settings (the same grain's row if another request
    made it meanwhile). Call inside the transaction that writes the change."""
    if quiz.pk is not None:
        return quiz
    saved, _created = Quiz.objects.get_or_create(unit=quiz.unit)
    return saved


def quiz_settings_update(*, quiz: Quiz, **settings) -> Quiz:
    """Change the quiz's settings (pass mark, attempts, questions drawn,
    shuffling, feedback), by the rules of ``quiz_settings_errors``. ``quiz``
    may be unsaved (``selectors.quiz_of_unit``): it is saved with them."""
    with transaction.atomic():
        count = quiz.questions.count() if quiz.pk else 0
        errors = quiz_settings_errors(
            pass_mark=settings["pass_mark"],
            questions_per_attempt=settings.get("questions_per_attempt"),
            question_count=count,
        )
        if errors:
            raise QuizEditRefused(errors)
        quiz = _quiz_saved(quiz)
        for name, value in settings.items():
            setattr(quiz, name, value)
        quiz.save()
    return quiz


def _new_question_key(quiz: Quiz) -> str:
    taken = set(quiz.questions.values_list("key", flat=True))
    number = len(taken) + 1
    while f"question-{number}" in taken:
        number += 1
    return f"question-{number}"


def question_save(
    *,
    quiz: Quiz,
    question: Question | None = None,
    kind: str,
    prompt: str,
    explanation: str = "",
    points: int = 1,
    competence=None,
    choices: list[ChoiceData] = (),
    accepted: list[str] = (),
    numeric_answer: Decimal | None = None,
    tolerance: Decimal = Decimal(0),
) -> Question:
    """Create a question at the end of the quiz, or change ``question``
    (its kind stays). Choices are matched by position, as the content
    loader does, so existing rows keep their ids. The kind's rules
    (``question_rule_errors``) refuse it whole: nothing is written."""
    if question is not None:
        kind = question.kind
    has_choices = kind in Question.CHOICE_KINDS
    errors = question_rule_errors(
        kind=kind,
        choices=[(c.text, c.is_correct) for c in choices],
        accepted=accepted,
        numeric_answer=numeric_answer,
        tolerance=tolerance,
    )
    if not prompt.strip():
        errors["prompt"] = _("Write the question.")
    if not 1 <= points <= MAX_POINTS:
        errors["points"] = _("Give from 1 to 100 points.")
    if errors:
        raise QuizEditRefused(errors)
    with transaction.atomic():
        quiz = _quiz_saved(quiz)
        if question is None:
            last = quiz.questions.order_by("-position").values_list("position", flat=True).first()
            question = Question(
                quiz=quiz, kind=kind, key=_new_question_key(quiz), position=(last or 0) + 1
            )
        question.prompt = prompt
        question.explanation = explanation
        question.points = points
        question.competence = competence
        question.accepted_answers = (
            [a.strip() for a in accepted if a.strip()] if kind == Question.Kind.SHORT_TEXT else []
        )
        question.numeric_answer = numeric_answer if kind == Question.Kind.NUMERIC else None
        question.tolerance = tolerance if kind == Question.Kind.NUMERIC else Decimal(0)
        question.save()
        old = list(question.choices.order_by("position", "id")) if question.pk else []
        for position, data in enumerate(choices if has_choices else [], start=1):
            choice = old.pop(0) if old else Choice(question=question)
            choice.position, choice.text = position, data.text
            choice.is_correct, choice.feedback = data.is_correct, data.feedback
            choice.save()
        for stale in old:
            stale.delete()
    return question


def _renumbered(quiz: Quiz) -> list[Question]:
    """The quiz's questions in order, positions made 1..n."""
    questions = list(quiz.questions.order_by("position", "id").only("id", "position", "quiz_id"))
    for position, question in enumerate(questions, start=1):
        question.position = position
    return questions


def question_move(*, question: Question, up: bool) -> None:
    """Swap the question with the one before it (``up``) or after it; at
    either end, nothing moves."""
    with transaction.atomic():
        questions = _renumbered(question.quiz)
        index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
        other = index - 1 if up else index + 1
        if 0 <= other < len(questions):
            questions[index], questions[other] = questions[other], questions[index]
            for position, q in enumerate(questions, start=1):
                q.position = position
        Question.objects.bulk_update(questions, ["position"])


def question_delete(*, question: Question) -> None:
    """Remove the question and its choices; refused while the quiz draws
    more questions per attempt than would remain."""
    quiz = question.quiz
    with transaction.atomic():
        remaining = quiz.questions.exclude(pk=question.pk).count()
        if quiz.questions_per_attempt is not None and quiz.questions_per_attempt > remaining:
            raise QuizEditRefused(
                {
                    "questions_per_attempt": _(
                        "The quiz draws %(count)d questions per attempt: lower that number "
                        "in the settings before deleting this question."
                    )
                    % {"count": quiz.questions_per_attempt}
                }
            )
        question.delete()
