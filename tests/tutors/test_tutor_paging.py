"""The cohort page reads every learner's flags and sort key first, then the
cells of the page's learners only; the CSV reads its cells chunk by chunk.
Both must show what the whole table shows: the same learners in the same
order, with the same flags, cells and badges, whichever page or chunk."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learning_platform.cohorts import membership_join
from progress import tutor_pages
from progress.exports import write_cohort_csv
from progress.models import CohortCourse, Enrolment
from progress.services import unit_complete
from progress.tutor_listing import sort_rows
from progress.tutor_selectors import FLAGS
from tests.factories import (
    make_course,
    make_learner,
    make_question,
    make_quiz,
    make_unit,
    make_user,
)

from .helpers import award, make_cohort, take

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(db, settings):
    """Seven learners in two courses, each in another state: not started,
    halfway, completed with a badge, failing a quiz three times, inactive,
    late on a course due yesterday, passed the quiz with a low score."""
    settings.TUTOR_FLAGS = {"inactive_days": 14, "failed_attempts": 3}
    tutor = make_user(username="karim", email="karim@example.org")
    courses, quizzes, fiches = [], [], []
    for title in ("Hameçonnage", "Tableur"):
        course = make_course(title=title)
        fiches.append([make_unit(course), make_unit(course)])
        quiz = make_quiz(course, pass_mark=70)
        make_question(quiz)
        courses.append(course)
        quizzes.append(quiz)
    cohort = make_cohort(name="Mardi", tutor=tutor, courses=courses)
    CohortCourse.objects.filter(cohort=cohort, course=courses[1]).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    names = ["Zoé", "abel", "Maya", "bruno", "Céline", "david", "Émile"]
    learners = []
    for i, name in enumerate(names):
        learner = make_learner(username=f"l{i}", display_name=name)
        membership_join(learner=learner, cohort=cohort)
        learners.append(learner)
    _, half, done, failing, inactive, late, low = learners
    unit_complete(learner=half, unit=fiches[0][0])
    for unit in fiches[0]:
        unit_complete(learner=done, unit=unit)
    take(done, quizzes[0], passing=True)
    award(done, courses[0])
    for _ in range(3):
        take(failing, quizzes[1], passing=False)
    unit_complete(learner=inactive, unit=fiches[1][0])
    Enrolment.objects.filter(learner=inactive).update(
        last_activity_at=timezone.now() - timedelta(days=30)
    )
    unit_complete(learner=late, unit=fiches[1][1])
    take(low, quizzes[0], passing=False)
    take(low, quizzes[0], passing=True)
    return cohort


def _row(row):
    return (
        row.learner.username,
        str(row.learner),
        row.flags,
        row.failing_quizzes,
        [(c.percent, c.started, c.completed, c.best_score, c.badge, c.late) for c in row.cells],
    )


SORTS = ["name", "-name", "activity", "-activity", "flags", "-flags"] + [
    f"{d}course-{i}" for d in ("", "-") for i in (0, 1)
]


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("flag", ["", *FLAGS])
def test_each_page_shows_what_the_whole_table_shows_there(cohort, sort, flag):
    whole = tutor_pages.cohort_table_page(cohort)
    expected = [r for r in sort_rows(whole, sort) if not flag or flag in r.flags]
    shown = []
    for number in (1, 2, 3):
        listing = tutor_pages.cohort_listing_page(
            cohort, sort=sort, flag=flag, page_number=number, page_size=3
        )
        if number <= listing.page.paginator.num_pages:
            shown += list(listing.page.object_list)
        assert dict((k, n) for k, _label, n in listing.flags) == whole.flag_counts()
        assert len(listing.table.rows) == len(whole.rows)
    assert [_row(r) for r in shown] == [_row(r) for r in expected]


def test_the_world_has_every_flag_and_a_badge(cohort):
    # The comparisons above would prove little on a world without them.
    whole = tutor_pages.cohort_table_page(cohort)
    assert all(whole.flag_counts()[flag] for flag in FLAGS)
    assert any(cell.badge for row in whole.rows for cell in row.cells)
    assert any(row.failing_quizzes for row in whole.rows)


def test_only_the_page_learners_have_cells(cohort):
    listing = tutor_pages.cohort_listing_page(
        cohort, sort="name", flag="", page_number=2, page_size=3
    )
    on_page = {r.learner.id for r in listing.page.object_list}
    assert len(on_page) == 3
    assert {r.learner.id for r in listing.table.rows if r.cells} == on_page


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 250])
@pytest.mark.parametrize("sep", ["", "comma"])
def test_the_streamed_csv_is_the_whole_table_whatever_the_chunk(
    client, cohort, monkeypatch, chunk, sep
):
    monkeypatch.setattr(tutor_pages, "CSV_CHUNK", chunk)
    client.force_login(cohort.tutors.get())
    response = client.get(reverse("tutor:export", args=[cohort.pk]), {"sep": sep} if sep else {})
    assert response.streaming
    streamed = b"".join(response.streaming_content).decode("utf-8")
    whole = io.StringIO()
    write_cohort_csv(whole, tutor_pages.cohort_table_page(cohort), comma=sep == "comma")
    assert streamed == whole.getvalue()
    lines = list(
        csv.reader(io.StringIO(streamed.removeprefix("\ufeff")), delimiter="," if sep else ";")
    )
    assert len(lines) == 1 + 7


def test_each_row_links_to_the_learner_page(client, cohort):
    client.force_login(cohort.tutors.get())
    page = client.get(reverse("tutor:cohort", args=[cohort.pk])).content.decode()
    for membership in cohort.memberships.all():
        url = reverse("tutor:learner", args=[cohort.pk, membership.learner_id])
        assert f'href="{url}"' in page
        assert client.get(url).status_code == 200
