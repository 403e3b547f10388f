"""The tutor's pages (the cohort page and its CSV, the dashboard, a
learner's page, the workshop's pages) take the same number of queries for
10 learners x 2 courses and for 1,000 learners x 20 courses."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import Unit
from learning_platform.models import Cohort, CohortMembership, Organisation
from progress.models import CohortCourse, Enrolment, UnitCompletion
from progress.tutor_pages import CSV_CHUNK
from quizzes.models import Attempt
from tests.factories import make_course, make_quiz, make_unit, make_user

pytestmark = pytest.mark.django_db


def build(learners: int, courses: int):
    tutor = make_user(username=f"tutor-{learners}")
    organisation = Organisation.objects.create(name=f"Org {learners}", kind="training")
    cohort = Cohort.objects.create(name=f"Cohort {learners}", organisation=organisation)
    cohort.tutors.add(tutor)
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"l{learners}-{i}", password="!", display_name=f"Élève {i}")
        for i in range(learners)
    )
    now = timezone.now()
    CohortMembership.objects.bulk_create(
        CohortMembership(cohort=cohort, learner=u, consented_at=now) for u in users
    )
    enrolments, completions, attempts = [], [], []
    for position in range(courses):
        course = make_course(competences=())
        fiche = make_unit(course)
        quiz = make_quiz(course)
        CohortCourse.objects.create(cohort=cohort, course=course, position=position)
        for i, user in enumerate(users):
            if i % 3 == 0:
                continue  # a third has not started
            enrolments.append(Enrolment(learner=user, course=course))
            completions.append(UnitCompletion(learner=user, unit=fiche))
            attempts.append(
                Attempt(
                    learner=user,
                    quiz=quiz,
                    drawn=[],
                    submitted_at=now,
                    score=40 + i % 60,
                    passed=i % 2 == 0,
                )
            )
    Enrolment.objects.bulk_create(enrolments, batch_size=2000)
    UnitCompletion.objects.bulk_create(completions, batch_size=2000)
    Attempt.objects.bulk_create(attempts, batch_size=2000)
    assert Unit.objects.filter(course__cohort_assignments__cohort=cohort).exists()
    return tutor, cohort


def measure(client, learners, courses):
    tutor, cohort = build(learners, courses)
    learner_id = cohort.memberships.order_by("pk").values_list("learner_id", flat=True)[1]
    client.force_login(tutor)
    counts = {}
    for name, url in {
        "cohort page": reverse("tutor:cohort", args=[cohort.pk]),
        "cohort page, sorted and filtered": reverse("tutor:cohort", args=[cohort.pk])
        + "?sort=-course-1&flag=not_started&page=2",
        "csv": reverse("tutor:export", args=[cohort.pk]),
        "tutor dashboard": reverse("tutor:dashboard"),
        "learner page": reverse("tutor:learner", args=[cohort.pk, learner_id]),
        "cohort settings": reverse("tutor:cohort_settings", args=[cohort.pk]),
        "invite sheet": reverse("tutor:invite_sheet", args=[cohort.pk]),
        "create accounts (form)": reverse("tutor:accounts_new", args=[cohort.pk]),
        "create a group (form)": reverse("tutor:cohort_new"),
    }.items():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
            if response.streaming:  # the CSV reads its cells as it streams
                b"".join(response.streaming_content)
        assert response.status_code == 200, url
        counts[name] = len(ctx.captured_queries)
    return counts


@pytest.fixture(autouse=True)
def _db_sessions(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


def test_cohort_queries_do_not_grow_with_learners_or_courses(client):
    small = measure(client, 10, 2)
    large = measure(client, 1000, 20)
    # The CSV streams in constant memory: it reads the cells CSV_CHUNK
    # learners at a time, four queries a chunk (cells and badges), on top of
    # its five (session, user, cohort, courses, every learner's flags). So it
    # grows with the learners by steps of CSV_CHUNK, never with the courses.
    assert CSV_CHUNK == 250
    assert (small.pop("csv"), large.pop("csv")) == (5 + 4 * 1, 5 + 4 * 4)
    assert small == large, (small, large)
    assert small == {
        # The first time, the form to assign a course lists every published
        # course (one query) and is kept per catalogue version (one query, on
        # every request): ~27,000 Python calls saved on the next ones.
        "cohort page": 13,
        "cohort page, sorted and filtered": 12,
        "tutor dashboard": 8,  # + the archived groups
        "learner page": 12,
        "cohort settings": 5,
        "invite sheet": 3,
        "create accounts (form)": 3,
        "create a group (form)": 5,
    }
