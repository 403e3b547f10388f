"""Reads of the quizzes app, shaped for pages and the API.

What an unsubmitted attempt exposes is built here from ids and texts only:
no correctness flag, feedback or explanation leaves the server before the
attempt is submitted.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from courses.models import Course, Unit

from .models import Attempt, AttemptGrant, Choice, Question, Quiz
from .retry import current_set, retry_wait


def quiz_for_attempts(*, unit_id: int) -> Quiz:
    """The quiz of a grain, if attempts may be made at it: its course is
    published (authors preview drafts without attempting). Raises
    Quiz.DoesNotExist otherwise."""
    return Quiz.objects.select_related("unit__course").get(
        unit_id=unit_id, unit__course__status=Course.Status.PUBLISHED
    )


def attempt_for_learner(*, learner, attempt_id: int) -> Attempt:
    """The learner's own attempt, in a published course. Raises
    Attempt.DoesNotExist for anyone else's, staff included. Carries the
    slug and title of the grain after the quiz's (``next_unit_slug``,
    ``next_unit_title``; None for the last grain), read in the same query,
    for the result's "next grain" link."""
    after = Unit.objects.filter(course=OuterRef("quiz__unit__course")).filter(
        Q(position__gt=OuterRef("quiz__unit__position"))
        | Q(position=OuterRef("quiz__unit__position"), id__gt=OuterRef("quiz__unit_id"))
    )
    after = after.order_by("position", "id")
    return (
        Attempt.objects.select_related("quiz__unit__course")
        .annotate(
            next_unit_slug=Subquery(after.values("slug")[:1]),
            next_unit_title=Subquery(after.values("title")[:1]),
        )
        .get(
            pk=attempt_id,
            learner=learner,
            quiz__unit__course__status=Course.Status.PUBLISHED,
        )
    )


def open_attempt(*, learner, quiz: Quiz) -> Attempt | None:
    return Attempt.objects.filter(learner=learner, quiz=quiz, submitted_at__isnull=True).first()


def past_attempts(*, learner, quiz: Quiz, limit: int = 10) -> list[Attempt]:
    """The learner's latest submitted attempts at the quiz, newest first."""
    return list(
        quiz.attempts.filter(learner=learner, submitted_at__isnull=False).order_by("-submitted_at")[
            :limit
        ]
    )


@dataclass(frozen=True)
class QuizStatus:
    """Where a learner stands at a quiz. Attempts count per set (``quizzes.retry``):
    ``attempts_used`` and ``attempts_left`` are the current set's; the best
    score and ``passed`` are over every attempt."""

    attempts_used: int
    attempts_left: int | None  # None: unlimited
    best_score: Decimal | None
    passed: bool
    open_attempt: Attempt | None
    retry_at: datetime | None = None  # while the set is used up: when a new one opens
    attempts_submitted: int = 0  # over every set

    @property
    def can_start(self) -> bool:
        return self.open_attempt is not None or self.attempts_left is None or self.attempts_left > 0

    @property
    def locked(self) -> bool:
        """No attempt may be opened until ``retry_at``."""
        return not self.can_start


def _status(quiz: Quiz, attempts: list[Attempt], grants, now: datetime) -> QuizStatus:
    """The status from the learner's attempts and grants at the quiz (no query)."""
    submitted = [a for a in attempts if a.submitted_at is not None]
    scores = [a.score for a in submitted if a.score is not None]
    state = current_set(
        allowed=quiz.attempts_allowed,
        submitted=[a.submitted_at for a in submitted],
        grants=[(g.created_at, g.extra) for g in grants],
        now=now,
        wait=retry_wait(),
    )
    open_ = next((a for a in attempts if a.submitted_at is None), None)
    if open_ is not None:
        open_.quiz = quiz
    return QuizStatus(
        attempts_used=state.used,
        attempts_left=state.left,
        best_score=max(scores) if scores else None,
        passed=any(a.passed for a in submitted),
        open_attempt=open_,
        retry_at=state.retry_at if open_ is None else None,
        attempts_submitted=len(submitted),
    )


def quiz_status_for(
    *, learner, quiz: Quiz, now: datetime | None = None, whole_open_attempt: bool = True
) -> QuizStatus:
    """Attempts used and left in the current set, when a used-up set gives
    way to a new one, best score and whether passed, in two queries (the
    learner's attempts at the quiz, a handful, and their grants; one when
    the quiz's attempts are unlimited). ``whole_open_attempt=False`` reads
    each attempt's status columns only, not its questions (``drawn``): for a
    caller that needs to know whether an attempt is open, not to show it."""
    attempts = Attempt.objects.filter(learner=learner, quiz=quiz)
    if not whole_open_attempt:
        attempts = attempts.only("submitted_at", "score", "passed")
    attempts = list(attempts)
    # Grants add attempts to a limited set: a quiz of unlimited attempts has
    # nothing for them to change (quizzes.retry.current_set), so no query.
    grants = (
        AttemptGrant.objects.filter(learner=learner, quiz=quiz).only("created_at", "extra")
        if quiz.attempts_allowed is not None
        else []
    )
    return _status(quiz, attempts, list(grants), now or timezone.now())


def quiz_statuses_for(*, learner, quizzes: list[Quiz], now: datetime | None = None) -> dict:
    """``quiz_status_for`` for several quizzes at once, by quiz id, in two queries."""
    ids = [q.id for q in quizzes]
    attempts: dict[int, list[Attempt]] = {}
    for a in Attempt.objects.filter(learner=learner, quiz_id__in=ids):
        attempts.setdefault(a.quiz_id, []).append(a)
    grants: dict[int, list[AttemptGrant]] = {}
    for g in AttemptGrant.objects.filter(learner=learner, quiz_id__in=ids).only(
        "quiz_id", "created_at", "extra"
    ):
        grants.setdefault(g.quiz_id, []).append(g)
    now = now or timezone.now()
    return {q.id: _status(q, attempts.get(q.id, []), grants.get(q.id, []), now) for q in quizzes}


@dataclass(frozen=True)
class FormChoice:
    id: int
    text: str


@dataclass(frozen=True)
class FormQuestion:
    """A question as the learner sees it before submitting: nothing more."""

    id: int
    number: int
    kind: str
    prompt_html: str
    points: int
    choices: list[FormChoice]


# What scoring, the form and the result read of a drawn question and of its
# choices (attnames): not the Markdown sources, the key or the competence.
DRAWN_QUESTION_FIELDS = (
    "id",
    "quiz_id",
    "position",
    "kind",
    "prompt_html",
    "explanation_html",
    "points",
    "accepted_answers",
    "numeric_answer",
    "tolerance",
)
DRAWN_CHOICE_FIELDS = ("id", "question_id", "position", "text", "is_correct", "feedback_html")


def drawn_questions(*, attempt: Attempt) -> dict[int, Question]:
    """The questions drawn for the attempt, by id in the quiz's order, each
    with its choices as ``choice_list`` (in no set order: the attempt's
    ``drawn`` orders them). One query, the questions joined with their
    choices, once per attempt object: scoring a submission and showing its
    result read them once. A question removed from the quiz since is absent."""
    questions = attempt.__dict__.get("_drawn_questions")
    if questions is None:
        rows = (
            Question.objects.filter(id__in=attempt.question_ids)
            .order_by("quiz_id", "position", "id")
            .values_list(
                *DRAWN_QUESTION_FIELDS, *(f"choices__{name}" for name in DRAWN_CHOICE_FIELDS)
            )
        )
        split = len(DRAWN_QUESTION_FIELDS)
        questions = {}
        for row in rows:
            question = questions.get(row[0])
            if question is None:
                question = Question.from_db(rows.db, DRAWN_QUESTION_FIELDS, row[:split])
                question.choice_list = []
                questions[question.id] = question
            if row[split] is not None:  # None: a question without choices
                choice = Choice.from_db(rows.db, DRAWN_CHOICE_FIELDS, row[split:])
                question.choice_list.append(choice)
        attempt.__dict__["_drawn_questions"] = questions
    return questions


def drawn_in_order(*, attempt: Attempt):
    """Each question drawn for the attempt, in drawn order, with its choices
    in their drawn order: (question, choices). One query."""
    questions = drawn_questions(attempt=attempt)
    for item in attempt.drawn:
        question = questions.get(item["question"])
        if question is None:  # removed from the quiz since the attempt began
            continue
        by_id = {c.id: c for c in question.choice_list}
        yield question, [by_id[cid] for cid in item["choices"] if cid in by_id]


def attempt_form_questions(*, attempt: Attempt) -> list[FormQuestion]:
    """The drawn questions in their drawn order, choices in their drawn order."""
    result = []
    for question, drawn_choices in drawn_in_order(attempt=attempt):
        choices = [FormChoice(c.id, c.text) for c in drawn_choices]
        result.append(
            FormQuestion(
                question.id,
                len(result) + 1,
                question.kind,
                question.prompt_html,
                question.points,
                choices,
            )
        )
    return result


@dataclass(frozen=True)
class ResultChoice:
    id: int
    text: str
    chosen: bool
    is_correct: bool | None  # None when the right answers are withheld
    feedback_html: str


@dataclass(frozen=True)
class ResultQuestion:
    id: int
    number: int
    kind: str
    prompt_html: str
    points: int
    points_awarded: Decimal
    is_correct: bool
    choices: list[ResultChoice]
    given_text: str
    right_answer: str  # for short text and numeric; empty when withheld
    explanation_html: str  # empty when withheld


def attempt_result(
    *, attempt: Attempt, reveal: bool, show_feedback: bool = True
) -> list[ResultQuestion]:
    """Each drawn question with the learner's answer and, when ``reveal``, the
    right answer and the explanation. ``show_feedback`` gives the feedback of
    the chosen choices."""
    # The answers the submission just wrote, when it was this request's
    # (quizzes.services.attempt_submit keeps them on the attempt); read otherwise.
    answers = attempt.__dict__.get("_submitted_answers")
    if answers is None:
        answers = list(attempt.answers.all())
    answers = {a.question_id: a for a in answers}
    rows = []
    for question, drawn_choices in drawn_in_order(attempt=attempt):
        answer = answers.get(question.id)
        response = answer.response if answer else {}
        chosen = set(response.get("choices", []))
        choices = [
            ResultChoice(
                c.id,
                c.text,
                c.id in chosen,
                c.is_correct if reveal else None,
                c.feedback_html if (show_feedback and (c.id in chosen or reveal)) else "",
            )
            for c in drawn_choices
        ]
        right = ""
        if reveal and question.kind == Question.Kind.SHORT_TEXT and question.accepted_answers:
            right = question.accepted_answers[0]
        elif reveal and question.kind == Question.Kind.NUMERIC:
            right = _format_number(question.numeric_answer)
            if question.tolerance:
                right += f" ± {_format_number(question.tolerance)}"
        rows.append(
            ResultQuestion(
                id=question.id,
                number=len(rows) + 1,
                kind=question.kind,
                prompt_html=question.prompt_html,
                points=question.points,
                points_awarded=answer.points_awarded if answer else Decimal(0),
                is_correct=answer.is_correct if answer else False,
                choices=choices,
                given_text=response.get("text", ""),
                right_answer=right,
                explanation_html=question.explanation_html if reveal else "",
            )
        )
    return rows


def _format_number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def reveal_answers(*, quiz: Quiz, status: QuizStatus) -> bool:
    """Whether a submitted attempt's right answers and explanations are shown."""
    if quiz.feedback == Quiz.Feedback.AFTER_SUBMIT:
        return True
    if quiz.feedback == Quiz.Feedback.AFTER_PASS:
        # Out of attempts: the failed set's answers are shown, as before sets
        # existed. A learner who saw them then waits QUIZ_RETRY_AFTER_HOURS
        # for a new set (or a tutor's grant), which hides them again.
        return status.passed or status.attempts_left == 0
    return False


@dataclass(frozen=True)
class AttemptOutcome:
    """What a submitted attempt's result shows, on the page and in the API."""

    status: QuizStatus
    reveal: bool  # right answers and explanations shown
    show_feedback: bool  # per-question results shown at all (not for "never" quizzes)
    results: list[ResultQuestion]  # empty when not show_feedback


def attempt_outcome(*, learner, attempt: Attempt) -> AttemptOutcome:
    """The result of the learner's submitted attempt, as the quiz's feedback
    setting allows: the score always; each question's result unless the quiz
    never gives feedback; right answers and explanations when revealed."""
    quiz = attempt.quiz
    status = quiz_status_for(learner=learner, quiz=quiz, whole_open_attempt=False)
    reveal = reveal_answers(quiz=quiz, status=status)
    show_feedback = quiz.feedback != Quiz.Feedback.NEVER
    results = (
        attempt_result(attempt=attempt, reveal=reveal, show_feedback=show_feedback)
        if show_feedback
        else []
    )
    return AttemptOutcome(status, reveal, show_feedback, results)


@dataclass(frozen=True)
class QuizPanel:
    """The quiz part of a quiz grain's page, for the page and the API: where
    the learner stands, the open attempt's questions (ids and texts only),
    and their latest attempts."""

    quiz: Quiz
    status: QuizStatus
    can_start: bool  # an attempt may be opened now (quizzes open once the course is published)
    form_questions: list[FormQuestion]
    past_attempts: list[Attempt]

    @property
    def open_attempt(self) -> Attempt | None:
        return self.status.open_attempt


def quiz_panel(*, learner, quiz: Quiz, tracking: bool, with_form: bool = True) -> QuizPanel:
    """``tracking``: the course records progress (attempts are made only
    then). ``with_form``: read the open attempt's questions too."""
    status = quiz_status_for(learner=learner, quiz=quiz)
    form = (
        attempt_form_questions(attempt=status.open_attempt)
        if with_form and status.open_attempt
        else []
    )
    return QuizPanel(
        quiz=quiz,
        status=status,
        can_start=tracking and status.can_start,
        form_questions=form,
        past_attempts=past_attempts(learner=learner, quiz=quiz),
    )
