"""Course progress counts only the learner's own completions."""

import pytest

from progress.selectors import course_progress_map
from progress.services import unit_complete
from tests.factories import make_course, make_learner, make_unit

pytestmark = pytest.mark.django_db


def test_other_learners_completions_do_not_count():
    course = make_course()
    units = [make_unit(course) for _ in range(4)]
    me, others = make_learner(), [make_learner() for _ in range(3)]
    for other in others:
        for unit in units:
            unit_complete(learner=other, unit=unit)
    unit_complete(learner=me, unit=units[0])
    progress = course_progress_map(learner=me, course_ids=[course.id])[course.id]
    assert (progress.done, progress.total, progress.percent) == (1, 4, 25)
