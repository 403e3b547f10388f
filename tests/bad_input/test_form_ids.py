"""Ids in query strings, form fields and API payloads: read by
learning_platform.inputs, refused with a French message (or ignored, for a
display option), and nothing changes."""

import json
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses.models import Course
from learning_platform.inputs import ID_MAX, IdChoiceField, page_number, parse_id, parse_int
from learning_platform.models import Cohort
from progress.models import CohortCourse
from quizzes.models import AttemptAnswer
from tests.bad_input.helpers import BAD_IDS
from tests.factories import make_course

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        (" 12 ", 12),
        (12, 12),
        (str(ID_MAX), ID_MAX),
        (str(ID_MAX + 1), None),
        ("0", None),
        ("-1", None),
        ("+1", None),
        ("1.0", None),
        ("1e3", None),
        (1.0, None),
        (True, None),
        (None, None),
        ("", None),
        ("²", None),
        ("٣", None),
        ("１", None),  # fullwidth one
        ("9" * 5000, None),
        ("1\n", 1),
        ("1\x00", None),
    ],
)
def test_parse_id_takes_ascii_digits_in_the_column_range_only(value, expected):
    assert parse_id(value) == expected


def test_parse_int_holds_each_edge_of_the_range():
    assert parse_int("0") == 0
    assert parse_int("5", maximum=5) == 5 and parse_int("6", maximum=5) is None
    assert parse_int("2", minimum=3) is None and parse_int("3", minimum=3) == 3


@pytest.mark.parametrize("bad", BAD_IDS)
def test_page_number_falls_back_to_the_first_page(bad):
    assert page_number(bad) == 1
    assert page_number("3") == 3


def _form_submit(client, attempt, data: dict):
    """As a browser posts the quiz form (Django's multipart parser stops a
    5,000-character field name with a 400 before the view)."""
    return client.post(
        reverse("quizzes:submit", args=[attempt.pk]),
        urlencode(data),
        content_type="application/x-www-form-urlencoded",
    )


def _attempt_state(attempt):
    attempt.refresh_from_db()
    return attempt.submitted_at, AttemptAnswer.objects.filter(attempt=attempt).count()


@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_bad_choice_id_in_the_quiz_form_is_refused_and_changes_nothing(client, world, bad):
    client.force_login(world.learner)
    question_id = world.attempt.drawn[0]["question"]
    response = _form_submit(client, world.attempt, {f"q-{question_id}": bad})
    assert response.status_code == 422
    assert "Ce choix ne fait pas partie de cette question." in response.content.decode()
    assert _attempt_state(world.attempt) == (None, 0)


@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_bad_question_id_as_a_quiz_form_key_is_refused_and_changes_nothing(client, world, bad):
    client.force_login(world.learner)
    response = _form_submit(client, world.attempt, {f"q-{bad}": "1"})
    assert response.status_code == 422
    assert "une question qui ne fait pas partie de cette tentative" in response.content.decode()
    assert _attempt_state(world.attempt) == (None, 0)


def _api_submit(client, attempt, body: str):
    return client.post(
        reverse("api:attempt-submit", args=[attempt.pk]), body, content_type="application/json"
    )


@pytest.mark.parametrize("bad", [*BAD_IDS, 2**63, -1, 0, 1.5, True, None, [1]])
@pytest.mark.parametrize("where", ["question", "choice"])
def test_a_bad_id_in_the_api_submission_is_a_400_and_changes_nothing(client, world, bad, where):
    client.force_login(world.learner)
    question_id = world.attempt.drawn[0]["question"]
    answer = (
        {"question": bad} if where == "question" else {"question": question_id, "choices": [bad]}
    )
    response = _api_submit(client, world.attempt, json.dumps({"answers": [answer]}))
    assert response.status_code == 400
    body = response.json()
    assert body["message"] and body["errors"]
    assert _attempt_state(world.attempt) == (None, 0)


def test_an_integer_too_long_to_read_in_the_api_payload_is_a_400(client, world):
    client.force_login(world.learner)
    body = '{"answers": [{"question": ' + "9" * 5000 + "}]}"
    response = _api_submit(client, world.attempt, body)
    assert response.status_code == 400
    assert _attempt_state(world.attempt) == (None, 0)


def test_an_arabic_indic_digit_is_not_read_as_an_id_in_the_api(client, world):
    """DRF's IntegerField would read "٣" as 3."""
    client.force_login(world.learner)
    response = _api_submit(client, world.attempt, json.dumps({"answers": [{"question": "٣"}]}))
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "answers.0.question": ["Donnez un identifiant : un nombre entier à partir de 1."]
    }


@pytest.mark.parametrize("bad", [*(b for b in BAD_IDS if b != "0"), "course-", "course-01x"])
def test_a_bad_course_column_in_the_tutor_sort_sorts_by_name(client, world, bad):
    client.force_login(world.tutor)
    sort = bad if bad.startswith("course-") else f"course-{bad}"
    for value in (sort, "-" + sort):
        response = client.get(
            reverse("tutor:cohort", args=[world.cohort.pk]), {"sort": value, "page": bad}
        )
        assert response.status_code == 200
        assert response.context["sort"] == "name"


def test_the_tutor_sort_takes_the_last_course_column_and_not_one_past_it(client, world):
    client.force_login(world.tutor)
    url = reverse("tutor:cohort", args=[world.cohort.pk])
    assert client.get(url, {"sort": "course-0"}).context["sort"] == "course-0"
    assert client.get(url, {"sort": "course-1"}).context["sort"] == "name"


@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_bad_course_id_in_the_assign_form_is_refused_and_assigns_nothing(client, world, bad):
    make_course(title="Tableur")  # another published course, id 2 or more
    client.force_login(world.tutor)
    before = list(CohortCourse.objects.values_list("cohort_id", "course_id", "due_date"))
    response = client.post(
        reverse("tutor:course_assign", args=[world.cohort.pk]), {"course": bad}, follow=True
    )
    assert response.status_code == 200
    assert "Choisissez un parcours publié et une date valide." in response.content.decode()
    assert list(CohortCourse.objects.values_list("cohort_id", "course_id", "due_date")) == before


@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_bad_organisation_id_in_the_new_group_form_creates_nothing(client, world, bad):
    client.force_login(world.tutor)
    before = Cohort.objects.count()
    response = client.post(reverse("tutor:cohort_new"), {"name": "Jeudi", "organisation": bad})
    assert response.status_code == 422
    assert (
        "Choisissez une des options proposées : celle-ci n’en fait pas partie."
        in response.content.decode()
    )
    assert Cohort.objects.count() == before


@pytest.mark.parametrize("bad", BAD_IDS)
def test_bad_page_numbers_in_the_api_are_a_404_or_the_default_size(client, world, bad):
    client.force_login(world.learner)
    url = reverse("api:enrolment-list")
    assert client.get(url, {"page": bad}).status_code == 404
    response = client.get(url, {"page_size": bad})
    assert response.status_code == 200


@pytest.mark.parametrize("bad", BAD_IDS)
def test_bad_page_numbers_in_the_catalogue_show_a_page(client, world, bad):
    assert client.get(reverse("courses:catalogue"), {"page": bad}).status_code == 200


def test_the_id_choice_field_takes_an_id_or_an_object_of_its_queryset(world):
    field = IdChoiceField(queryset=Course.objects.all())
    assert field.clean(str(world.course.pk)) == world.course
    assert field.clean(world.course) == world.course
    for bad in BAD_IDS:
        with pytest.raises(ValidationError):
            field.clean(bad)
