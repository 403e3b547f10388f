"""A tutor reaches, through their own cohort's URLs, only what belongs to
that cohort: another cohort's learner, assignment or quiz is a 404 and
nothing changes. Each refusal has a twin that works on the tutor's own
object, so the 404 is the rule's and not a broken URL's."""

import pytest
from django.urls import reverse

from learning_platform.models import CohortMembership
from progress.models import CohortCourse

pytestmark = pytest.mark.django_db


@pytest.fixture
def tutor_client(client, world):
    client.force_login(world.tutor)
    return client


def _state():
    """Everything a tutor's POST could change."""
    return (
        sorted(CohortMembership.objects.values_list("cohort_id", "learner_id", "consented_at")),
        sorted(CohortCourse.objects.values_list("cohort_id", "course_id", "due_date")),
    )


def test_another_cohorts_pages_are_404(tutor_client, world):
    other = world.other_cohort.pk
    for name in ("tutor:cohort", "tutor:export"):
        assert tutor_client.get(reverse(name, args=[other])).status_code == 404, name
    before = _state()
    for name, data in (
        ("tutor:learner_add", {"username": "omar"}),
        ("tutor:course_assign", {"course": world.other_course.pk}),
    ):
        assert tutor_client.post(reverse(name, args=[other]), data).status_code == 404, name
    assert _state() == before


def test_own_cohort_page_and_export_hold_only_its_consented_members(tutor_client, world):
    page = tutor_client.get(reverse("tutor:cohort", args=[world.cohort.pk]))
    export = tutor_client.get(reverse("tutor:export", args=[world.cohort.pk]))
    assert page.status_code == export.status_code == 200
    body = page.content.decode()
    csv = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "Zoé Éluard" in body and "Zoé Éluard" in csv
    assert "Paul Ailleurs" not in body + csv and "Omar Dehors" not in body + csv
    assert "Inès Invitée" not in csv  # listed on the page only as an invitation waiting


def test_learner_page_of_someone_not_consented_in_my_cohort_is_404(tutor_client, world):
    mine = world.cohort.pk
    for learner in (world.other_member, world.invitee, world.outsider):
        url = reverse("tutor:learner", args=[mine, learner.pk])
        assert tutor_client.get(url).status_code == 404, learner
    url = reverse("tutor:learner", args=[mine, world.member.pk])
    assert tutor_client.get(url).status_code == 200


def test_removing_another_cohorts_learner_through_mine_is_404_and_keeps_them(tutor_client, world):
    url = reverse("tutor:learner_remove", args=[world.cohort.pk, world.other_member.pk])
    before = _state()
    assert tutor_client.post(url).status_code == 404
    assert _state() == before
    assert CohortMembership.objects.filter(
        cohort=world.other_cohort, learner=world.other_member
    ).exists()
    url = reverse("tutor:learner_remove", args=[world.cohort.pk, world.member.pk])
    assert tutor_client.post(url).status_code == 302
    assert not CohortMembership.objects.filter(cohort=world.cohort, learner=world.member).exists()


def test_unassigning_another_cohorts_course_through_mine_is_404_and_keeps_it(tutor_client, world):
    same_course = CohortCourse.objects.get(cohort=world.other_cohort, course=world.course)
    before = _state()
    for assignment in (world.other_assignment, same_course):
        url = reverse("tutor:course_unassign", args=[world.cohort.pk, assignment.pk])
        assert tutor_client.post(url).status_code == 404
        assert CohortCourse.objects.filter(pk=assignment.pk).exists()
    assert _state() == before
    url = reverse("tutor:course_unassign", args=[world.cohort.pk, world.assignment.pk])
    assert tutor_client.post(url).status_code == 302
    assert not CohortCourse.objects.filter(pk=world.assignment.pk).exists()
    assert CohortCourse.objects.filter(pk=same_course.pk).exists()


def test_assigning_changes_only_my_cohort(tutor_client, world):
    url = reverse("tutor:course_assign", args=[world.cohort.pk])
    assert tutor_client.post(url, {"course": world.other_course.pk}).status_code == 302
    assert CohortCourse.objects.filter(cohort=world.cohort, course=world.other_course).exists()
    assert CohortCourse.objects.filter(course=world.other_course).count() == 2


def test_analytics_of_a_quiz_not_assigned_to_my_cohort_is_404(tutor_client, world):
    url = reverse("tutor:cohort_quiz", args=[world.cohort.pk, world.other_quiz.pk])
    assert tutor_client.get(url).status_code == 404
    url = reverse("tutor:cohort_quiz", args=[world.cohort.pk, world.quiz.pk])
    assert tutor_client.get(url).status_code == 200


def test_api_progress_of_another_cohort_is_404_and_mine_lists_my_members(tutor_client, world):
    url = reverse("api:tutor-cohort-progress", args=[world.other_cohort.pk])
    assert tutor_client.get(url).status_code == 404
    data = tutor_client.get(reverse("api:tutor-cohort-progress", args=[world.cohort.pk])).json()
    assert [r["username"] for r in data["results"]] == ["zoe"]
    [summary] = tutor_client.get(reverse("api:tutor-cohort-list")).json()
    assert (summary["id"], summary["learners"], summary["pending"]) == (world.cohort.pk, 1, 1)
