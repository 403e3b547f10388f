"""The tutor's table, flags and figures, from their rules, at their edges.

Each test runs in the world of conftest.py: the invitee who has not
consented, a learner in no cohort and another cohort's member all have
progress and failures in the same course; none may appear or count. The
course has an optional grain, which never counts in a percentage."""

from datetime import timedelta

import pytest
from django.utils import timezone

from badges.tutor_selectors import badge_counts_by_cohort
from courses.models import Unit
from learning_platform.models import CohortMembership
from progress import tutor_pages
from progress import tutor_selectors as selectors
from progress.models import CohortCourse, Enrolment
from progress.services import cohort_course_assign, unit_complete
from tests.factories import make_course, make_learner, make_question, make_quiz, make_unit

from .helpers import award, row_of, take, usernames

pytestmark = pytest.mark.django_db


def _table(world, **kwargs):
    return selectors.cohort_table(world.cohort, **kwargs)


def _cell(world, learner=None, **kwargs):
    return row_of(_table(world, **kwargs), learner or world.member).cells[0]


# Who is in the table


def test_only_consented_members_appear_and_count(world):
    table = _table(world)
    assert usernames(table) == {"zoe"}
    # The others all failed the quiz twice; only the member could be counted.
    assert table.flag_counts()[selectors.FLAG_FAILING] == 0
    assert table.flag_counts()[selectors.FLAG_NOT_STARTED] == 1


def test_a_member_who_leaves_disappears_from_the_table(world):
    CohortMembership.objects.filter(learner=world.member).delete()
    assert usernames(_table(world)) == set()


# Percent of required grains, per cell


def test_percent_counts_required_grains_rounded_down(world):
    unit_complete(learner=world.member, unit=world.optional)
    cell = _cell(world)
    assert (cell.started, cell.percent) == (True, 0)  # the optional grain is not counted
    unit_complete(learner=world.member, unit=world.f1)
    assert _cell(world).percent == 33  # 1 of 3
    unit_complete(learner=world.member, unit=world.f2)
    assert _cell(world).percent == 66  # 2 of 3
    take(world.member, world.quiz, passing=True)
    cell = _cell(world)
    assert (cell.percent, cell.completed) == (100, True)


def test_a_course_without_required_grains_is_zero_until_completed(world):
    course = make_course(title="Vide")
    make_unit(course, required=False)
    CohortCourse.objects.filter(cohort=world.cohort).delete()
    cohort_course_assign(cohort=world.cohort, course=course)
    assert _cell(world).percent == 0
    Enrolment.objects.create(learner=world.member, course=course, completed_at=timezone.now())
    assert _cell(world).percent == 100


# Inactive: no activity for inactive_days (14) days or more


def test_inactive_from_exactly_fourteen_days_without_activity(world):
    unit_complete(learner=world.member, unit=world.optional)
    now = timezone.now()
    Enrolment.objects.filter(learner=world.member).update(last_activity_at=now - timedelta(days=14))
    table = _table(world, now=now)
    assert selectors.FLAG_INACTIVE in row_of(table, world.member).flags
    assert table.flag_counts()[selectors.FLAG_INACTIVE] == 1
    later = now - timedelta(days=14) + timedelta(minutes=5)
    Enrolment.objects.filter(learner=world.member).update(last_activity_at=later)
    table = _table(world, now=now)
    assert selectors.FLAG_INACTIVE not in row_of(table, world.member).flags
    assert table.flag_counts()[selectors.FLAG_INACTIVE] == 0


def test_inactive_counts_from_consent_when_never_active(world):
    now = timezone.now()
    membership = CohortMembership.objects.get(learner=world.member)
    membership.consented_at = now - timedelta(days=14)
    membership.save()
    assert selectors.FLAG_INACTIVE in row_of(_table(world, now=now), world.member).flags
    membership.consented_at = now - timedelta(days=14) + timedelta(seconds=1)
    membership.save()
    assert selectors.FLAG_INACTIVE not in row_of(_table(world, now=now), world.member).flags


def test_activity_in_a_course_not_assigned_still_counts_as_activity(world):
    now = timezone.now()
    CohortMembership.objects.filter(learner=world.member).update(
        consented_at=now - timedelta(days=30)
    )
    elsewhere = make_course(title="Ailleurs")
    unit_complete(learner=world.member, unit=make_unit(elsewhere))
    row = row_of(_table(world, now=now), world.member)
    assert selectors.FLAG_INACTIVE not in row.flags
    assert selectors.FLAG_NOT_STARTED in row.flags  # none of the assigned courses


# Failing: the same quiz failed failed_attempts (2) times, never passed


def test_failing_from_the_second_failure_until_a_pass(world):
    take(world.member, world.quiz, passing=False)
    table = _table(world)
    assert selectors.FLAG_FAILING not in row_of(table, world.member).flags
    take(world.member, world.quiz, passing=False)
    table = _table(world)
    row = row_of(table, world.member)
    assert selectors.FLAG_FAILING in row.flags and row.failing_quizzes == ["Le quiz"]
    assert table.flag_counts()[selectors.FLAG_FAILING] == 1
    take(world.member, world.quiz, passing=True)
    row = row_of(_table(world), world.member)
    assert selectors.FLAG_FAILING not in row.flags and row.failing_quizzes == []


def test_failures_in_a_course_not_assigned_do_not_flag(world):
    take(world.member, world.other_quiz, passing=False)
    take(world.member, world.other_quiz, passing=False)
    row = row_of(_table(world), world.member)
    assert selectors.FLAG_FAILING not in row.flags
    assert row.failing_quizzes == []  # nor name the quiz the tutor did not assign


def test_best_score_is_the_members_own(world):
    assert _cell(world).best_score is None  # the others' attempts are not hers
    take(world.member, world.quiz, passing=True)
    assert _cell(world).best_score == 100


# Not started: none of the assigned courses entered


def test_not_started_until_an_assigned_course_is_entered(world):
    assert selectors.FLAG_NOT_STARTED in row_of(_table(world), world.member).flags
    unit_complete(learner=world.member, unit=world.optional)
    assert selectors.FLAG_NOT_STARTED not in row_of(_table(world), world.member).flags


def test_no_assigned_course_means_not_flagged_not_started(world):
    CohortCourse.objects.filter(cohort=world.cohort).delete()
    assert row_of(_table(world), world.member).flags == []


# Late: an assigned course not completed after its due date


def test_late_the_day_after_the_due_date_until_completed(world):
    now = timezone.now()
    today = timezone.localdate(now)
    CohortCourse.objects.filter(cohort=world.cohort).update(due_date=today)
    assert selectors.FLAG_LATE not in row_of(_table(world, now=now), world.member).flags
    CohortCourse.objects.filter(cohort=world.cohort).update(due_date=today - timedelta(days=1))
    table = _table(world, now=now)
    assert selectors.FLAG_LATE in row_of(table, world.member).flags and _cell(world, now=now).late
    assert table.flag_counts()[selectors.FLAG_LATE] == 1
    for unit in (world.f1, world.f2):
        unit_complete(learner=world.member, unit=unit)
    assert selectors.FLAG_LATE in row_of(_table(world, now=now), world.member).flags
    take(world.member, world.quiz, passing=True)  # completes the course
    assert selectors.FLAG_LATE not in row_of(_table(world, now=now), world.member).flags


# Badges, read from badges and composed by the page


def test_badge_cell_is_the_members_own_badge_in_that_course(world):
    award(world.invitee, world.course)
    award(world.other_member, world.course)
    award(world.member, world.other_course)  # not assigned to her cohort
    table = tutor_pages.cohort_table_page(world.cohort)
    assert row_of(table, world.member).cells[0].badge is False
    award(world.member, world.course)
    table = tutor_pages.cohort_table_page(world.cohort)
    assert row_of(table, world.member).cells[0].badge is True


def test_learner_page_timeline_shows_badges_of_assigned_courses_only(world):
    award(world.member, world.other_course)
    membership = CohortMembership.objects.get(learner=world.member, cohort=world.cohort)
    assert [e.kind for e in tutor_pages.learner_page(membership).timeline] == []
    award(world.member, world.course)
    unit_complete(learner=world.member, unit=world.f1)
    kinds = sorted(e.kind for e in tutor_pages.learner_page(membership).timeline)
    assert kinds == ["badge", "grain"]


# Dashboard figures


def _summary(world):
    [summary] = [
        s for s in tutor_pages.dashboard_summaries(world.tutor) if s.cohort == world.cohort
    ]
    return summary


def test_summary_figures_count_consented_members_in_assigned_courses(world):
    # A second member and a second assigned course: 2 learners x 2 courses.
    abel = make_learner(username="abel")
    CohortMembership.objects.create(cohort=world.cohort, learner=abel, consented_at=timezone.now())
    cohort_course_assign(cohort=world.cohort, course=world.other_course)
    summary = _summary(world)
    assert (summary.learners, summary.pending, summary.active_this_week) == (1 + 1, 1, 0)
    assert (summary.completion, summary.badges) == (0, 0)

    unit_complete(learner=world.member, unit=world.optional)  # active now
    Enrolment.objects.filter(learner=world.member).update(completed_at=timezone.now())
    award(world.member, world.course)
    for learner in (world.invitee, world.other_member, world.outsider):
        Enrolment.objects.filter(learner=learner).update(completed_at=timezone.now())
        award(learner, world.course)
    summary = _summary(world)
    assert summary.active_this_week == 1  # the invitee is active too, but does not count
    assert summary.completion == 25  # 1 of 4 pairs
    assert summary.badges == 1

    week_ago = timezone.now() - timedelta(days=7, minutes=1)
    Enrolment.objects.filter(learner=world.member).update(last_activity_at=week_ago)
    assert _summary(world).active_this_week == 0


def test_summary_completion_rounds_down(world):
    for name in ("b", "c"):
        CohortMembership.objects.create(
            cohort=world.cohort, learner=make_learner(username=name), consented_at=timezone.now()
        )
    Enrolment.objects.create(learner=world.member, course=world.course, completed_at=timezone.now())
    assert _summary(world).completion == 33  # 1 of 3


def test_summaries_list_only_the_users_cohorts(world):
    assert [s.cohort for s in tutor_pages.dashboard_summaries(world.tutor)] == [world.cohort]
    assert tutor_pages.dashboard_summaries(world.member) == []


# Pending invitations, quizzes of the same title, badges of courses not assigned


def test_pending_invitations_are_the_ones_not_consented_yet(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        pending = [m.learner.username for m in selectors.pending_memberships(world.cohort)]
    assert pending == ["ines"]


def test_two_quizzes_of_the_same_title_are_judged_each_on_its_own(world):
    # One failure at each of two quizzes both called "Le quiz": never the
    # same quiz failed twice, so not failing; the weakest best score shows.
    twin = make_quiz(world.course, pass_mark=70)
    make_question(twin)
    Unit.objects.filter(pk=twin.unit_id).update(title="Le quiz")
    take(world.member, world.quiz, passing=False)
    take(world.member, twin, passing=True)
    take(world.member, twin, passing=False)
    row = row_of(_table(world), world.member)
    assert selectors.FLAG_FAILING not in row.flags and row.failing_quizzes == []
    assert row.cells[0].best_score == 0  # the weaker of 0 (the quiz) and 100 (its twin)


def test_badges_of_courses_not_assigned_to_the_cohort_do_not_count(world):
    award(world.member, world.other_course)  # assigned to the other cohort only
    counts = badge_counts_by_cohort(cohort_ids=[world.cohort.id, world.other_cohort.id])
    assert counts.get(world.cohort.id, 0) == 0
    award(world.member, world.course)
    counts = badge_counts_by_cohort(cohort_ids=[world.cohort.id])
    assert counts == {world.cohort.id: 1}


def test_late_is_judged_on_the_day_given_not_today(world):
    now = timezone.now()
    ten_days_ago = now - timedelta(days=10)
    CohortCourse.objects.filter(cohort=world.cohort).update(
        due_date=timezone.localdate(now) - timedelta(days=5)
    )
    then = row_of(_table(world, now=ten_days_ago), world.member)
    assert selectors.FLAG_LATE not in then.flags and not then.cells[0].late
    later = row_of(_table(world, now=now), world.member)
    assert selectors.FLAG_LATE in later.flags and later.cells[0].late
    # The rows and the cells of a page are judged on the same day too.
    table = selectors.cohort_rows(world.cohort, now=ten_days_ago)
    [row] = selectors.cohort_cells(table, table.rows)
    assert not row.cells[0].late and table.now == ten_days_ago


def test_a_due_date_in_the_future_is_not_late_on_its_eve(world):
    now = timezone.now()
    CohortCourse.objects.filter(cohort=world.cohort).update(
        due_date=timezone.localdate(now) + timedelta(days=5)
    )
    five_days_on = now + timedelta(days=6)
    assert not _cell(world, now=now).late
    row = row_of(_table(world, now=five_days_on), world.member)
    assert selectors.FLAG_LATE in row.flags and row.cells[0].late


def test_a_completed_course_elsewhere_does_not_make_up_for_the_overdue_one(world):
    cohort_course_assign(cohort=world.cohort, course=world.other_course)  # not due
    unit = world.other_course.units.exclude(pk=world.other_quiz.unit_id).get()
    unit_complete(learner=world.member, unit=unit)
    take(world.member, world.other_quiz, passing=True)
    assert Enrolment.objects.get(learner=world.member, course=world.other_course).completed_at
    unrelated = make_course(title="Ailleurs")
    unit_complete(learner=world.member, unit=make_unit(unrelated))
    assert Enrolment.objects.get(learner=world.member, course=unrelated).completed_at
    CohortCourse.objects.filter(pk=world.assignment.pk).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    row = row_of(_table(world), world.member)
    assert selectors.FLAG_LATE in row.flags
    assert [c.late for c in row.cells] == [True, False]


def test_assigned_quizzes_come_by_course_title_then_grain_order(world):
    # The world's cohort has "Hameçonnage" (its quiz at position 3); add "Accès".
    first = make_course(title="Accès")
    later_quiz = make_quiz(first)
    earlier_quiz = make_quiz(first)
    Unit.objects.filter(pk=earlier_quiz.unit_id).update(position=later_quiz.unit.position - 1)
    cohort_course_assign(cohort=world.cohort, course=first)
    make_quiz(make_course(title="Aaa, not assigned"))
    assert list(selectors.assigned_quizzes(world.cohort)) == [earlier_quiz, later_quiz, world.quiz]
