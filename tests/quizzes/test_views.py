"""Quiz pages: who may call them, the secrecy of the answer key, bad input."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from courses.models import Course
from quizzes.models import Attempt, AttemptAnswer, Question
from quizzes.services import attempt_start
from tests.factories import (
    make_course,
    make_mixed_quiz,
    make_question,
    make_quiz,
    right_answers,
)


@pytest.fixture
def quiz(db):
    return make_mixed_quiz(make_course(), attempts_allowed=2)


def _submit(client, attempt, answers, **extra):
    return client.post(
        reverse("quizzes:submit", args=[attempt.id]),
        {f"q-{k}": v for k, v in answers.items()},
        **extra,
    )


def _state(attempt):
    attempt.refresh_from_db()
    return (
        attempt.submitted_at,
        attempt.score,
        AttemptAnswer.objects.filter(attempt=attempt).count(),
    )


def test_unsubmitted_quiz_page_carries_no_answer_key(learner_client, learner, quiz):
    attempt = attempt_start(learner=learner, quiz=quiz)
    page = learner_client.get(quiz.unit.get_absolute_url()).content.decode()
    assert f'action="{reverse("quizzes:submit", args=[attempt.id])}"' in page
    for secret in ("SECRET-", "424242", "is_correct", "correct", "data-correct"):
        assert secret not in page
    htmx_page = learner_client.get(
        quiz.unit.get_absolute_url(), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "SECRET-" not in htmx_page


def test_result_shows_answers_feedback_and_explanations_after_submission(
    learner_client, learner, quiz
):
    attempt = attempt_start(learner=learner, quiz=quiz)
    response = _submit(learner_client, attempt, right_answers(attempt))
    page = learner_client.get(response.url).content.decode()
    assert "SECRET-EXPLANATION" in page and "SECRET-ACCEPTED" in page and "424242" in page


def test_anonymous_gets_the_login_page_for_every_quiz_view(client, learner, quiz):
    attempt = attempt_start(learner=learner, quiz=quiz)
    for method, url in [
        ("post", reverse("quizzes:start", args=[quiz.unit_id])),
        ("post", reverse("quizzes:submit", args=[attempt.id])),
        ("get", reverse("quizzes:attempt", args=[attempt.id])),
        ("get", quiz.unit.get_absolute_url()),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert _state(attempt)[0] is None
    assert Attempt.objects.count() == 1


def test_another_learner_gets_404_on_someone_elses_attempt(client, learner, other_learner, quiz):
    attempt = attempt_start(learner=learner, quiz=quiz)
    client.force_login(other_learner)
    assert client.get(reverse("quizzes:attempt", args=[attempt.id])).status_code == 404
    assert _submit(client, attempt, right_answers(attempt)).status_code == 404
    assert _state(attempt) == (None, None, 0)


def test_staff_cannot_submit_a_learners_attempt_either(client, learner, staff, quiz):
    attempt = attempt_start(learner=learner, quiz=quiz)
    client.force_login(staff)
    assert _submit(client, attempt, right_answers(attempt)).status_code == 404
    assert client.get(reverse("quizzes:attempt", args=[attempt.id])).status_code == 404


def test_wrong_methods_get_405(learner_client, learner, quiz):
    attempt = attempt_start(learner=learner, quiz=quiz)
    assert learner_client.get(reverse("quizzes:start", args=[quiz.unit_id])).status_code == 405
    assert learner_client.get(reverse("quizzes:submit", args=[attempt.id])).status_code == 405
    assert learner_client.post(reverse("quizzes:attempt", args=[attempt.id])).status_code == 405
    # Nothing was started or submitted.
    assert list(Attempt.objects.filter(learner=learner).values_list("pk", "submitted_at")) == [
        (attempt.pk, None)
    ]


@pytest.mark.parametrize(
    "make_bad,message",
    [
        pytest.param(
            lambda a, q: {"999999": ["1"]},
            "ne fait pas partie de cette tentative",
            id="unknown-question-id",
        ),
        pytest.param(
            lambda a, q: {"abc": ["1"]},
            "ne fait pas partie de cette tentative",
            id="non-numeric-question-id",
        ),
        pytest.param(
            lambda a, q: {str(_question(a, Question.Kind.SINGLE).id): [str(_other_choice(a, q))]},
            "Ce choix ne fait pas partie de cette question.",
            id="choice-of-another-question",
        ),
        pytest.param(
            lambda a, q: {str(_question(a, Question.Kind.SINGLE).id): ["not-a-number"]},
            "Ce choix ne fait pas partie de cette question.",
            id="choice-not-an-id",
        ),
        pytest.param(
            lambda a, q: {
                str(_question(a, Question.Kind.SINGLE).id): [
                    str(c.id) for c in _question(a, Question.Kind.SINGLE).choices.all()
                ]
            },
            "Choisissez une seule réponse.",
            id="two-choices-on-single",
        ),
        pytest.param(
            lambda a, q: {str(_question(a, Question.Kind.NUMERIC).id): ["douze"]},
            "Saisissez un nombre, par exemple 12 ou 3,5.",
            id="non-number-in-numeric",
        ),
        pytest.param(
            lambda a, q: {str(_question(a, Question.Kind.NUMERIC).id): ["NaN"]},
            "Saisissez un nombre, par exemple 12 ou 3,5.",
            id="nan-in-numeric",
        ),
        pytest.param(
            lambda a, q: {str(_question(a, Question.Kind.NUMERIC).id): ["1e999999999"]},
            "Saisissez un nombre, par exemple 12 ou 3,5.",
            id="huge-exponent",
        ),
        pytest.param(
            lambda a, q: {str(_question(a, Question.Kind.SHORT_TEXT).id): ["x" * 5000]},
            "Votre réponse doit faire moins de 200 caractères.",
            id="too-long-text",
        ),
    ],
)
def test_bad_answers_get_a_clear_message_and_change_nothing(
    learner_client, learner, quiz, make_bad, message
):
    attempt = attempt_start(learner=learner, quiz=quiz)
    response = _submit(learner_client, attempt, make_bad(attempt, quiz))
    assert response.status_code == 422
    body = response.content.decode()
    assert "Certaines réponses n&#x27;ont pas pu être lues." in body  # the form's message
    assert message in body  # what is wrong, in French: by the question, or for the form
    assert "SECRET-" not in body
    assert _state(attempt) == (None, None, 0)


def _question(attempt, kind):
    return Question.objects.get(id__in=attempt.question_ids, kind=kind)


def _other_choice(attempt, quiz):
    other = make_question(make_quiz(quiz.unit.course))
    return other.choices.first().id


def test_second_submission_is_refused_and_changes_nothing(learner_client, learner, quiz):
    attempt = attempt_start(learner=learner, quiz=quiz)
    _submit(learner_client, attempt, right_answers(attempt))
    first = _state(attempt)
    response = _submit(learner_client, attempt, {})
    assert response.status_code == 302
    assert _state(attempt) == first
    htmx = _submit(learner_client, attempt, {}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 409 and "<html" not in htmx.content.decode()
    assert _state(attempt) == first


def test_no_attempt_is_opened_once_all_are_used(learner_client, learner, quiz):
    for _ in range(2):
        attempt = attempt_start(learner=learner, quiz=quiz)
        _submit(learner_client, attempt, {})
    response = learner_client.post(reverse("quizzes:start", args=[quiz.unit_id]), follow=True)
    assert "toutes les tentatives" in response.content.decode()
    assert Attempt.objects.filter(learner=learner).count() == 2


def test_quiz_of_an_unpublished_course_is_404(learner_client, learner, quiz):
    attempt = attempt_start(learner=learner, quiz=quiz)
    Course.objects.filter(pk=quiz.unit.course_id).update(status=Course.Status.DRAFT)
    assert learner_client.post(reverse("quizzes:start", args=[quiz.unit_id])).status_code == 404
    assert _submit(learner_client, attempt, right_answers(attempt)).status_code == 404
    assert _state(attempt) == (None, None, 0)


def test_htmx_submit_returns_the_result_fragment(learner_client, learner, quiz):
    attempt = attempt_start(learner=learner, quiz=quiz)
    response = _submit(learner_client, attempt, right_answers(attempt), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert (
        response.status_code == 200 and "<html" not in body and f'id="attempt-{attempt.id}"' in body
    )


# Needs a real database server: SQLite serialises writers (runs on PostgreSQL
# in .ci/run). serialized_rollback like every transactional test: see
# tests/conftest.py.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_submission_sent_twice_at_once_is_counted_once(learner, quiz):
    from django.test import Client

    attempt = attempt_start(learner=learner, quiz=quiz)
    answers = {f"q-{k}": v for k, v in right_answers(attempt).items()}
    statuses = []
    barrier = threading.Barrier(2, timeout=30)

    def send():
        try:
            client = Client()
            client.force_login(learner)
            barrier.wait()
            statuses.append(
                client.post(reverse("quizzes:submit", args=[attempt.id]), answers).status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(statuses) == [302, 302]
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 5
    assert Attempt.objects.filter(learner=learner, submitted_at__isnull=False).count() == 1
