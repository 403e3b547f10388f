"""Reads of the progress app at their edges (progress/selectors.py): whose
completions and enrolments count, the resume grain and the progress of each
dashboard entry, in a fixed number of queries. Another learner and another
course are always present."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from progress.models import Enrolment
from progress.selectors import (
    NOT_STARTED,
    CourseProgress,
    completed_unit_ids,
    course_progress_for,
    course_progress_map,
    course_state,
    dashboard_entries,
    dashboard_for,
    enrolments_for,
    learner_courses,
)
from progress.services import enrolment_ensure, unit_complete
from tests.factories import make_course, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_courses(learner, other_learner):
    """Two courses of three grains; the other learner has done everything."""
    courses = []
    for title in ("Alpha", "Beta"):
        course = make_course(title=title)
        units = [make_unit(course, position=p) for p in (1, 2, 3)]
        for unit in units:
            unit_complete(learner=other_learner, unit=unit)
        courses.append((course, units))
    return courses


def test_an_anonymous_visitor_has_no_progress_anywhere(two_courses):
    (course, _units), _ = two_courses
    visitor = AnonymousUser()
    assert course_progress_map(learner=visitor, course_ids=[course.id]) == {}
    assert course_progress_for(learner=visitor, course=course) == NOT_STARTED
    assert completed_unit_ids(learner=visitor, course=course) == set()


def test_each_course_has_its_own_progress_in_one_query(
    learner, two_courses, django_assert_num_queries
):
    (alpha, alpha_units), (beta, _beta_units) = two_courses
    optional = make_unit(alpha, position=4, required=False)
    unit_complete(learner=learner, unit=alpha_units[0])
    unit_complete(learner=learner, unit=optional)  # counts for nothing
    enrolment_ensure(learner=learner, course=beta)  # started, nothing done
    fresh = make_course()  # neither started nor done; the other learner has not either
    gone = fresh.id + 1000  # no such course
    with django_assert_num_queries(1):
        progress = course_progress_map(
            learner=learner, course_ids=[alpha.id, beta.id, fresh.id, gone]
        )
    assert progress == {
        alpha.id: CourseProgress(done=1, total=3, started=True, completed=False),
        beta.id: CourseProgress(done=0, total=3, started=True, completed=False),
        fresh.id: NOT_STARTED,
        gone: NOT_STARTED,
    }  # the other learner's completions and complete enrolments are theirs only


def test_completed_unit_ids_are_the_learners_own_grains_of_that_course(learner, two_courses):
    (alpha, (a1, a2, _a3)), (_beta, (b1, _b2, _b3)) = two_courses
    unit_complete(learner=learner, unit=b1)  # another course
    unit_complete(learner=learner, unit=a2)
    unit_complete(learner=learner, unit=a1)
    assert completed_unit_ids(learner=learner, course=alpha) == {a1.id, a2.id}


def test_enrolments_are_the_learners_own_latest_activity_first(learner, other_learner):
    now = timezone.now()
    first, second, third = (make_course() for _ in range(3))
    enrolled = {c: enrolment_ensure(learner=learner, course=c) for c in (first, second, third)}
    enrolment_ensure(learner=other_learner, course=first)
    # The first entered is the latest active; the two others tie.
    Enrolment.objects.filter(pk=enrolled[first].pk).update(last_activity_at=now)
    Enrolment.objects.filter(pk__in=[enrolled[second].pk, enrolled[third].pk]).update(
        last_activity_at=now - timedelta(days=1)
    )
    listed = list(enrolments_for(learner=learner))
    # A tie: the latest enrolled first.
    assert [e.course for e in listed] == [first, third, second]


def test_the_learners_list_reads_what_it_shows_in_one_query_and_not_the_course_texts(
    learner, other_learner, django_assert_num_queries
):
    """The dashboard and the API show each enrolment's dates and its course's
    title, slug and level: one query, without the course's long description."""
    course = make_course(title="Alpha")
    unit = make_unit(course)
    unit_complete(learner=learner, unit=unit)  # the only grain: complete
    enrolment_ensure(learner=other_learner, course=course)
    with django_assert_num_queries(1):
        (enrolment,) = enrolments_for(learner=learner)
        shown = (
            enrolment.course_id,
            enrolment.started_at,
            enrolment.last_activity_at,
            enrolment.completed_at,
            enrolment.course.title,
            enrolment.course.get_absolute_url(),
            enrolment.course.level,
        )
    stored = Enrolment.objects.get(learner=learner)
    assert stored.completed_at is not None
    assert shown == (
        course.id,
        stored.started_at,
        stored.last_activity_at,
        stored.completed_at,
        "Alpha",
        course.get_absolute_url(),
        course.level,
    )
    assert {"description", "description_html"} <= enrolment.course.get_deferred_fields()


def test_each_dashboard_entry_carries_its_own_progress_and_resume_grain(learner, two_courses):
    (alpha, (a1, a2, a3)), (beta, (b1, b2, _b3)) = two_courses
    empty = make_course(title="Gamma")  # no grain yet
    for unit in (a1, a3, b2):
        unit_complete(learner=learner, unit=unit)
    enrolment_ensure(learner=learner, course=empty)
    enrolments = list(enrolments_for(learner=learner))
    entries = {e.course: e for e in dashboard_entries(learner=learner, enrolments=enrolments)}
    assert set(entries) == {alpha, beta, empty}
    facts = {
        course.title: (e.progress.done, e.progress.total, e.progress.started, e.resume_unit)
        for course, e in entries.items()
    }
    assert facts == {
        "Alpha": (2, 3, True, a2),
        "Beta": (1, 3, True, b1),
        "Gamma": (0, 0, True, None),
    }


def test_the_dashboard_splits_completed_courses_from_the_others_and_suggests_a_new_one(
    learner, two_courses
):
    (alpha, alpha_units), (beta, (b1, _b2, _b3)) = two_courses
    for unit in alpha_units:
        unit_complete(learner=learner, unit=unit)
    unit_complete(learner=learner, unit=b1)
    fresh = make_course(title="Zeta")  # the only course the learner has not entered
    dashboard = dashboard_for(learner=learner)
    assert [e.course for e in dashboard.completed] == [alpha]
    assert [e.course for e in dashboard.in_progress] == [beta]
    assert dashboard.suggestion == fresh


@pytest.mark.parametrize("size", [1, 3])
def test_the_dashboard_takes_a_fixed_number_of_queries_whatever_the_data(
    learner, size, django_assert_num_queries
):
    for _ in range(size):
        course = make_course()
        units = [make_unit(course, position=p) for p in (1, 2)]
        unit_complete(learner=learner, unit=units[0])
    make_course()  # one to suggest
    # Enrolments, what the groups assign, the grains with the done ones, the
    # catalogue's version, and the catalogue in brief (two, cached after).
    for queries in (6, 4):
        with django_assert_num_queries(queries):
            dashboard = dashboard_for(learner=learner)
            # What the page shows of each entry and of the suggestion, read with it.
            shown = [
                (
                    e.course.title,
                    e.course.level,
                    e.course.get_absolute_url(),
                    e.progress.percent,
                    e.resume_unit.slug,
                    e.resume_unit.title,
                )
                for e in dashboard.in_progress
            ]
            suggested = dashboard.suggestion
            assert suggested.get_absolute_url() and suggested.title and suggested.summary
        assert len(shown) == size
        assert {percent for _t, _l, _u, percent, _s, _ti in shown} == {50}


def test_the_progress_read_with_the_grains_is_the_progress_counted_in_the_database(
    learner, other_learner, two_courses
):
    # The two readings of progress (course_progress_map, in SQL, for the
    # catalogue and the course page; learner_courses, in Python, for the
    # lists of "Mes parcours" and "Mes groupes") agree at every edge.
    (alpha, (a1, a2, a3)), (beta, (b1, _b2, _b3)) = two_courses
    optional = make_unit(alpha, position=4, required=False)
    none_required = make_course(title="Gamma")
    extra = make_unit(none_required, required=False)
    untouched = make_course(title="Delta")
    make_unit(untouched)
    unit_complete(learner=learner, unit=optional)  # optional: never counted
    unit_complete(learner=learner, unit=a1)
    for unit in (b1, _b2, _b3):
        unit_complete(learner=learner, unit=unit)  # completes Beta
    unit_complete(learner=learner, unit=extra)  # completes Gamma (nothing required)
    make_unit(beta, position=9)  # a required grain added after Beta was completed
    ids = [alpha.id, beta.id, none_required.id, untouched.id]
    enrolments = list(enrolments_for(learner=learner))
    read = learner_courses(learner=learner, course_ids=ids, enrolments=enrolments)
    counted = course_progress_map(learner=learner, course_ids=ids)
    assert {i: read.progress(i) for i in ids} == counted
    assert [(p.done, p.total, p.started, p.completed, p.percent) for p in counted.values()] == [
        (1, 3, True, False, 33),
        (3, 4, True, True, 75),
        (0, 0, True, True, 100),
        (0, 1, False, False, 0),
    ]
    assert read.resume(alpha.id) == a2 and read.resume(none_required.id) is None


def test_the_course_state_counts_the_learners_own_enrolment_in_two_queries(
    learner, two_courses, django_assert_num_queries
):
    """Completed is the enrolment's word, not a count: a required grain added
    after completion leaves the course completed, 3 grains of 4 done."""
    (alpha, alpha_units), _ = two_courses
    for unit in alpha_units:
        unit_complete(learner=learner, unit=unit)
    added = make_unit(alpha, position=9)
    with django_assert_num_queries(2):  # the grains done, the enrolment
        done, progress = course_state(learner=learner, course=alpha, units=[*alpha_units, added])
    assert done == {unit.id for unit in alpha_units}
    assert progress == CourseProgress(done=3, total=4, started=True, completed=True)


def test_the_course_state_ignores_other_learners_and_other_courses_enrolments(learner, two_courses):
    """The other learner completed Beta and the learner entered only Alpha:
    Beta is not started for the learner."""
    (alpha, (a1, _a2, _a3)), (beta, beta_units) = two_courses
    unit_complete(learner=learner, unit=a1)
    state = course_state(learner=learner, course=beta, units=beta_units)
    assert state == (set(), CourseProgress(done=0, total=3, started=False, completed=False))
