"""A learner's whole journey through a course, as pages, without and with htmx."""

import re

import pytest
from django.urls import reverse

from courses.models import Unit
from progress.models import Enrolment, UnitCompletion
from quizzes.models import Attempt, Question
from tests.factories import (
    make_course,
    make_question,
    make_quiz,
    make_unit,
    right_answers,
    wrong_answers,
)


@pytest.fixture
def course(db):
    course = make_course(title="Sécuriser ses comptes")
    make_unit(course, kind=Unit.Kind.FICHE, slug="fiche", position=1)
    make_unit(course, kind=Unit.Kind.VIDEO, slug="video", position=2)
    quiz = make_quiz(course, pass_mark=70, attempts_allowed=3)
    quiz.unit.slug, quiz.unit.position = "quiz", 3
    quiz.unit.save()
    make_question(quiz)
    make_question(quiz, kind=Question.Kind.TRUE_FALSE)
    make_question(quiz, kind=Question.Kind.SHORT_TEXT, accepted_answers=["Double authentification"])
    make_question(quiz, kind=Question.Kind.NUMERIC, numeric_answer=12)
    return course


def _post_answers(client, attempt, answers, **headers):
    data = {f"q-{qid}": values for qid, values in answers.items()}
    return client.post(reverse("quizzes:submit", args=[attempt.id]), data, **headers)


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_new_learner_signs_up_and_completes_a_course(client, course, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(
        reverse("signup"),
        {
            "username": "nina",
            "display_name": "Nina",
            "email": "",
            "password1": "un-mot-de-passe-long",
            "password2": "un-mot-de-passe-long",
        },
    )
    assert response.status_code == 302

    detail = client.get(course.get_absolute_url())
    assert "Commencer" in detail.content.decode()

    fiche, video, quiz_unit = course.units.order_by("position")
    assert client.get(fiche.get_absolute_url()).status_code == 200
    response = client.post(reverse("progress:complete", args=[fiche.id]), **headers)
    assert response.status_code == (200 if htmx else 302)
    if htmx:
        assert "<html" not in response.content.decode()
    assert "Reprendre" in client.get(course.get_absolute_url()).content.decode()

    assert client.get(video.get_absolute_url()).status_code == 200
    client.post(reverse("progress:complete", args=[video.id]), **headers)

    page = client.get(quiz_unit.get_absolute_url())
    assert page.status_code == 200
    client.post(reverse("quizzes:start", args=[quiz_unit.id]))
    attempt = Attempt.objects.get(learner__username="nina", submitted_at__isnull=True)

    failed = _post_answers(client, attempt, wrong_answers(attempt), **headers)
    attempt.refresh_from_db()
    assert attempt.passed is False
    if htmx:
        assert failed.status_code == 200 and "Pas encore réussi" in failed.content.decode()
    else:
        assert failed.status_code == 302
        assert "Pas encore réussi" in client.get(failed.url).content.decode()

    client.post(reverse("quizzes:start", args=[quiz_unit.id]))
    second = Attempt.objects.get(learner__username="nina", submitted_at__isnull=True)
    passed = _post_answers(client, second, right_answers(second), **headers)
    second.refresh_from_db()
    assert second.passed is True and second.score == 100
    result = passed if htmx else client.get(passed.url)
    body = result.content.decode()
    assert "100 %" in body
    assert "Félicitations, vous avez terminé le parcours" in body

    enrolment = Enrolment.objects.get(learner__username="nina", course=course)
    assert enrolment.completed_at is not None
    assert UnitCompletion.objects.filter(learner__username="nina").count() == 3
    assert "Revoir" in client.get(course.get_absolute_url()).content.decode()
    dashboard = client.get(reverse("progress:dashboard")).content.decode()
    # Listed under "Terminés" (completed), with its date, and no longer in progress.
    in_progress, completed = dashboard.split("<h2>Terminés</h2>")
    completed = completed.split("<h2>")[0]
    assert course.title in completed and "✓ Terminé le" in completed
    assert course.title not in in_progress.split("<h2>En cours</h2>")[1]


def test_resume_goes_to_the_exact_next_unfinished_grain(learner_client, learner, course):
    fiche, video, quiz_unit = course.units.order_by("position")
    learner_client.post(reverse("progress:complete", args=[fiche.id]))
    page = learner_client.get(course.get_absolute_url()).content.decode()
    resume = re.search(r'class="button primary" href="([^"]+)">Reprendre', page)
    assert resume and resume.group(1) == video.get_absolute_url()
