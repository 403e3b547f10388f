"""Writing quizzes: the rules of a quiz and of each kind of question, one
home for both ways in (the content loader, ``quizzes.content``, and the
studio's editor, ``quizzes.studio_forms`` and ``quizzes.studio_views``), so
that a file and a form refuse the same things; and the editor's writes.

Who may call the writes is the view's check
(``courses.selectors.course_editable_by``: an author of the course, while
it is a draft; learners only ever attempt published courses' quizzes).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.models import Unit

from .models import Choice, Question, Quiz
from .services import QuizError

# The rules. Each returns {field: message}, empty when the rule holds.

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


# What the editor reads


def quiz_of_unit(*, unit: Unit) -> Quiz:
    """The quiz of a quiz grain; an unsaved one with the default settings
    when the grain has none yet (the editor saves it on the first change)."""
    return Quiz.objects.filter(unit=unit).first() or Quiz(unit=unit)


def studio_questions(*, quiz: Quiz) -> list[Question]:
    """The quiz's questions in order, for the editor's list: one query."""
    if quiz.pk is None:
        return []
    return list(
        quiz.questions.select_related("competence")
        .order_by("position", "id")
        .only("id", "quiz_id", "position", "kind", "prompt_html", "points", "competence__code")
    )
