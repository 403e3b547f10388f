"""A new learner signs up and completes a course in a real browser: fiche,
video, quiz failed then passed, 100 % and the completion message. Once with
JavaScript (htmx swaps in place), once without (plain forms), once with the
keyboard alone."""

import re

import pytest
from django.urls import reverse

from courses.models import Unit
from progress.models import Enrolment
from quizzes.models import Attempt
from tests.factories import (
    make_course,
    make_mixed_quiz,
    make_unit,
    right_answers,
    wrong_answers,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def course():
    course = make_course(title="Sécuriser ses comptes", slug="securiser")
    make_unit(course, slug="fiche", title="Un bon mot de passe", position=1)
    make_unit(course, kind=Unit.Kind.VIDEO, slug="video", title="La vidéo", position=2)
    quiz = make_mixed_quiz(
        course,
        accepted="Double authentification",
        numeric_answer=12,
        multiple_feedback=("", "", ""),
        pass_mark=70,
        attempts_allowed=3,
    )
    Unit.objects.filter(pk=quiz.unit_id).update(slug="quiz", title="Le quiz", position=3)
    return course


def sign_up(page, base: str, username: str):
    page.goto(base + reverse("signup"))
    page.fill("#id_username", username)
    page.fill("#id_display_name", username.title())
    page.fill("#id_password1", "un-mot-de-passe-long")
    page.fill("#id_password2", "un-mot-de-passe-long")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/courses/$"))


def answer(page, answers: dict[str, list[str]]):
    for question_id, values in answers.items():
        inputs = page.locator(f'[name="q-{question_id}"]')
        kind = inputs.first.get_attribute("type")
        if kind in ("radio", "checkbox"):
            for value in values:
                page.check(f'[name="q-{question_id}"][value="{value}"]')
        else:
            inputs.fill(values[0])


def open_attempt(username: str) -> Attempt:
    return Attempt.objects.get(learner__username=username, submitted_at__isnull=True)


def follow_course(page, base: str, course, username: str, *, javascript: bool):
    page.goto(base + course.get_absolute_url())
    page.get_by_role("link", name="Commencer").click()
    page.wait_for_url(re.compile(r"/fiche/$"))

    for expected_next in ("/video/$", "/quiz/$"):
        page.get_by_role("button", name="Marquer comme terminé").click()
        page.get_by_text("Vous avez marqué ce grain comme terminé.").wait_for()
        # "Suivant": a link once the grain is done, or (before htmx's swap reaches
        # the pager) the button that records it; both lead to the next grain.
        page.locator(".pager").get_by_text(re.compile("Suivant")).click()
        page.wait_for_url(re.compile(expected_next))

    page.get_by_role("button", name="Commencer le quiz").click()
    page.get_by_role("button", name="Valider mes réponses").wait_for()
    attempt = open_attempt(username)
    answer(page, wrong_answers(attempt))
    url_before = page.url
    page.get_by_role("button", name="Valider mes réponses").click()
    page.get_by_text("Pas encore réussi").first.wait_for()
    if javascript:
        assert page.url == url_before, "htmx swaps the result in place"
    else:
        assert f"/attempts/{attempt.id}/" in page.url
    # The explanations are shown once the attempt is submitted, not before.

    page.get_by_role("button", name="Réessayer").click()
    page.get_by_role("button", name="Valider mes réponses").wait_for()
    attempt = open_attempt(username)
    answer(page, right_answers(attempt))
    page.get_by_role("button", name="Valider mes réponses").click()
    page.get_by_text("Félicitations, vous avez terminé le parcours").first.wait_for()
    assert "100 %" in page.content()

    page.goto(base + course.get_absolute_url())
    assert page.get_by_role("link", name="Revoir").is_visible()
    assert "100 % terminé" in page.content()
    enrolment = Enrolment.objects.get(learner__username=username, course=course)
    assert enrolment.completed_at is not None


def test_learner_completes_a_course_with_javascript(live_server, page, course):
    sign_up(page, live_server.url, "nina")
    assert page.evaluate("typeof htmx") == "object", "htmx is served by the app"
    follow_course(page, live_server.url, course, "nina", javascript=True)


def test_learner_completes_a_course_without_javascript(live_server, page_without_js, course):
    sign_up(page_without_js, live_server.url, "noah")
    follow_course(page_without_js, live_server.url, course, "noah", javascript=False)
