"""Page builder of a submitted attempt's result, for the result page and
the htmx fragment (quizzes/views.py) and the API (quizzes/api.py).

Part of the composition layer: it may call the selectors of any app.
"""

from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse

from badges import selectors as badge_selectors
from courses.models import Course, Unit
from progress.selectors import CourseProgress, course_progress_for

from . import selectors
from .models import Attempt, Quiz


def quiz_or_404(*, unit_id: int) -> Quiz:
    """The quiz of a grain attempts may be made at (a published course)."""
    try:
        return selectors.quiz_for_attempts(unit_id=unit_id)
    except Quiz.DoesNotExist as exc:
        raise Http404 from exc


def attempt_or_404(*, learner, attempt_id: int) -> Attempt:
    """The learner's own attempt; anyone else's, staff included, is a 404."""
    try:
        return selectors.attempt_for_learner(learner=learner, attempt_id=attempt_id)
    except Attempt.DoesNotExist as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class NextUnit:
    title: str
    url: str


def next_unit_after(attempt: Attempt) -> NextUnit | None:
    """The grain after the quiz's, from what ``attempt_or_404`` read with the
    attempt (no query of its own)."""
    slug = getattr(attempt, "next_unit_slug", None)
    if not slug:
        return None
    course = attempt.quiz.unit.course
    return NextUnit(attempt.next_unit_title, reverse("courses:unit", args=[course.slug, slug]))


@dataclass(frozen=True)
class AttemptResultPage:
    attempt: Attempt
    quiz: Quiz
    unit: Unit
    course: Course
    outcome: selectors.AttemptOutcome  # what the quiz's feedback setting reveals
    progress: CourseProgress  # the learner's progress in the course, after this attempt
    next_unit: NextUnit | None  # the grain after the quiz's
    badge_moment: object | None = None  # badges.selectors.BadgeMoment, once the course is complete
    badge_steps: list | None = None  # badges.selectors.Step: what is missing until then


def attempt_result_page(*, learner, attempt: Attempt) -> AttemptResultPage:
    quiz = attempt.quiz
    course = quiz.unit.course
    progress = course_progress_for(learner=learner, course=course)
    return AttemptResultPage(
        attempt=attempt,
        quiz=quiz,
        unit=quiz.unit,
        course=course,
        outcome=selectors.attempt_outcome(learner=learner, attempt=attempt),
        progress=progress,
        next_unit=next_unit_after(attempt),
        badge_moment=badge_selectors.badge_moment(learner=learner, course=course)
        if progress.completed
        else None,
        badge_steps=None
        if progress.completed
        else badge_selectors.badge_steps(learner=learner, course=course),
    )
