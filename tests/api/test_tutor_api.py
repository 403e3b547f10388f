"""Tutor endpoints: a tutor reaches only their cohorts, and in them only the
learners who consented; the table is the cohort page's."""

import pytest
from django.urls import reverse
from django.utils import timezone

from badges.models import Assertion
from badges.services import badge_class_ensure
from learning_platform.cohorts import membership_join, tutor_invite
from learning_platform.models import Cohort, Organisation
from progress.models import CohortCourse
from progress.services import cohort_course_assign, unit_complete
from tests.factories import make_course, make_learner, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    tutor = make_user(username="tutor")
    course = make_course(title="Tableur")
    fiche = make_unit(course)
    make_unit(course)
    cohort = Cohort.objects.create(
        name="Lundi", organisation=Organisation.objects.create(name="EPN", kind="public_space")
    )
    cohort.tutors.add(tutor)
    cohort_course_assign(cohort=cohort, course=course)
    learner = make_learner(username="awa")
    membership_join(learner=learner, cohort=cohort)
    unit_complete(learner=learner, unit=fiche)
    tutor_invite(tutor=tutor, cohort=cohort, username=make_learner(username="pending").username)
    return tutor, cohort, learner


def test_tutor_lists_their_cohorts_and_reads_the_table(client, setup):
    tutor, cohort, learner = setup
    client.force_login(tutor)
    [summary] = client.get(reverse("api:tutor-cohort-list")).json()
    assert (summary["id"], summary["learners"], summary["pending"]) == (cohort.id, 1, 1)
    data = client.get(reverse("api:tutor-cohort-progress", args=[cohort.id])).json()
    assert [c["title"] for c in data["courses"]] == ["Tableur"]
    assert [r["username"] for r in data["results"]] == ["awa"]  # not the pending invitee
    assert data["results"][0]["cells"][0]["percent"] == 50


def test_others_reach_no_cohort(client, setup):
    tutor, cohort, learner = setup
    url = reverse("api:tutor-cohort-progress", args=[cohort.id])
    assert client.get(url).status_code == 401
    for user in (
        learner,
        make_user(username="other-tutor"),
        make_user(username="s", is_staff=True),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.get(reverse("api:tutor-cohort-list")).json() == []


def test_badges_in_the_table_and_the_summary_are_the_cohorts_own(client, setup):
    tutor, cohort, learner = setup
    course = CohortCourse.objects.get(cohort=cohort).course
    outsider = make_learner(username="outsider")
    for someone in (learner, outsider):
        Assertion.objects.create(
            badge_class=badge_class_ensure(course),
            learner=someone,
            issued_on=timezone.now(),
            salt="s",
            evidence="e",
        )
    client.force_login(tutor)
    [summary] = client.get(reverse("api:tutor-cohort-list")).json()
    assert summary["badges"] == 1
    data = client.get(reverse("api:tutor-cohort-progress", args=[cohort.id])).json()
    assert [r["cells"][0]["badge"] for r in data["results"]] == [True]
