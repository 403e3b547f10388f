"""Small ``make_*`` helpers: each test builds the data it needs."""

import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from badges.services import badge_class_ensure
from courses.models import Competence, Course, Unit
from learning_platform.models import Cohort, Organisation
from quizzes.models import Choice, Question, Quiz

_seq = itertools.count(1)


def make_user(*, username: str | None = None, password: str = "a-long-test-password", **fields):
    username = username or f"user{next(_seq)}"
    user = get_user_model()(username=username, **fields)
    user.set_password(password)
    user.save()
    return user


def make_learner(**fields):
    return make_user(**fields)


def make_organisation(
    *, name: str | None = None, kind=Organisation.Kind.PUBLIC_SPACE, managers=()
) -> Organisation:
    organisation = Organisation.objects.create(name=name or f"Organisation {next(_seq)}", kind=kind)
    organisation.managers.add(*managers)
    return organisation


def make_cohort(*, name: str | None = None, organisation=None, tutors=()) -> Cohort:
    """A cohort (in a new organisation unless given) with its tutors and no
    learner: learners join through ``learning_platform.cohorts.membership_join``."""
    cohort = Cohort.objects.create(
        name=name or f"Cohort {next(_seq)}", organisation=organisation or make_organisation()
    )
    cohort.tutors.add(*tutors)
    return cohort


def make_course(
    *,
    title: str | None = None,
    status: str = Course.Status.PUBLISHED,
    level=Course.Level.BEGINNER,
    competences=("4.2",),
    **fields,
) -> Course:
    """A course, published unless ``status`` says otherwise: set as it is
    (no proposal, no version), with its badge class when published."""
    n = next(_seq)
    course = Course.objects.create(
        title=title or f"Course {n}",
        slug=fields.pop("slug", f"course-{n}"),
        summary=fields.pop("summary", "A short course."),
        level=level,
        status=status,
        published_at=timezone.now() if status == Course.Status.PUBLISHED else None,
        **fields,
    )
    if competences:
        course.competences.set(Competence.objects.filter(code__in=competences))
    if status == Course.Status.PUBLISHED:
        # A shortcut past the committee (courses.services.course_publish),
        # with what publishing gives: the badge class, made at once rather
        # than on commit, which most tests never reach.
        badge_class_ensure(course)
    return course


def make_unit(
    course: Course, *, kind: str = Unit.Kind.FICHE, required: bool = True, **fields
) -> Unit:
    n = next(_seq)
    defaults = {
        "slug": f"unit-{n}",
        "title": f"Unit {n}",
        "position": n,
        "minutes": 5,
        "body": "Some **text**.",
    }
    if kind == Unit.Kind.VIDEO:
        defaults.update(
            video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            transcript="What is said.",
            body="",
        )
    defaults.update(fields)
    return Unit.objects.create(course=course, kind=kind, required=required, **defaults)


def make_quiz(
    course: Course,
    *,
    pass_mark: int = 70,
    attempts_allowed=None,
    questions_per_attempt=None,
    shuffle: bool = False,
    **fields,
) -> Quiz:
    unit = make_unit(course, kind=Unit.Kind.QUIZ, body="Test yourself.")
    return Quiz.objects.create(
        unit=unit,
        pass_mark=pass_mark,
        attempts_allowed=attempts_allowed,
        questions_per_attempt=questions_per_attempt,
        shuffle_questions=shuffle,
        shuffle_choices=shuffle,
        **fields,
    )


def make_question(
    quiz: Quiz, *, kind: str = Question.Kind.SINGLE, choices=None, points: int = 1, **fields
) -> Question:
    """``choices``: [(text, is_correct, feedback), ...] for choice kinds."""
    n = next(_seq)
    defaults = {
        "key": f"q{n}",
        "prompt": f"Question {n}?",
        "explanation": f"SECRET-EXPLANATION-{n}",
        "position": n,
    }
    if kind == Question.Kind.NUMERIC:
        defaults.setdefault("numeric_answer", Decimal("12"))
    defaults.update(fields)
    question = Question.objects.create(quiz=quiz, kind=kind, points=points, **defaults)
    if choices is None and kind == Question.Kind.SINGLE:
        choices = [
            ("Right", True, f"SECRET-FEEDBACK-RIGHT-{n}"),
            ("Wrong", False, f"SECRET-FEEDBACK-WRONG-{n}"),
        ]
    if choices is None and kind == Question.Kind.TRUE_FALSE:
        choices = [("Vrai", True, ""), ("Faux", False, "")]
    for position, (text, correct, feedback) in enumerate(choices or [], start=1):
        Choice.objects.create(
            question=question, position=position, text=text, is_correct=correct, feedback=feedback
        )
    return question


def make_mixed_quiz(
    course: Course,
    *,
    accepted: str = "SECRET-ACCEPTED",
    numeric_answer=424242,
    tolerance=0,
    multiple_feedback=("SECRET-A", "SECRET-B", "SECRET-C"),
    **quiz_fields,
) -> Quiz:
    """A quiz with one question of each kind, one point each, in this order:
    single (choices Right / Wrong, SECRET feedback), multiple (A and B right,
    C wrong), true/false, short text (``accepted``), numeric
    (``numeric_answer`` ± ``tolerance``). ``quiz_fields`` go to ``make_quiz``."""
    quiz = make_quiz(course, **quiz_fields)
    make_question(quiz)  # single, with SECRET feedback
    feedback_a, feedback_b, feedback_c = multiple_feedback
    make_question(
        quiz,
        kind=Question.Kind.MULTIPLE,
        choices=[("A", True, feedback_a), ("B", True, feedback_b), ("C", False, feedback_c)],
    )
    make_question(quiz, kind=Question.Kind.TRUE_FALSE)
    make_question(quiz, kind=Question.Kind.SHORT_TEXT, accepted_answers=[accepted])
    make_question(
        quiz, kind=Question.Kind.NUMERIC, numeric_answer=numeric_answer, tolerance=tolerance
    )
    return quiz


def right_answers(attempt) -> dict[str, list[str]]:
    """The answers that score full marks on every drawn question (tests only)."""
    answers = {}
    questions = {
        q.id: q
        for q in Question.objects.filter(id__in=attempt.question_ids).prefetch_related("choices")
    }
    for item in attempt.drawn:
        question = questions[item["question"]]
        if question.has_choices:
            answers[str(question.id)] = [str(c.id) for c in question.choices.all() if c.is_correct]
        elif question.kind == Question.Kind.SHORT_TEXT:
            answers[str(question.id)] = [question.accepted_answers[0]]
        else:
            answers[str(question.id)] = [str(question.numeric_answer)]
    return answers


def wrong_answers(attempt) -> dict[str, list[str]]:
    answers = {}
    questions = {
        q.id: q
        for q in Question.objects.filter(id__in=attempt.question_ids).prefetch_related("choices")
    }
    for item in attempt.drawn:
        question = questions[item["question"]]
        if question.has_choices:
            answers[str(question.id)] = [
                str(c.id) for c in question.choices.all() if not c.is_correct
            ][:1]
        elif question.kind == Question.Kind.SHORT_TEXT:
            answers[str(question.id)] = ["certainly not this"]
        else:
            answers[str(question.id)] = [str(question.numeric_answer + 1000)]
    return answers
