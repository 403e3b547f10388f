"""Learners see what their tutors assigned (issue #12): on "Mes parcours" and
"Mes groupes", each assigned course with its due date and "en retard" by the
same rule as the tutor's table; only from the groups they consented to and
that are not archived."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from learning_platform.cohorts import membership_join, tutor_invite
from learning_platform.models import Cohort
from progress.deadlines import is_late
from progress.selectors import assignments_by_cohort, assignments_for, dashboard_for
from progress.services import cohort_course_assign, unit_complete
from progress.tutor_selectors import cohort_table
from tests.factories import make_cohort, make_course, make_unit, make_user

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)


# The rule, at its edges


def test_due_today_is_not_late():
    assert is_late(due_date=TODAY, completed=False, today=TODAY) is False


def test_due_yesterday_and_not_completed_is_late():
    assert is_late(due_date=TODAY - timedelta(days=1), completed=False, today=TODAY) is True


def test_due_tomorrow_is_not_late():
    assert is_late(due_date=TODAY + timedelta(days=1), completed=False, today=TODAY) is False


def test_a_completed_course_is_never_late():
    assert is_late(due_date=TODAY - timedelta(days=30), completed=True, today=TODAY) is False


def test_a_course_without_due_date_is_never_late():
    assert is_late(due_date=None, completed=False, today=TODAY) is False


# The selector


def _course(title: str, *, units: int = 2):
    course = make_course(title=title)
    made = [make_unit(course, position=i) for i in range(units)]
    make_unit(course, required=False)  # optional grains never count
    return course, made


@pytest.fixture
def tutor():
    return make_user(username="sylvie", display_name="Sylvie")


@pytest.fixture
def group(tutor):
    return make_cohort(name="Atelier du mardi", tutors=[tutor])


def _late_by_title(learner, today=TODAY) -> dict[str, bool]:
    return {a.course.title: a.late for a in assignments_for(learner=learner, today=today)}


def test_late_at_the_edges_through_the_selector(learner, group):
    membership_join(learner=learner, cohort=group)
    due_today, _ = _course("Due today")
    due_yesterday, _ = _course("Due yesterday")
    done, done_units = _course("Done", units=1)
    no_date, _ = _course("No date")
    cohort_course_assign(cohort=group, course=due_today, due_date=TODAY)
    cohort_course_assign(cohort=group, course=due_yesterday, due_date=TODAY - timedelta(1))
    cohort_course_assign(cohort=group, course=done, due_date=TODAY - timedelta(1))
    cohort_course_assign(cohort=group, course=no_date)
    unit_complete(learner=learner, unit=done_units[0])

    assert _late_by_title(learner) == {
        "Due today": False,
        "Due yesterday": True,
        "Done": False,
        "No date": False,
    }
    # The day after, what was due today is late too.
    assert _late_by_title(learner, today=TODAY + timedelta(1))["Due today"] is True


def test_soonest_due_first_and_no_due_date_last_with_the_learners_progress(learner, group):
    membership_join(learner=learner, cohort=group)
    later, _ = _course("Later")
    sooner, sooner_units = _course("Sooner")
    undated, _ = _course("Undated")
    cohort_course_assign(cohort=group, course=undated)
    cohort_course_assign(cohort=group, course=later, due_date=TODAY + timedelta(9))
    cohort_course_assign(cohort=group, course=sooner, due_date=TODAY + timedelta(2))
    unit_complete(learner=learner, unit=sooner_units[0])

    found = assignments_for(learner=learner, today=TODAY)
    assert [a.course.title for a in found] == ["Sooner", "Later", "Undated"]
    first = found[0]
    assert (first.cohort, first.due_date) == (group, TODAY + timedelta(2))
    assert (first.progress.started, first.progress.percent, first.completed) == (True, 50, False)
    assert (found[1].progress.started, found[1].progress.percent) == (False, 0)


def test_completed_courses_come_after_what_is_left_to_do(learner, group):
    membership_join(learner=learner, cohort=group)
    done, done_units = _course("Done first due", units=1)
    todo, _ = _course("To do")
    cohort_course_assign(cohort=group, course=done, due_date=TODAY - timedelta(5))
    cohort_course_assign(cohort=group, course=todo, due_date=TODAY + timedelta(5))
    unit_complete(learner=learner, unit=done_units[0])
    found = assignments_for(learner=learner, today=TODAY)
    assert [(a.course.title, a.completed) for a in found] == [
        ("To do", False),
        ("Done first due", True),
    ]


def test_the_learner_and_the_tutor_see_the_same_late_courses(learner, group):
    membership_join(learner=learner, cohort=group)
    today = timezone.localdate()
    for days in (-2, -1, 0, 1, None):
        course, _ = _course(f"Course {days}")
        due = today + timedelta(days) if days is not None else None
        cohort_course_assign(cohort=group, course=course, due_date=due)
    tutor_sees = {cell.course.title: cell.late for cell in cohort_table(group).rows[0].cells}
    assert tutor_sees == _late_by_title(learner, today=today)
    assert list(tutor_sees.values()).count(True) == 2


def test_another_learners_progress_in_an_assigned_course_is_not_the_learners(
    learner, other_learner, group
):
    """The other learner completed the course; the learner has not started it: late."""
    membership_join(learner=learner, cohort=group)
    course, units = _course("Shared", units=1)
    cohort_course_assign(cohort=group, course=course, due_date=TODAY - timedelta(1))
    unit_complete(learner=other_learner, unit=units[0])
    (found,) = assignments_for(learner=learner, today=TODAY)
    assert (found.progress.started, found.completed, found.late) == (False, False, True)


def test_the_dashboard_tells_late_by_the_day_it_is_given(learner, group):
    """Due on TODAY: not late that day, late the day after, whatever the clock says."""
    membership_join(learner=learner, cohort=group)
    course, _ = _course("Due today")
    cohort_course_assign(cohort=group, course=course, due_date=TODAY)
    late = {
        day: [a.late for a in dashboard_for(learner=learner, today=day).assignments]
        for day in (TODAY, TODAY + timedelta(1))
    }
    assert late == {TODAY: [False], TODAY + timedelta(1): [True]}


def test_an_invitation_not_accepted_shows_nothing(learner, group, tutor):
    tutor_invite(tutor=tutor, cohort=group, username=learner.username)
    course, _ = _course("Assigned")
    cohort_course_assign(cohort=group, course=course, due_date=TODAY - timedelta(1))
    assert assignments_for(learner=learner, today=TODAY) == []


def test_an_archived_group_shows_nothing(learner, group):
    membership_join(learner=learner, cohort=group)
    course, _ = _course("Assigned")
    cohort_course_assign(cohort=group, course=course, due_date=TODAY - timedelta(1))
    assert len(assignments_for(learner=learner, today=TODAY)) == 1
    Cohort.objects.filter(pk=group.pk).update(archived_at=timezone.now())
    assert assignments_for(learner=learner, today=TODAY) == []


def test_another_learners_group_shows_nothing(learner, other_learner, group):
    membership_join(learner=other_learner, cohort=group)
    course, _ = _course("Theirs")
    cohort_course_assign(cohort=group, course=course)
    mine = make_cohort(name="Mine")
    membership_join(learner=learner, cohort=mine)
    own, _ = _course("Mine")
    cohort_course_assign(cohort=mine, course=own)
    assert [a.course.title for a in assignments_for(learner=learner)] == ["Mine"]
    assert list(assignments_by_cohort(learner=learner)) == [mine.id]


def test_the_same_course_in_two_groups_shows_once_per_group(learner, group):
    second = make_cohort(name="Jeudi")
    course, _ = _course("Shared")
    for cohort, due in ((group, TODAY), (second, TODAY - timedelta(1))):
        membership_join(learner=learner, cohort=cohort)
        cohort_course_assign(cohort=cohort, course=course, due_date=due)
    by_cohort = assignments_by_cohort(learner=learner, today=TODAY)
    assert [a.late for a in by_cohort[group.id]] == [False]
    assert [a.late for a in by_cohort[second.id]] == [True]


def test_anonymous_has_no_assignments():
    assert assignments_for(learner=AnonymousUser()) == []


@pytest.mark.parametrize("groups", [1, 6])
def test_three_queries_however_many_groups_and_courses(learner, groups, django_assert_num_queries):
    for n in range(groups):
        cohort = make_cohort()
        membership_join(learner=learner, cohort=cohort)
        for i in range(groups):
            course, units = _course(f"Course {n}-{i}")
            cohort_course_assign(cohort=cohort, course=course, due_date=TODAY + timedelta(i - 1))
            unit_complete(learner=learner, unit=units[0])
    # What the groups assign, the learner's enrolments, the grains with the done ones.
    with django_assert_num_queries(3):
        found = assignments_for(learner=learner, today=TODAY)
    assert len(found) == groups * groups
    assert all(a.progress.done == 1 for a in found)


def test_a_learner_in_no_group_costs_one_query(learner, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert assignments_for(learner=learner, today=TODAY) == []


# The pages, in French


def test_mes_parcours_lists_assignments_with_due_date_and_late_tag(client, learner, group):
    membership_join(learner=learner, cohort=group)
    late, _ = _course("Les mots de passe")
    undated, _ = _course("Le tableur")
    yesterday = timezone.localdate() - timedelta(days=1)
    cohort_course_assign(cohort=group, course=late, due_date=yesterday)
    cohort_course_assign(cohort=group, course=undated)
    client.force_login(learner)
    body = client.get(reverse("progress:dashboard")).content.decode()
    assert "Assignés par votre tuteur" in body
    assert "Groupe : Atelier du mardi" in body
    assert f'href="{late.get_absolute_url()}"' in body
    assert "Échéance :" in body and f'datetime="{yesterday.isoformat()}"' in body
    assert "Sans échéance" in body and "pas commencé" in body
    assert body.count('class="tag flag-late">en retard<') == 1


def test_mes_parcours_says_finished_and_never_late_once_completed(client, learner, group):
    membership_join(learner=learner, cohort=group)
    course, units = _course("Les mots de passe", units=1)
    cohort_course_assign(cohort=group, course=course, due_date=timezone.localdate() - timedelta(3))
    unit_complete(learner=learner, unit=units[0])
    client.force_login(learner)
    body = client.get(reverse("progress:dashboard")).content.decode()
    assert "✓ terminé" in body and "en retard" not in body


def test_mes_parcours_has_no_assigned_section_without_a_group(client, learner):
    client.force_login(learner)
    body = client.get(reverse("progress:dashboard")).content.decode()
    assert "Assignés par votre tuteur" not in body


def test_mes_groupes_lists_each_groups_courses_under_it(client, learner, group, tutor):
    membership_join(learner=learner, cohort=group)
    course, units = _course("Les mots de passe", units=4)
    cohort_course_assign(cohort=group, course=course, due_date=timezone.localdate() - timedelta(1))
    unit_complete(learner=learner, unit=units[0])
    invited = make_cohort(name="Groupe en attente", tutors=[tutor])
    tutor_invite(tutor=tutor, cohort=invited, username=learner.username)
    hidden, _ = _course("Parcours caché")
    cohort_course_assign(cohort=invited, course=hidden)
    client.force_login(learner)
    body = client.get(reverse("cohorts:mine")).content.decode()
    assert body.count("Parcours assignés au groupe") == 1
    assert "Les mots de passe" in body and "25&nbsp;%" in body and "en retard" in body
    assert "Groupe en attente" in body and "Parcours caché" not in body
