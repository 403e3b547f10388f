"""Question analytics of a cohort count the cohort's consented learners
only: wrong answers of anyone else, in the same quiz, change nothing."""

import pytest
from django.urls import reverse

from progress import tutor_analytics
from progress import tutor_selectors as selectors
from quizzes.services import attempt_start, attempt_submit
from tests.factories import make_question

pytestmark = pytest.mark.django_db


def _answer(learner, quiz, question, choice_text):
    attempt = attempt_start(learner=learner, quiz=quiz)
    choices = {c.text: c for c in question.choices.all()}
    answers = {str(question.id): [str(choices[choice_text].id)]}
    for item in attempt.drawn:  # the other questions: left blank
        answers.setdefault(str(item["question"]), [])
    attempt_submit(learner=learner, attempt=attempt, answers=answers)


@pytest.fixture
def question(world):
    return make_question(
        world.quiz,
        prompt="Quel mot de passe ?",
        choices=[("Long", True, ""), ("1234", False, ""), ("azerty", False, "")],
    )


def _stat(stats, question):
    return next(s for s in stats if s.question == question)


def test_answers_of_non_members_do_not_change_the_cohort_stats(world, question):
    _answer(world.member, world.quiz, question, "1234")
    for learner in (world.invitee, world.outsider, world.other_member):
        _answer(learner, world.quiz, question, "azerty")
        _answer(learner, world.quiz, question, "azerty")
    stats = tutor_analytics.question_stats(
        quiz=world.quiz, learner_ids=selectors.consented_learner_ids(world.cohort)
    )
    stat = _stat(stats, question)
    assert (stat.answered, stat.correct, stat.percent_correct) == (1, 0, 0)
    assert (stat.top_wrong_choice, stat.top_wrong_count) == ("1234", 1)
    # Over everyone (the authors' view), the others' answers are there.
    assert _stat(tutor_analytics.question_stats(quiz=world.quiz), question).answered == 7


def test_the_cohort_quiz_page_shows_the_cohort_stats(client, world, question):
    _answer(world.member, world.quiz, question, "Long")
    for learner in (world.invitee, world.outsider, world.other_member):
        _answer(learner, world.quiz, question, "azerty")
    client.force_login(world.tutor)
    response = client.get(reverse("tutor:cohort_quiz", args=[world.cohort.pk, world.quiz.pk]))
    assert response.status_code == 200
    stat = _stat(response.context["stats"], question)
    assert (stat.answered, stat.correct, stat.top_wrong_choice) == (1, 1, None)
    assert "azerty" not in response.content.decode()


def test_the_learner_page_lists_only_their_wrong_answers_in_assigned_courses(
    client, world, question
):
    _answer(world.member, world.quiz, question, "1234")
    client.force_login(world.tutor)
    url = reverse("tutor:learner", args=[world.cohort.pk, world.member.pk])
    response = client.get(url)
    assert response.status_code == 200
    [wrong] = [w for w in response.context["wrong"] if w.question_id == question.id]
    assert (wrong.times_wrong, wrong.given) == (1, ["1234"])
    assert "azerty" not in response.content.decode()
