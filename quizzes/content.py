"""Quizzes as files: the quiz part of a quiz grain's front matter (see
content/README.md), checked by ``parse_quiz`` and loaded by ``quiz_load``."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils import translation
from django.utils.text import slugify

from courses.content import (
    SMALL_INT_MAX,
    UNIT_FIELDS,
    ContentError,
    course_load,
    course_publish_loaded,
    read_content,
    save_if_changed,
)
from courses.models import Competence, Unit

from .authoring import (
    MAX_POINTS,
    TRUE_FALSE_LABELS,
    decimal_error,
    question_rule_errors,
    quiz_settings_errors,
)
from .models import Choice, Question, Quiz

QUIZ_FIELDS = UNIT_FIELDS | {
    "pass_mark",
    "attempts_allowed",
    "questions_per_attempt",
    "shuffle_questions",
    "shuffle_choices",
    "feedback",
    "questions",
}
QUESTION_FIELDS = {
    "key",
    "kind",
    "points",
    "competence",
    "prompt",
    "explanation",
    "choices",
    "answer",
    "feedback_true",
    "feedback_false",
    "accepted",
    "tolerance",
}


@dataclass
class ChoiceSpec:
    text: str
    correct: bool
    feedback: str


@dataclass
class QuestionSpec:
    key: str
    kind: str
    points: int
    competence: str | None
    prompt: str
    explanation: str
    choices: list[ChoiceSpec] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    answer: Decimal | None = None
    tolerance: Decimal = Decimal(0)
    true_false_answer: bool | None = None
    feedback_true: str = ""
    feedback_false: str = ""


@dataclass
class QuizSpec:
    pass_mark: int
    attempts_allowed: int | None
    questions_per_attempt: int | None
    shuffle_questions: bool
    shuffle_choices: bool
    feedback: str
    questions: list[QuestionSpec]


def _err(errors, path, where, message):
    errors.append(ContentError(path, where, message))


def _optional_positive(meta, key, path, errors) -> int | None:
    value = meta.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= SMALL_INT_MAX:
        _err(
            errors,
            path,
            key,
            f"must be a whole number from 1 to {SMALL_INT_MAX}, or left out (got {value!r})",
        )
        return None
    return value


def _bool(meta, key, path, errors, default: bool) -> bool:
    value = meta.get(key, default)
    if not isinstance(value, bool):
        _err(errors, path, key, "must be true or false")
        return default
    return value


def _decimal(value, path, where, errors) -> Decimal | None:
    """A number from the file; whether the column holds it is the shared
    rule's (``quizzes.services.decimal_error``)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        _err(errors, path, where, f"must be a number (got {value!r})")
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        _err(errors, path, where, f"must be a number (got {value!r})")
        return None
    if problem := decimal_error(number):
        _err(errors, path, where, f"{problem} (got {value!r})")
        return None
    return number


def parse_quiz(
    path: Path, meta: dict, known_competences: set[str]
) -> tuple[QuizSpec | None, list[ContentError]]:
    """The quiz of a grain's front matter, and what is wrong with it. The
    rules shared with the studio's editor (``quizzes.authoring``) speak
    English here, like the rest of a file's errors."""
    with translation.override("en"):
        return _parse_quiz(path, meta, known_competences)


def _parse_quiz(
    path: Path, meta: dict, known_competences: set[str]
) -> tuple[QuizSpec | None, list[ContentError]]:
    errors: list[ContentError] = []
    for unknown in sorted(set(meta) - QUIZ_FIELDS):
        _err(errors, path, unknown, "is not a known field")
    pass_mark = meta.get("pass_mark", 70)
    if isinstance(pass_mark, bool) or not isinstance(pass_mark, int):
        _err(errors, path, "pass_mark", f"must be a whole percentage (got {pass_mark!r})")
        pass_mark = 70
    feedback = meta.get("feedback", Quiz.Feedback.AFTER_SUBMIT)
    if feedback not in Quiz.Feedback.values:
        _err(errors, path, "feedback", f"must be one of {', '.join(Quiz.Feedback.values)}")
    raw_questions = meta.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        _err(errors, path, "questions", "a quiz needs a list of questions")
        raw_questions = []
    spec = QuizSpec(
        pass_mark=pass_mark,
        attempts_allowed=_optional_positive(meta, "attempts_allowed", path, errors),
        questions_per_attempt=_optional_positive(meta, "questions_per_attempt", path, errors),
        shuffle_questions=_bool(meta, "shuffle_questions", path, errors, True),
        shuffle_choices=_bool(meta, "shuffle_choices", path, errors, True),
        feedback=feedback,
        questions=[],
    )
    keys: set[str] = set()
    for index, raw in enumerate(raw_questions, start=1):
        where = f"questions[{index}]"
        if not isinstance(raw, dict):
            _err(errors, path, where, "must be a mapping with key, kind, prompt...")
            continue
        question = _parse_question(raw, path, where, errors, known_competences)
        if question is None:
            continue
        if question.key in keys:
            _err(errors, path, f"{where}.key", f"{question.key!r} is used twice")
        keys.add(question.key)
        spec.questions.append(question)
    # The rules the studio's editor applies too.
    for where, message in quiz_settings_errors(
        pass_mark=spec.pass_mark,
        questions_per_attempt=spec.questions_per_attempt,
        question_count=len(spec.questions),
    ).items():
        _err(errors, path, where, f"{message} (got {meta.get(where)!r})")
    return spec, errors


def _read_choices(question: QuestionSpec, raw: dict, path, where: str, errors) -> None:
    """Single and multiple choice: the choices, and how many are right."""
    kind = question.kind
    choices = raw.get("choices")
    if not isinstance(choices, list) or len(choices) < 2:
        _err(errors, path, f"{where}.choices", "needs at least two choices")
        choices = []
    for c_index, choice in enumerate(choices, start=1):
        c_where = f"{where}.choices[{c_index}]"
        if not isinstance(choice, dict) or not isinstance(choice.get("text"), str | int | float):
            _err(errors, path, c_where, "needs a text")
            continue
        correct = choice.get("correct", False)
        if not isinstance(correct, bool):
            _err(errors, path, f"{c_where}.correct", "must be true or false")
            correct = False
        text = str(choice["text"]).strip()
        if not text or len(text) > 500:
            _err(errors, path, f"{c_where}.text", "must be 1 to 500 characters")
        question.choices.append(ChoiceSpec(text, correct, str(choice.get("feedback") or "")))
    rule = question_rule_errors(kind=kind, choices=[(c.text, c.correct) for c in question.choices])
    if "choices" in rule and choices:  # "at least two choices" is reported above
        _err(errors, path, f"{where}.choices", rule["choices"])


def _read_true_false(question: QuestionSpec, raw: dict, path, where: str, errors) -> None:
    """True or false: the answer and the feedback of each."""
    answer = raw.get("answer")
    if not isinstance(answer, bool):
        _err(errors, path, f"{where}.answer", "must be true or false")
    question.true_false_answer = bool(answer)
    question.feedback_true = str(raw.get("feedback_true") or "")
    question.feedback_false = str(raw.get("feedback_false") or "")


def _read_short_text(question: QuestionSpec, raw: dict, path, where: str, errors) -> None:
    """Short text: the accepted answers."""
    accepted = raw.get("accepted")
    if isinstance(accepted, str):
        accepted = [accepted]
    if not isinstance(accepted, list) or not all(isinstance(a, str | int) for a in accepted):
        accepted = []
    question.accepted = [str(a).strip() for a in accepted]
    rule = question_rule_errors(kind=question.kind, accepted=question.accepted)
    if "accepted" in rule or not all(question.accepted):
        _err(errors, path, f"{where}.accepted", "needs at least one accepted answer, none blank")
        question.accepted = []


def _read_numeric(question: QuestionSpec, raw: dict, path, where: str, errors) -> None:
    """Number: the answer and the tolerance (not negative)."""
    if "answer" not in raw:
        _err(errors, path, f"{where}.answer", "is required")
    else:
        question.answer = _decimal(raw["answer"], path, f"{where}.answer", errors)
    tolerance = _decimal(raw.get("tolerance", 0), path, f"{where}.tolerance", errors)
    question.tolerance = tolerance if tolerance is not None else Decimal(0)
    if question.answer is not None:
        rule = question_rule_errors(
            kind=question.kind, numeric_answer=question.answer, tolerance=question.tolerance
        )
        for name, message in rule.items():
            _err(errors, path, f"{where}.{name}", message)
    elif question.tolerance < 0:
        _err(errors, path, f"{where}.tolerance", "cannot be negative")
    question.tolerance = max(question.tolerance, Decimal(0))


KIND_READERS = {
    Question.Kind.SINGLE: _read_choices,
    Question.Kind.MULTIPLE: _read_choices,
    Question.Kind.TRUE_FALSE: _read_true_false,
    Question.Kind.SHORT_TEXT: _read_short_text,
    Question.Kind.NUMERIC: _read_numeric,
}


def _parse_question(raw, path, where, errors, known_competences) -> QuestionSpec | None:
    for unknown in sorted(set(raw) - QUESTION_FIELDS):
        _err(errors, path, f"{where}.{unknown}", "is not a known field")
    key = str(raw.get("key") or "")
    if not key or slugify(key) != key or len(key) > 80:
        _err(errors, path, f"{where}.key", "is required: lowercase letters, digits and hyphens")
    kind = raw.get("kind")
    if kind not in Question.Kind.values:
        _err(errors, path, f"{where}.kind", f"must be one of {', '.join(Question.Kind.values)}")
        return None
    prompt = raw.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        _err(errors, path, f"{where}.prompt", "is required")
        prompt = ""
    explanation = raw.get("explanation") or ""
    if not isinstance(explanation, str):
        _err(errors, path, f"{where}.explanation", "must be text")
        explanation = ""
    points = raw.get("points", 1)
    if isinstance(points, bool) or not isinstance(points, int) or not 1 <= points <= MAX_POINTS:
        _err(errors, path, f"{where}.points", f"must be a whole number from 1 to {MAX_POINTS}")
        points = 1
    competence = raw.get("competence")
    if competence is not None:
        competence = str(competence)
        if competence not in known_competences:
            _err(errors, path, f"{where}.competence", f"unknown competence code {competence!r}")
    question = QuestionSpec(key, kind, points, competence, prompt, explanation)

    KIND_READERS[kind](question, raw, path, where, errors)
    return question


def quiz_load(*, unit: Unit, spec: QuizSpec, language: str) -> bool:
    """Create or update the unit's quiz in place: questions matched by key,
    choices by position, so past attempts keep pointing at the same rows.
    Returns whether anything changed. Call inside a transaction."""
    quiz = Quiz.objects.filter(unit=unit).first() or Quiz(unit=unit)
    changed = save_if_changed(
        quiz,
        pass_mark=spec.pass_mark,
        attempts_allowed=spec.attempts_allowed,
        questions_per_attempt=spec.questions_per_attempt,
        shuffle_questions=spec.shuffle_questions,
        shuffle_choices=spec.shuffle_choices,
        feedback=spec.feedback,
    )
    competences = {c.code: c for c in Competence.objects.all()}
    existing = {q.key: q for q in quiz.questions.all()}
    for position, q_spec in enumerate(spec.questions, start=1):
        question = existing.pop(q_spec.key, None) or Question(quiz=quiz, key=q_spec.key)
        changed |= save_if_changed(
            question,
            position=position,
            kind=q_spec.kind,
            points=q_spec.points,
            prompt=q_spec.prompt,
            explanation=q_spec.explanation,
            competence=competences.get(q_spec.competence) if q_spec.competence else None,
            accepted_answers=q_spec.accepted,
            numeric_answer=q_spec.answer,
            tolerance=q_spec.tolerance,
        )
        choices = q_spec.choices
        if q_spec.kind == Question.Kind.TRUE_FALSE:
            yes, no = TRUE_FALSE_LABELS.get(language, TRUE_FALSE_LABELS["fr"])
            choices = [
                ChoiceSpec(yes, q_spec.true_false_answer is True, q_spec.feedback_true),
                ChoiceSpec(no, q_spec.true_false_answer is False, q_spec.feedback_false),
            ]
        old = list(question.choices.order_by("position", "id"))
        for c_position, c_spec in enumerate(choices, start=1):
            choice = old.pop(0) if old else Choice(question=question)
            changed |= save_if_changed(
                choice,
                position=c_position,
                text=c_spec.text,
                is_correct=c_spec.correct,
                feedback=c_spec.feedback,
            )
        for stale in old:
            stale.delete()
            changed = True
    for stale in existing.values():
        stale.delete()
        changed = True
    return changed


# Loading a folder of courses: courses and their quizzes together.


@dataclass
class ContentReport:
    """What ``content_load`` did: nothing when ``errors`` is not empty."""

    courses: int
    errors: list[ContentError]
    totals: dict[str, int] = field(
        default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0, "removed": 0}
    )


def _read_with_quizzes(root: Path):
    specs, errors = read_content(root)
    known = set(Competence.objects.values_list("code", flat=True))
    quizzes = {}
    for spec in specs:
        for unit in spec.units:
            if unit.kind == Unit.Kind.QUIZ:
                quiz_spec, quiz_errors = parse_quiz(unit.path, unit.meta, known)
                errors.extend(quiz_errors)
                quizzes[(spec.slug, unit.slug)] = quiz_spec
    return specs, quizzes, errors


def content_load(root: Path, *, check_only: bool = False) -> ContentReport:
    """Check every course file below ``root``, then load them all in one
    transaction, or nothing if one is wrong (or when ``check_only``). Lives
    in quizzes, the lowest app that knows both courses and quizzes."""
    specs, quizzes, errors = _read_with_quizzes(root)
    report = ContentReport(courses=len(specs), errors=errors)
    if errors or check_only:
        return report
    with transaction.atomic():
        for spec in specs:
            course, units, stats = course_load(spec)
            quiz_changed = False
            for slug, unit in units.items():
                if unit.kind == Unit.Kind.QUIZ:
                    quiz_changed |= quiz_load(
                        unit=unit, spec=quizzes[(spec.slug, slug)], language=course.language
                    )
            if quiz_changed and stats["unchanged"]:
                stats["unchanged"], stats["updated"] = 0, 1
            course_publish_loaded(spec=spec, course=course, changed=not stats["unchanged"])
            for key in report.totals:
                report.totals[key] += stats[key]
    return report
