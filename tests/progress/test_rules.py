"""Progress rules at their edges: the percentage counts required grains
only and rounds down; a course completes exactly when its last required
grain is done; resume goes to the first grain not done; another learner's
completions never count."""

import pytest
from django.urls import reverse

from progress.models import Enrolment, UnitCompletion
from progress.selectors import course_progress_map, next_unit
from progress.services import unit_complete
from progress.signals import course_completed
from quizzes.services import attempt_start, attempt_submit
from tests.factories import (
    make_course,
    make_question,
    make_quiz,
    make_unit,
    right_answers,
    wrong_answers,
)

pytestmark = pytest.mark.django_db


def _progress(learner, course):
    p = course_progress_map(learner=learner, course_ids=[course.id])[course.id]
    return p.done, p.total, p.percent, p.completed


def _completed(learner, course) -> bool:
    return Enrolment.objects.filter(
        learner=learner, course=course, completed_at__isnull=False
    ).exists()


@pytest.fixture
def announced():
    """The course_completed events sent, as (learner, course) pairs."""
    events = []

    def receiver(sender, learner, course, **kwargs):
        events.append((learner.username, course.pk))

    course_completed.connect(receiver, dispatch_uid="test-rules-announced")
    yield events
    course_completed.disconnect(dispatch_uid="test-rules-announced")


@pytest.fixture
def three_required_two_optional():
    course = make_course()
    units = [
        make_unit(course, position=1),
        make_unit(course, position=2, required=False),
        make_unit(course, position=3),
        make_unit(course, position=4, required=False),
        make_unit(course, position=5),
    ]
    return course, units


def test_percentage_counts_required_grains_only_and_rounds_down(
    learner, three_required_two_optional
):
    course, (r1, o1, r2, o2, r3) = three_required_two_optional
    assert _progress(learner, course) == (0, 3, 0, False)
    unit_complete(learner=learner, unit=o1)
    unit_complete(learner=learner, unit=o2)
    assert _progress(learner, course) == (0, 3, 0, False)  # optional grains do not count
    unit_complete(learner=learner, unit=r1)
    assert _progress(learner, course) == (1, 3, 33, False)
    unit_complete(learner=learner, unit=r2)
    assert _progress(learner, course) == (2, 3, 66, False)  # 66.67 rounds down
    unit_complete(learner=learner, unit=r3)
    assert _progress(learner, course) == (3, 3, 100, True)


def test_ninety_nine_point_something_is_not_a_hundred(learner):
    course = make_course()
    units = [make_unit(course) for _ in range(7)]
    for unit in units[:6]:
        unit_complete(learner=learner, unit=unit)
    assert _progress(learner, course) == (6, 7, 85, False)  # 85.71 rounds down


def test_course_completes_exactly_when_the_last_required_grain_is_done(
    learner, three_required_two_optional, announced, django_capture_on_commit_callbacks
):
    course, (r1, o1, r2, o2, r3) = three_required_two_optional
    with django_capture_on_commit_callbacks(execute=True):
        for unit in (r1, o1, r2, o2):
            unit_complete(learner=learner, unit=unit)
            assert not _completed(learner, course)
        assert announced == []
        unit_complete(learner=learner, unit=r3)
    assert _completed(learner, course)
    assert announced == [("learner", course.pk)]


def test_optional_grains_are_not_needed_to_complete(
    learner, three_required_two_optional, announced, django_capture_on_commit_callbacks
):
    course, (r1, o1, r2, o2, r3) = three_required_two_optional
    with django_capture_on_commit_callbacks(execute=True):
        for unit in (r3, r1, r2):  # any order
            unit_complete(learner=learner, unit=unit)
    assert _completed(learner, course)
    assert announced == [("learner", course.pk)]
    # Optional grains done afterwards change nothing and announce nothing again.
    with django_capture_on_commit_callbacks(execute=True):
        unit_complete(learner=learner, unit=o1)
    assert announced == [("learner", course.pk)]


def test_completing_the_same_grain_twice_counts_once(learner):
    course = make_course()
    fiche, _other = make_unit(course), make_unit(course)
    assert unit_complete(learner=learner, unit=fiche) is True
    assert unit_complete(learner=learner, unit=fiche) is False
    assert UnitCompletion.objects.filter(learner=learner).count() == 1
    assert _progress(learner, course) == (1, 2, 50, False)


def test_a_course_without_required_grains(learner):
    course = make_course()
    optional = make_unit(course, required=False)
    assert _progress(learner, course) == (0, 0, 0, False)
    unit_complete(learner=learner, unit=optional)
    assert _progress(learner, course) == (0, 0, 100, True)  # nothing required remains


def test_another_learners_completions_are_not_counted(
    learner, other_learner, three_required_two_optional
):
    course, units = three_required_two_optional
    for unit in units:
        unit_complete(learner=other_learner, unit=unit)
    assert _progress(other_learner, course) == (3, 3, 100, True)
    assert _progress(learner, course) == (0, 3, 0, False)
    unit_complete(learner=learner, unit=units[0])
    assert _progress(learner, course) == (1, 3, 33, False)
    assert not _completed(learner, course)


def test_a_required_quiz_grain_is_done_when_its_quiz_is_passed_not_failed(learner):
    course = make_course()
    fiche = make_unit(course)
    quiz = make_quiz(course, attempts_allowed=None)
    make_question(quiz)
    unit_complete(learner=learner, unit=fiche)
    attempt = attempt_start(learner=learner, quiz=quiz)
    attempt_submit(learner=learner, attempt=attempt, answers=wrong_answers(attempt))
    assert _progress(learner, course) == (1, 2, 50, False)
    attempt = attempt_start(learner=learner, quiz=quiz)
    attempt_submit(learner=learner, attempt=attempt, answers=right_answers(attempt))
    assert _progress(learner, course) == (2, 2, 100, True)


# Resume


def test_resume_goes_to_the_first_grain_not_done(learner, three_required_two_optional):
    course, (r1, o1, r2, o2, r3) = three_required_two_optional
    units = list(course.units.order_by("position"))
    assert next_unit(units=units, done=set()) == r1
    assert next_unit(units=units, done={r1.id, r2.id}) == o1  # in course order, optional too
    assert next_unit(units=units, done={r1.id, o1.id, o2.id}) == r2
    assert next_unit(units=units, done={u.id for u in units}) is None


def test_resume_on_the_dashboard_ignores_another_learners_completions(
    client, learner, other_learner, three_required_two_optional
):
    course, (r1, o1, r2, o2, r3) = three_required_two_optional
    for unit in (o1, r2, o2):
        unit_complete(learner=other_learner, unit=unit)
    unit_complete(learner=learner, unit=r1)
    client.force_login(learner)
    page = client.get(reverse("progress:dashboard")).content.decode()
    assert f'href="{o1.get_absolute_url()}"' in page
    assert f'href="{r2.get_absolute_url()}"' not in page
