"""Quiz attempts through the API: the same rules and the same secrecy of
the answer key as the pages, and the same result for the same answers."""

import dataclasses
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from courses.models import Course
from progress.models import Enrolment
from quizzes.models import Attempt, AttemptAnswer, Quiz
from quizzes.services import attempt_start
from tests.api.conftest import token_client
from tests.factories import make_course, make_mixed_quiz, make_question, make_quiz, make_unit

pytestmark = pytest.mark.django_db

# "feedback" alone is the quiz's setting (when feedback is shown), not a secret.
SECRETS = ("SECRET-", "424242", "correct", "explanation", "feedback_html", "accepted")


def _quiz(**fields) -> Quiz:
    course = make_course()
    make_unit(course)
    return make_mixed_quiz(course, tolerance=1, **fields)


@pytest.fixture
def quiz():
    return _quiz(attempts_allowed=3)


def _start(client, quiz):
    return client.post(reverse("api:attempt-start", args=[quiz.unit_id]))


def _some_answers(attempt_json) -> list[dict]:
    """Some right, some wrong, in every kind (3 points out of 5: not passed):
    A and C on the multiple question, the first choice elsewhere, a number
    out of tolerance, the accepted text in other case and spacing."""
    answers = []
    for question in attempt_json["questions"]:
        if question["kind"] == "multiple":
            ids = {c["text"]: c["id"] for c in question["choices"]}
            answers.append({"question": question["id"], "choices": [ids["A"], ids["C"]]})
        elif question["choices"]:
            answers.append({"question": question["id"], "choices": [question["choices"][0]["id"]]})
        elif question["kind"] == "numeric":
            answers.append({"question": question["id"], "text": "424 245,5"})
        else:
            answers.append({"question": question["id"], "text": "  secret-accepted "})
    return answers


def _as_json(rows) -> list[dict]:
    def default(value):
        if isinstance(value, Decimal):
            return float(value)
        raise TypeError(value)

    return json.loads(json.dumps([dataclasses.asdict(r) for r in rows], default=default))


def test_an_open_attempt_carries_questions_and_choices_only(learner_api, learner, quiz):
    started = _start(learner_api, quiz)
    assert started.status_code == 201
    body = started.json()
    assert body["result"] is None and len(body["questions"]) == 5
    for question in body["questions"]:
        assert set(question) == {"id", "number", "kind", "prompt_html", "points", "choices"}
        for choice in question["choices"]:
            assert set(choice) == {"id", "text"}
    again = learner_api.get(reverse("api:attempt-detail", args=[body["id"]]))
    unit = learner_api.get(reverse("api:unit-detail", args=[quiz.unit.course.slug, quiz.unit.slug]))
    for response in (started, again, unit):
        text = response.content.decode()
        for secret in SECRETS:
            assert secret not in text, secret
    assert unit.json()["quiz"]["open_attempt"]["id"] == body["id"]


def test_starting_again_returns_the_open_attempt_with_200(learner_api, quiz):
    first = _start(learner_api, quiz)
    second = _start(learner_api, quiz)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Attempt.objects.count() == 1


def _expected_questions(quiz: Quiz, *, reveal: bool) -> list[dict]:
    """The result rows for ``_some_answers``, written from the scoring rules
    and the fixture's data: 1 + 0 + 1 + 1 + 0 points. Right answers, choice
    flags, the feedback of choices not ticked and explanations only when
    ``reveal``."""
    by_kind = {q.kind: q for q in quiz.questions.prefetch_related("choices")}

    def choice(c, *, chosen):
        return {
            "id": c.id,
            "text": c.text,
            "chosen": chosen,
            "is_correct": c.is_correct if reveal else None,
            "feedback_html": f"<p>{c.feedback}</p>" if c.feedback and (chosen or reveal) else "",
        }

    def row(number, kind, points_awarded, *, choices=(), given="", right=""):
        question = by_kind[kind]
        return {
            "id": question.id,
            "number": number,
            "kind": kind,
            "prompt_html": f"<p>{question.prompt}</p>",
            "points": 1,
            "points_awarded": points_awarded,
            "is_correct": points_awarded == 1.0,
            "choices": list(choices),
            "given_text": given,
            "right_answer": right if reveal else "",
            "explanation_html": f"<p>{question.explanation}</p>" if reveal else "",
        }

    single_right, single_wrong = by_kind["single"].choices.all()
    a, b, c = by_kind["multiple"].choices.all()
    true, false = by_kind["true_false"].choices.all()
    return [
        row(
            1,
            "single",
            1.0,
            choices=[choice(single_right, chosen=True), choice(single_wrong, chosen=False)],
        ),
        # A (right) and C (wrong) ticked: +0.5 - 0.5.
        row(
            2,
            "multiple",
            0.0,
            choices=[choice(a, chosen=True), choice(b, chosen=False), choice(c, chosen=True)],
        ),
        row(3, "true_false", 1.0, choices=[choice(true, chosen=True), choice(false, chosen=False)]),
        row(4, "short_text", 1.0, given="secret-accepted", right="SECRET-ACCEPTED"),
        row(5, "numeric", 0.0, given="424 245,5", right="424242 ± 1"),
    ]


@pytest.mark.parametrize(
    "feedback,reveal",
    [
        (Quiz.Feedback.AFTER_SUBMIT, True),
        (Quiz.Feedback.AFTER_PASS, False),  # failed, two attempts left
        (Quiz.Feedback.NEVER, False),
    ],
)
def test_the_api_result_equals_the_pages_for_the_same_answers(
    client, learner_api, learner, other_learner, feedback, reveal
):
    quiz = _quiz(attempts_allowed=3, feedback=feedback)
    opened = _start(learner_api, quiz).json()
    answers = _some_answers(opened)
    response = learner_api.post(opened["submit_url"], {"answers": answers}, format="json")
    assert response.status_code == 200
    result = response.json()["result"]
    assert response.json()["questions"] == []

    assert result["reveal"] is reveal
    assert result["show_feedback"] == (feedback != Quiz.Feedback.NEVER)
    expected = _expected_questions(quiz, reveal=reveal) if feedback != Quiz.Feedback.NEVER else []
    assert result["questions"] == expected
    assert result["score"] == 60.0
    assert (result["points"], result["max_points"]) == (3.0, 5.0)
    assert result["passed"] is False
    assert (result["attempts_left"], result["can_start"]) == (2, True)

    # Another learner sends the same answers through the page's form: same scoring.
    other_attempt = attempt_start(learner=other_learner, quiz=quiz)
    client.force_login(other_learner)
    form = {f"q-{a['question']}": a.get("choices") or [a["text"]] for a in answers}
    assert client.post(reverse("quizzes:submit", args=[other_attempt.id]), form).status_code == 302
    other_attempt.refresh_from_db()
    assert (other_attempt.score, other_attempt.points) == (Decimal("60.00"), Decimal("3.00"))
    assert other_attempt.passed is False
    page = client.get(reverse("quizzes:attempt", args=[other_attempt.id])).content.decode()
    assert "60 %" in page
    if feedback == Quiz.Feedback.AFTER_SUBMIT:
        assert "SECRET-EXPLANATION" in page and "SECRET-EXPLANATION" in response.content.decode()
    else:  # withheld on the page, withheld in the API
        assert "SECRET-EXPLANATION" not in page
        assert "SECRET-EXPLANATION" not in response.content.decode()
        assert "SECRET-ACCEPTED" not in response.content.decode()
    fetched = learner_api.get(reverse("api:attempt-detail", args=[opened["id"]])).json()
    assert fetched["result"] == result


def test_a_second_submission_is_a_409_and_changes_nothing(learner_api, quiz):
    opened = _start(learner_api, quiz).json()
    answers = _some_answers(opened)
    first = learner_api.post(opened["submit_url"], {"answers": answers}, format="json")
    attempt = Attempt.objects.get(pk=opened["id"])
    before = (attempt.submitted_at, attempt.score, AttemptAnswer.objects.count())
    second = learner_api.post(opened["submit_url"], {"answers": []}, format="json")
    assert (first.status_code, second.status_code) == (200, 409)
    assert second.json() == {"message": "Cette tentative a déjà été envoyée.", "errors": {}}
    attempt.refresh_from_db()
    assert (attempt.submitted_at, attempt.score, AttemptAnswer.objects.count()) == before


def _question(opened, kind):
    return next(q for q in opened["questions"] if q["kind"] == kind)


@pytest.mark.parametrize(
    "make_bad,error_key",
    [
        pytest.param(lambda o: [{"question": 999999, "choices": [1]}], "answers", id="unknown"),
        pytest.param(
            lambda o: [
                {
                    "question": _question(o, "single")["id"],
                    "choices": [_question(o, "multiple")["choices"][0]["id"]],
                }
            ],
            "answers.0",
            id="choice-of-another-question",
        ),
        pytest.param(
            lambda o: [
                {
                    "question": _question(o, "single")["id"],
                    "choices": [c["id"] for c in _question(o, "single")["choices"]],
                }
            ],
            "answers.0",
            id="two-choices-on-single",
        ),
        pytest.param(
            lambda o: [
                {"question": _question(o, "true_false")["id"], "choices": []},
                {"question": _question(o, "numeric")["id"], "text": "douze"},
            ],
            "answers.1",
            id="not-a-number",
        ),
        pytest.param(
            lambda o: [{"question": _question(o, "short_text")["id"], "text": "x" * 500}],
            "answers.0",
            id="too-long-text",
        ),
        pytest.param(
            lambda o: [{"question": _question(o, "single")["id"]}] * 2,
            "answers",
            id="same-question-twice",
        ),
        pytest.param(lambda o: {"answers": "all right"}, "answers", id="not-a-list"),
    ],
)
def test_bad_answers_get_a_400_pointing_at_them_and_change_nothing(
    learner_api, quiz, make_bad, error_key
):
    opened = _start(learner_api, quiz).json()
    bad = make_bad(opened)
    body = bad if isinstance(bad, dict) else {"answers": bad}
    response = learner_api.post(opened["submit_url"], body, format="json")
    assert response.status_code == 400
    assert error_key in response.json()["errors"], response.json()
    attempt = Attempt.objects.get(pk=opened["id"])
    assert attempt.submitted_at is None and not AttemptAnswer.objects.exists()


def test_no_attempts_left_is_a_409(learner_api):
    quiz = _quiz(attempts_allowed=1)
    opened = _start(learner_api, quiz).json()
    learner_api.post(opened["submit_url"], {"answers": []}, format="json")
    response = _start(learner_api, quiz)
    assert response.status_code == 409
    # No lock for good: the message says when a new set of attempts opens.
    assert response.json()["message"].startswith(
        "Vous avez utilisé toutes les tentatives autorisées pour ce quiz. "
        "Vous pourrez réessayer le "
    )
    unit = learner_api.get(reverse("api:unit-detail", args=[quiz.unit.course.slug, quiz.unit.slug]))
    meta = unit.json()["quiz"]
    assert (meta["attempts_left"], meta["can_start"], meta["open_attempt"]) == (0, False, None)
    assert [a["id"] for a in meta["past_attempts"]] == [opened["id"]]


def test_a_quiz_of_a_draft_cannot_be_attempted_even_by_its_author(learner, learner_api):
    quiz = _quiz()
    Course.objects.filter(pk=quiz.unit.course_id).update(status=Course.Status.DRAFT)
    quiz.unit.course.authors.add(learner)
    unit = learner_api.get(reverse("api:unit-detail", args=[quiz.unit.course.slug, quiz.unit.slug]))
    assert unit.status_code == 200 and unit.json()["quiz"]["can_start"] is False
    assert _start(learner_api, quiz).status_code == 404
    assert not Attempt.objects.exists()


def test_passing_the_last_quiz_through_the_api_completes_the_course(learner, learner_api):
    course = make_course()
    quiz = make_quiz(course)
    question = make_question(quiz)
    opened = _start(learner_api, quiz).json()
    right = question.choices.get(is_correct=True).id
    body = {"answers": [{"question": question.id, "choices": [right]}]}
    result = learner_api.post(opened["submit_url"], body, format="json").json()["result"]
    assert result["passed"] is True and result["course_completed"] is True
    assert Enrolment.objects.get(learner=learner, course=course).completed_at is not None


def test_each_learner_gets_their_own_attempt_at_the_same_quiz(learner, other_learner, quiz):
    mine = _start(token_client(learner), quiz).json()
    theirs = _start(token_client(other_learner), quiz).json()
    assert mine["id"] != theirs["id"]
