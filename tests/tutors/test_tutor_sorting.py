"""The listing's rows before their cells: sorting by an assigned course
(its percent of required grains, completion and weakest best score, read
in the roster's one query), an out-of-range course index, each cell's
course, the learners' names without a query, and the archived cohorts'
order. Run in the world of conftest.py."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courses.models import Unit
from learning_platform.models import Cohort
from progress import tutor_pages
from progress import tutor_selectors as selectors
from progress.services import cohort_course_assign, unit_complete
from quizzes.services import attempt_start
from tests.factories import make_learner, make_question, make_quiz, make_unit

from .helpers import make_cohort, row_of, take

pytestmark = pytest.mark.django_db


def _sort_cell(world, learner=None):
    table = selectors.cohort_rows(world.cohort, sort_course=0)
    learner_id = (learner or world.member).id
    return next(r for r in table.rows if r.learner.id == learner_id).sort_cell


def test_sorting_by_a_course_counts_its_required_grains_only(world):
    unit_complete(learner=world.member, unit=world.optional)
    assert _sort_cell(world).percent == 0
    unit_complete(learner=world.member, unit=world.f1)
    assert _sort_cell(world).percent == 33  # 1 of 3, the same as the cell
    assert (
        _sort_cell(world).percent == selectors.cohort_table(world.cohort).rows[0].cells[0].percent
    )


def test_sorting_by_a_course_puts_a_completed_course_at_100_even_with_a_new_grain(world):
    for unit in (world.f1, world.f2):
        unit_complete(learner=world.member, unit=unit)
    take(world.member, world.quiz, passing=True)  # completes the course
    make_unit(world.course, slug="nouvelle", position=9)  # a required grain added since
    assert _sort_cell(world).percent == 100
    assert selectors.cohort_table(world.cohort).rows[0].cells[0].percent == 100


def test_sorting_by_a_course_takes_the_weakest_best_of_its_submitted_quizzes(world):
    second = make_quiz(world.course)
    make_question(second)
    make_question(second)
    take(world.member, world.quiz, passing=True)  # best 100
    assert _sort_cell(world).best_score == 100
    attempt_start(learner=world.member, quiz=second)  # open: no score yet
    assert _sort_cell(world).best_score == 100
    take(world.member, second, passing=False)  # 0
    take(world.member, world.quiz, passing=False)  # does not lower the best 100
    assert _sort_cell(world).best_score == 0
    # The same figure as the cell's, on every database (PostgreSQL refuses a
    # scalar subquery of two rows).
    assert _sort_cell(world).best_score == _cell_best(world)


def _cell_best(world):
    return row_of(selectors.cohort_table(world.cohort), world.member).cells[0].best_score


@pytest.mark.parametrize("index", [1, 2, -1, 10**6])
def test_a_course_index_out_of_range_is_no_sort(world, index):
    table = selectors.cohort_rows(world.cohort, sort_course=index)  # one assigned course
    assert [r.sort_cell for r in table.rows] == [None]
    listing = tutor_pages.cohort_listing_page(
        world.cohort, sort=f"course-{index}", flag="", page_number=1, page_size=50
    )
    assert [r.learner.username for r in listing.page.object_list] == ["zoe"]


def test_the_listing_sorted_by_the_last_course_or_past_it(world, client):
    cohort_course_assign(cohort=world.cohort, course=world.other_course)
    client.force_login(world.tutor)
    url = f"/tutor/cohorts/{world.cohort.id}/"
    for sort in ("course-1", "-course-1", "course-2", "-course-2"):
        response = client.get(url, {"sort": sort})
        assert response.status_code == 200, sort
        assert "Zoé Éluard" in response.content.decode()


def test_each_cell_names_its_assigned_course(world, client):
    table = selectors.cohort_table(world.cohort)
    assert [c.course for c in table.rows[0].cells] == [world.course]
    listing = tutor_pages.cohort_listing_page(
        world.cohort, sort="name", flag="", page_number=1, page_size=50
    )
    assert [c.course for c in listing.page.object_list[0].cells] == [world.course]
    # Where no header shows (phones), the cell's label is the course's title.
    client.force_login(world.tutor)
    page = client.get(f"/tutor/cohorts/{world.cohort.id}/").content.decode()
    assert 'data-label="Hameçonnage"' in page


def test_the_learners_names_are_read_with_the_table_not_one_by_one(
    world, django_assert_num_queries
):
    for name in ("yann", "xavier"):
        learner = make_learner(username=name, display_name=name.title())
        world.cohort.memberships.create(learner=learner, consented_at=timezone.now())
    table = selectors.cohort_table(world.cohort)
    with django_assert_num_queries(0):
        names = [(str(r.learner), r.learner.display_name, r.learner.username) for r in table.rows]
    assert names == [
        ("Xavier", "Xavier", "xavier"),
        ("Yann", "Yann", "yann"),
        ("Zoé Éluard", "Zoé Éluard", "zoe"),
    ]


def test_archived_cohorts_come_newest_archived_first_then_by_name(world):
    now = timezone.now()
    names = {"Zèbre": now, "Alpha": now - timedelta(days=3), "Bravo": now, "Atlas": None}
    for name, archived_at in names.items():
        cohort = make_cohort(name=name, tutor=world.tutor)
        Cohort.objects.filter(pk=cohort.pk).update(archived_at=archived_at)
    assert [c.name for c in selectors.archived_cohorts(world.tutor)] == ["Bravo", "Zèbre", "Alpha"]
    assert [c.name for c in selectors.tutor_cohorts(world.tutor)] == ["Atlas", "Mardi"]


def test_a_grain_changed_to_optional_leaves_the_sort_and_the_cell_alike(world):
    unit_complete(learner=world.member, unit=world.f1)
    Unit.objects.filter(pk=world.f1.pk).update(required=False)
    assert _sort_cell(world).percent == 0
    assert row_of(selectors.cohort_table(world.cohort), world.member).cells[0].percent == 0
