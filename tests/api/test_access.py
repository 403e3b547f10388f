"""Who may call each API endpoint, with what credentials; wrong methods,
unknown paths, rate limits; and the one error format for all of them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from badges.services import award_all
from courses.models import Course
from learning_platform.models import ApiToken
from learning_platform.services import api_token_create, api_token_revoke
from progress.models import Enrolment
from progress.services import enrolment_ensure, unit_complete
from quizzes.models import Attempt, AttemptAnswer
from quizzes.services import attempt_start
from tests.api.conftest import token_client
from tests.factories import make_course, make_question, make_quiz, make_unit, right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    course = make_course(slug="mots-de-passe")
    make_unit(course, slug="fiche")
    quiz = make_quiz(course)
    make_question(quiz)
    return course


@pytest.fixture
def quiz(course):
    return course.units.get(kind="quiz").quiz


def _error(response) -> dict:
    body = response.json()
    assert set(body) == {"message", "errors"}, body
    assert isinstance(body["message"], str) and body["message"]
    return body


def _protected(course, quiz, attempt, token):
    return [
        ("get", reverse("api:unit-detail", args=[course.slug, "fiche"])),
        ("post", reverse("api:attempt-start", args=[quiz.unit_id])),
        ("get", reverse("api:attempt-detail", args=[attempt.id])),
        ("post", reverse("api:attempt-submit", args=[attempt.id])),
        ("get", reverse("api:enrolment-list")),
        ("get", reverse("api:badge-list")),
        ("get", reverse("api:token-list")),
        ("delete", reverse("api:token-detail", args=[token.id])),
    ]


def test_anonymous_gets_401_with_www_authenticate_on_every_protected_endpoint(
    anon, learner, course, quiz
):
    attempt = attempt_start(learner=learner, quiz=quiz)
    token, _ = api_token_create(user=learner, name="phone")
    for method, url in _protected(course, quiz, attempt, token):
        response = getattr(anon, method)(url, {}, format="json")
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
        assert _error(response)["errors"] == {}
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert Attempt.objects.count() == 1 and not Enrolment.objects.exists()
    assert ApiToken.objects.active().count() == 1


def test_anonymous_reads_the_catalogue_and_published_courses_only(anon, course, staff):
    draft = make_course(slug="brouillon", status=Course.Status.DRAFT)
    assert anon.get(reverse("api:root")).status_code == 200
    assert anon.get(reverse("api:competence-area-list")).status_code == 200
    listed = anon.get(reverse("api:course-list")).json()
    assert [c["slug"] for c in listed["results"]] == ["mots-de-passe"]
    assert listed["results"][0]["progress"] is None
    assert anon.get(reverse("api:course-detail", args=[course.slug])).status_code == 200
    assert anon.get(reverse("api:course-detail", args=[draft.slug])).status_code == 404


def test_a_draft_is_visible_to_its_authors_and_staff_only(learner, other_learner, staff):
    draft = make_course(slug="brouillon", status=Course.Status.DRAFT)
    make_unit(draft, slug="fiche")
    draft.authors.add(learner)
    url = reverse("api:course-detail", args=[draft.slug])
    unit_url = reverse("api:unit-detail", args=[draft.slug, "fiche"])
    for user, status in [(learner, 200), (staff, 200), (other_learner, 404)]:
        client = token_client(user)
        assert client.get(url).status_code == status
        assert client.get(unit_url).status_code == status
    # Previewing a draft records nothing, as on the unit page.
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize(
    "header",
    [
        "Bearer lp_not-a-real-token",
        "Token lp_not-a-real-token",
        "Bearer",
        "Bearer two words",
        "Bearer not-even-the-prefix",
    ],
)
def test_a_bad_token_gets_401_even_on_public_endpoints(header, course):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    for url in [reverse("api:course-list"), reverse("api:enrolment-list")]:
        response = client.get(url)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
        _error(response)


def test_a_revoked_token_gets_401_at_once(learner):
    token, key = api_token_create(user=learner, name="phone")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get(reverse("api:enrolment-list")).status_code == 200
    api_token_revoke(token=token)
    assert client.get(reverse("api:enrolment-list")).status_code == 401
    assert client.get(reverse("api:course-list")).status_code == 401


def test_the_token_keyword_works_as_well_as_bearer(learner):
    _, key = api_token_create(user=learner, name="script")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(reverse("api:enrolment-list")).status_code == 200


def test_the_token_of_a_deactivated_account_gets_401(learner):
    _, key = api_token_create(user=learner, name="phone")
    learner.is_active = False
    learner.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get(reverse("api:enrolment-list")).status_code == 401


def test_last_used_is_written_at_most_once_a_minute(learner, django_assert_num_queries):
    token, key = api_token_create(user=learner, name="phone")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    client.get(reverse("api:token-list"))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get(reverse("api:token-list"))
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get(reverse("api:token-list"))
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(seconds=1)
    assert token.last_used_at <= timezone.now()


def test_another_learners_attempt_is_a_404_and_stays_untouched(
    learner, other_api, course, quiz, staff
):
    attempt = attempt_start(learner=learner, quiz=quiz)
    answers = [
        {"question": int(q), "choices": [int(c) for c in v]}
        for q, v in right_answers(attempt).items()
    ]
    for client in (other_api, token_client(staff)):
        assert client.get(reverse("api:attempt-detail", args=[attempt.id])).status_code == 404
        response = client.post(
            reverse("api:attempt-submit", args=[attempt.id]), {"answers": answers}, format="json"
        )
        assert response.status_code == 404
        _error(response)
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and not AttemptAnswer.objects.exists()


def test_enrolments_list_only_the_learners_own(learner, other_learner, learner_api, course):
    mine = make_course(slug="mine")
    theirs = make_course(slug="theirs")
    enrolment_ensure(learner=learner, course=mine)
    enrolment_ensure(learner=other_learner, course=theirs)
    enrolment_ensure(learner=other_learner, course=course)
    body = learner_api.get(reverse("api:enrolment-list")).json()
    assert body["count"] == 1
    assert [e["course"]["slug"] for e in body["results"]] == ["mine"]


def test_badges_list_only_the_learners_own(learner, other_learner, learner_api):
    for who, slug in [(learner, "mine"), (other_learner, "theirs")]:
        course = make_course(slug=slug)
        unit = make_unit(course)
        unit_complete(learner=who, unit=unit)
    assert award_all() == 2
    body = learner_api.get(reverse("api:badge-list")).json()
    assert [b["course"]["slug"] for b in body["results"]] == ["mine"]


def test_tokens_list_and_revoke_only_the_users_own(learner, other_learner, learner_api):
    theirs, their_key = api_token_create(user=other_learner, name="theirs")
    body = learner_api.get(reverse("api:token-list")).json()
    assert [t["name"] for t in body["results"]] == ["tests"]
    assert "key_hash" not in body["results"][0]
    response = learner_api.delete(reverse("api:token-detail", args=[theirs.id]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_a_user_revokes_their_own_token_through_the_api(learner):
    token, key = api_token_create(user=learner, name="phone")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = client.delete(reverse("api:token-detail", args=[token.id]))
    assert response.status_code == 204
    assert client.get(reverse("api:token-list")).status_code == 401


@pytest.mark.parametrize(
    "method,name,args",
    [
        ("post", "api:course-list", []),
        ("delete", "api:course-detail", ["mots-de-passe"]),
        ("post", "api:unit-detail", ["mots-de-passe", "fiche"]),
        ("get", "api:attempt-start", ["UNIT"]),
        ("delete", "api:attempt-detail", ["ATTEMPT"]),
        ("get", "api:attempt-submit", ["ATTEMPT"]),
        ("put", "api:enrolment-list", []),
        ("post", "api:badge-list", []),
        ("post", "api:token-list", []),
        ("get", "api:token-detail", ["TOKEN"]),
    ],
)
def test_wrong_methods_get_405(learner, learner_api, quiz, method, name, args):
    attempt = attempt_start(learner=learner, quiz=quiz)
    token = ApiToken.objects.get(user=learner)
    ids = {"UNIT": quiz.unit_id, "ATTEMPT": attempt.id, "TOKEN": token.id}
    url = reverse(name, args=[ids.get(a, a) for a in args])
    response = getattr(learner_api, method)(url)
    assert response.status_code == 405
    assert "Allow" in response
    _error(response)


def test_unknown_api_paths_get_a_json_404(anon, learner_api):
    for client in (anon, learner_api):
        for url in ["/api/v1/nothing-here/", "/api/v1/courses", "/api/v2/", "/api/v1/attempts/x/"]:
            response = client.get(url)
            assert response.status_code == 404
            assert response["Content-Type"] == "application/json"
            _error(response)


def test_bad_input_gets_400_415_in_the_error_format(learner, learner_api, quiz):
    attempt = attempt_start(learner=learner, quiz=quiz)
    url = reverse("api:attempt-submit", args=[attempt.id])
    response = learner_api.post(url, {"answers": [{"question": "x"}]}, format="json")
    assert response.status_code == 400
    assert list(_error(response)["errors"]) == ["answers.0.question"]
    response = learner_api.post(url, "{not json", content_type="application/json")
    assert response.status_code == 400
    _error(response)
    response = learner_api.post(url, "answers=1", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    _error(response)
    bad_filter = learner_api.get(reverse("api:course-list"), {"level": "expert"})
    assert bad_filter.status_code == 400 and list(_error(bad_filter)["errors"]) == ["level"]
    bad_page = learner_api.get(reverse("api:course-list"), {"page": 99})
    assert bad_page.status_code == 404
    _error(bad_page)
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_errors_speak_the_clients_language(anon):
    french = anon.get(reverse("api:enrolment-list"), HTTP_ACCEPT_LANGUAGE="fr")
    english = anon.get(reverse("api:enrolment-list"), HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["message"] == "Authentication credentials were not provided."
    assert french.json()["message"] != english.json()["message"]


def test_a_session_client_needs_the_csrf_token_to_write(learner, quiz):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.get(reverse("api:enrolment-list")).status_code == 200
    response = client.post(reverse("api:attempt-start", args=[quiz.unit_id]))
    assert response.status_code == 403
    _error(response)
    assert not Attempt.objects.exists()


def _rates(settings, **rates):
    base = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**base, **rates},
    }


def test_anonymous_clients_are_throttled_with_429(settings, anon):
    _rates(settings, anon="3/minute")
    url = reverse("api:course-list")
    assert [anon.get(url).status_code for _ in range(3)] == [200, 200, 200]
    response = anon.get(url)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    _error(response)


def test_authenticated_clients_are_throttled_per_user(settings, learner, other_learner):
    _rates(settings, user="2/minute")
    url = reverse("api:enrolment-list")
    first, second = token_client(learner), token_client(learner, name="other device")
    assert first.get(url).status_code == 200
    assert second.get(url).status_code == 200
    assert first.get(url).status_code == 429  # both of the learner's tokens count
    assert token_client(other_learner).get(url).status_code == 200


def test_starting_and_submitting_quizzes_have_their_own_limit(settings, learner_api, quiz):
    _rates(settings, quiz="1/minute")
    url = reverse("api:attempt-start", args=[quiz.unit_id])
    assert learner_api.post(url).status_code == 201
    assert learner_api.post(url).status_code == 429
    assert Attempt.objects.filter(quiz=quiz).count() == 1  # the refused start opened nothing
    assert learner_api.get(reverse("api:enrolment-list")).status_code == 200
