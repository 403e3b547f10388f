"""Page builder of a submitted attempt's result, for the result page and
the htmx fragment (quizzes/views.py) and the API (quizzes/api.py).

Part of the composition layer: it may call the selectors of any app.
"""

from dataclasses import dataclass

from courses.models import Course, Unit
from progress.selectors import CourseProgress, course_progress_for

from . import selectors
from .models import Attempt, Quiz


@dataclass(frozen=True)
class AttemptResultPage:
    attempt: Attempt
    quiz: Quiz
    unit: Unit
    course: Course
    outcome: selectors.AttemptOutcome  # what the quiz's feedback setting reveals
    progress: CourseProgress  # the learner's progress in the course, after this attempt


def attempt_result_page(*, learner, attempt: Attempt) -> AttemptResultPage:
    quiz = attempt.quiz
    course = quiz.unit.course
    return AttemptResultPage(
        attempt=attempt,
        quiz=quiz,
        unit=quiz.unit,
        course=course,
        outcome=selectors.attempt_outcome(learner=learner, attempt=attempt),
        progress=course_progress_for(learner=learner, course=course),
    )
