"""The course page's main button (progress.selectors.course_action): start at
the first grain, resume at the first grain not done, review once complete."""

import pytest

from courses.models import Unit
from progress.selectors import CourseProgress, course_action

NOT_STARTED = CourseProgress(done=0, total=3, started=False, completed=False)
STARTED = CourseProgress(done=0, total=3, started=True, completed=False)


def _units(n: int) -> list[Unit]:
    return [Unit(id=i, slug=f"grain-{i}", position=i) for i in range(1, n + 1)]


def test_a_course_never_opened_starts_at_its_first_grain():
    units = _units(3)
    action = course_action(units=units, done=set(), progress=NOT_STARTED)
    assert (action.kind, action.target) == ("start", units[0])


def test_an_opened_course_with_nothing_done_resumes_at_the_first_grain():
    units = _units(3)
    action = course_action(units=units, done=set(), progress=STARTED)
    assert (action.kind, action.target) == ("resume", units[0])


def test_resume_goes_to_the_first_grain_not_done_not_the_one_after_the_last_done():
    units = _units(4)
    action = course_action(units=units, done={1, 3}, progress=STARTED)
    assert (action.kind, action.target) == ("resume", units[1])


def test_a_grain_done_without_an_enrolment_row_still_resumes():
    units = _units(3)
    action = course_action(units=units, done={1}, progress=NOT_STARTED)
    assert (action.kind, action.target) == ("resume", units[1])


@pytest.mark.parametrize("done", [{1, 2, 3}, {1}])
def test_a_completed_course_is_reviewed_from_its_first_grain(done):
    # {1}: complete although optional grains 2 and 3 are not done.
    units = _units(3)
    progress = CourseProgress(done=1, total=1, started=True, completed=True)
    action = course_action(units=units, done=done, progress=progress)
    assert (action.kind, action.target) == ("review", units[0])


def test_every_grain_done_is_review_even_before_the_completion_is_recorded():
    units = _units(2)
    action = course_action(units=units, done={1, 2}, progress=STARTED)
    assert (action.kind, action.target) == ("review", units[0])


def test_a_course_without_grains_has_no_target():
    action = course_action(units=[], done=set(), progress=NOT_STARTED)
    assert (action.kind, action.target) == ("review", None)
