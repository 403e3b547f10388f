"""An author writes a quiz in the studio on a 320 px screen without
JavaScript: settings, a single-choice question previewed then saved, a
true/false one, moved up. Each page checked for its headings, the names of
its controls and sideways scrolling (and axe-core, where installed)."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from courses.models import Course, Unit
from quizzes.models import Question
from tests.e2e import a11y
from tests.e2e.conftest import _page
from tests.e2e.site_data import log_in
from tests.factories import make_course, make_quiz, make_user

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = os.environ.get("QUIZ_EDITOR_SHOTS")  # a folder for screenshots, to look at them


def _check(page, label: str, problems: list[str], *, width: int) -> None:
    page.wait_for_load_state()
    found = a11y.heading_problems(page) + a11y.unnamed_controls(page)
    found += a11y.sideways_scroll_problems(page)
    # No axe-core here: it runs in the page, and this page has JavaScript off
    # (it would wait forever). tests/e2e/test_accessibility_commons.py runs
    # axe-core on the quiz editor and every kind of question form.
    problems += [f"{label}: {p}" for p in found]
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{label}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", [320, 1280])
def test_an_author_writes_a_quiz_without_javascript(live_server, browser, width):
    author = make_user(username="marc", password="a-long-test-password", is_author=True)
    course = make_course(title="Mots de passe", status=Course.Status.DRAFT, competences=())
    course.authors.add(author)
    quiz = make_quiz(course)
    Unit.objects.filter(pk=quiz.unit_id).update(title="Quiz final")
    context, page = _page(browser, javascript=False, width=width)
    page.set_viewport_size({"width": width, "height": 800})
    base, problems = live_server.url, []
    try:
        log_in(page, base, "marc", password="a-long-test-password")
        page.goto(base + reverse("quizzes:studio_quiz", args=[quiz.unit.pk]))
        _check(page, "quiz-empty", problems, width=width)

        page.select_option("#new-question-kind", "single")
        page.locator("#add-question button[type=submit]").click()
        page.wait_for_url(lambda url: "kind=single" in url)
        _check(page, "new-single", problems, width=width)
        page.fill("#id_prompt", "Quel mot de passe est le **plus sûr** ?")
        page.fill("#id_choices-0-text", "cheval-agrafe-batterie-correct")
        page.check("#id_choices-0-is_correct")
        page.fill("#id_choices-0-feedback", "Long et facile à retenir.")
        page.fill("#id_choices-1-text", "Azerty123")
        page.locator("button[name=preview]").click()
        page.wait_for_load_state()
        assert page.locator("#preview strong", has_text="plus sûr").count() == 1
        _check(page, "preview", problems, width=width)
        assert not Question.objects.exists()
        page.locator("main form button.primary").click()
        page.wait_for_url(lambda url: "kind=" not in url)
        assert page.locator(".message-success").count() == 1

        page.select_option("#new-question-kind", "true_false")
        page.locator("#add-question button[type=submit]").click()
        page.wait_for_url(lambda url: "kind=true_false" in url)
        page.fill("#id_prompt", "Un gestionnaire de mots de passe est utile.")
        page.check("#id_true_false_answer_0")
        page.locator("main form button.primary").click()
        page.wait_for_url(lambda url: "kind=" not in url)
        second = Question.objects.get(kind=Question.Kind.TRUE_FALSE)
        page.locator(f"#question-{second.pk} button", has_text="Monter").click()
        page.wait_for_load_state()
        _check(page, "quiz-two-questions", problems, width=width)
        assert list(quiz.questions.order_by("position").values_list("kind", flat=True)) == [
            "true_false",
            "single",
        ]

        # A rule broken: the page names it, keeps the input.
        page.fill("#id_questions_per_attempt", "5")
        page.locator("#settings button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator("#settings .field-error").count() == 1
        _check(page, "settings-error", problems, width=width)
    finally:
        context.close()
    assert problems == []
