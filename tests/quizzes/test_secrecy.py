"""Secrecy of the answer key, tested from the outside: for every feedback
policy and every state of the learner's attempts, the raw HTML of the unit
and result pages and the raw JSON of the API are searched for every secret
the quiz holds.

The rules (README "Quizzes: scoring rules", Quiz.Feedback):
- before submission nothing of the key leaves the server: no explanation,
  no choice feedback, no accepted answer, no number, no correctness flag;
- ``after_submit``: everything is shown after each attempt;
- ``after_pass``: right answers, correctness of choices, explanations and
  the feedback of choices not ticked only once passed or out of attempts;
  before that, the feedback of the choices the learner ticked;
- ``never``: the score only, whatever the state.
"""

import json
import re

import pytest
from django.urls import reverse

from quizzes.models import Question, Quiz
from tests.api.conftest import token_client
from tests.factories import make_course, make_question, make_quiz

pytestmark = pytest.mark.django_db

EXPLANATIONS = {f"EXPLAIN-SECRET-{n}" for n in range(1, 5)}
ACCEPTED = "accepted-zorglub"
NUMBER = re.compile(r"4[\s\u00a0\u202f]?242[.,]5")  # 4242.5, however it is written
# In the failed attempt below, the learner ticks "Choix faux" and A.
TICKED = {"FEEDBACK-TICKED-WRONG", "FEEDBACK-TICKED-A"}
UNTICKED = {"FEEDBACK-UNTICKED-RIGHT", "FEEDBACK-UNTICKED-B", "FEEDBACK-WRONG-UNTICKED"}
RIGHT_LABEL = "Bonne réponse"  # "Right answer:" on the result page


def _secret_quiz(*, feedback: str, attempts_allowed: int) -> Quiz:
    quiz = make_quiz(
        make_course(), pass_mark=70, attempts_allowed=attempts_allowed, feedback=feedback
    )
    make_question(
        quiz,
        explanation="EXPLAIN-SECRET-1",
        choices=[
            ("Choix juste", True, "FEEDBACK-UNTICKED-RIGHT"),
            ("Choix faux", False, "FEEDBACK-TICKED-WRONG"),
        ],
    )
    make_question(
        quiz,
        kind=Question.Kind.MULTIPLE,
        explanation="EXPLAIN-SECRET-2",
        choices=[
            ("A", True, "FEEDBACK-TICKED-A"),
            ("B", True, "FEEDBACK-UNTICKED-B"),
            ("C", False, "FEEDBACK-WRONG-UNTICKED"),
        ],
    )
    make_question(
        quiz,
        kind=Question.Kind.SHORT_TEXT,
        explanation="EXPLAIN-SECRET-3",
        accepted_answers=[ACCEPTED],
    )
    make_question(
        quiz, kind=Question.Kind.NUMERIC, explanation="EXPLAIN-SECRET-4", numeric_answer="4242.5"
    )
    return quiz


def _answers(opened: dict, *, passing: bool) -> list[dict]:
    """All right (100 %), or: "Choix faux", A alone, a wrong text, a wrong
    number (0.5 point of 4: 12.5 %)."""
    answers = []
    for question in opened["questions"]:
        ids = {c["text"]: c["id"] for c in question["choices"]}
        if question["kind"] == "single":
            answers.append(
                {
                    "question": question["id"],
                    "choices": [ids["Choix juste" if passing else "Choix faux"]],
                }
            )
        elif question["kind"] == "multiple":
            ticked = ["A", "B"] if passing else ["A"]
            answers.append({"question": question["id"], "choices": [ids[t] for t in ticked]})
        elif question["kind"] == "short_text":
            answers.append({"question": question["id"], "text": ACCEPTED if passing else "rien"})
        else:
            answers.append({"question": question["id"], "text": "4242,5" if passing else "7"})
    return answers


STATES = {
    # name: (attempts allowed, the attempt submitted passes?)
    "failed-with-attempts-left": (2, False),
    "failed-with-none-left": (1, False),
    "passed": (2, True),
}


def _reveal(feedback: str, state: str) -> bool:
    if feedback == Quiz.Feedback.AFTER_SUBMIT:
        return True
    if feedback == Quiz.Feedback.AFTER_PASS:
        return state != "failed-with-attempts-left"
    return False


def _fetch_all(client, api, quiz, attempt_id: int) -> dict[str, str]:
    return {
        "unit page": client.get(quiz.unit.get_absolute_url()).content.decode(),
        "attempt page": client.get(reverse("quizzes:attempt", args=[attempt_id])).content.decode(),
        "api attempt": api.get(reverse("api:attempt-detail", args=[attempt_id])).content.decode(),
        "api unit": api.get(
            reverse("api:unit-detail", args=[quiz.unit.course.slug, quiz.unit.slug])
        ).content.decode(),
    }


def _choice_flags(api_json: dict) -> set:
    result = api_json.get("result") or {}
    return {c["is_correct"] for q in result.get("questions", []) for c in q["choices"]}


@pytest.mark.parametrize("feedback", Quiz.Feedback.values)
def test_an_open_attempt_shows_no_secret_anywhere(client, learner, feedback):
    quiz = _secret_quiz(feedback=feedback, attempts_allowed=2)
    api = token_client(learner)
    started = api.post(reverse("api:attempt-start", args=[quiz.unit_id]))
    assert started.status_code == 201
    client.force_login(learner)
    texts = _fetch_all(client, api, quiz, started.json()["id"])
    texts["api start"] = started.content.decode()
    texts["htmx unit page"] = client.get(
        quiz.unit.get_absolute_url(), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'name="q-' in texts["unit page"]  # the form is there
    for where, text in texts.items():
        for secret in EXPLANATIONS | TICKED | UNTICKED | {ACCEPTED}:
            assert secret not in text, (where, secret)
        assert not NUMBER.search(text), where
        assert RIGHT_LABEL not in text, where
        assert "is_correct" not in text and "is-correct" not in text, where


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("feedback", Quiz.Feedback.values)
def test_a_submitted_attempt_shows_what_its_policy_allows(client, learner, feedback, state):
    attempts_allowed, passing = STATES[state]
    quiz = _secret_quiz(feedback=feedback, attempts_allowed=attempts_allowed)
    api = token_client(learner)
    opened = api.post(reverse("api:attempt-start", args=[quiz.unit_id])).json()
    submitted = api.post(
        opened["submit_url"], {"answers": _answers(opened, passing=passing)}, format="json"
    )
    assert submitted.status_code == 200
    assert submitted.json()["result"]["passed"] is passing
    client.force_login(learner)
    texts = _fetch_all(client, api, quiz, opened["id"])
    texts["api submit"] = submitted.content.decode()

    reveal = _reveal(feedback, state)
    shown_feedback = set()
    if feedback != Quiz.Feedback.NEVER:
        # Revealed: every choice's feedback; withheld: the ticked choices' only.
        shown_feedback = TICKED | UNTICKED if reveal else TICKED
    for where in ("attempt page", "api submit", "api attempt"):
        text = texts[where]
        for secret in EXPLANATIONS | {ACCEPTED}:
            assert (secret in text) is reveal, (where, secret)
        assert bool(NUMBER.search(text)) is reveal, where
        for secret in TICKED | UNTICKED:
            assert (secret in text) is (secret in shown_feedback), (where, secret)
    assert (RIGHT_LABEL in texts["attempt page"]) is reveal
    for where in ("api submit", "api attempt"):
        flags = _choice_flags(json.loads(texts[where]))
        if feedback == Quiz.Feedback.NEVER:
            assert flags == set(), where  # no per-question result at all
        else:
            assert flags == ({True, False} if reveal else {None}), where
    # The unit page and the unit in the API list past attempts, never the key.
    for where in ("unit page", "api unit"):
        for secret in EXPLANATIONS | TICKED | UNTICKED | {ACCEPTED}:
            assert secret not in texts[where], (where, secret)
        assert not NUMBER.search(texts[where]), where
