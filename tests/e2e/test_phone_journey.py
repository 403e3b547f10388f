"""A new learner on a 360 × 740 phone, with the demo content: from the home
page through search to a course, every fiche and video read with "Suivant"
only, the quiz failed then passed, and the badge moment with the course's
own badge image at 100 %. With JavaScript and without; in French and
English, each page on the way checked with axe-core (and the site's other
checks: headings, names, no sideways scroll)."""

import re
from importlib import import_module
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.urls import reverse

from badges.models import Assertion, BadgeClass
from courses.models import Competence, Course
from quizzes.models import Attempt
from tests.e2e import a11y
from tests.e2e.conftest import _page
from tests.e2e.test_learner_journey import answer
from tests.factories import right_answers, wrong_answers

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # A long journey with a full audit of each page: more than the default 120 s.
    pytest.mark.timeout(400),
]

CONTENT = Path(__file__).resolve().parents[2] / "content"
SLUG = "securiser-ses-mots-de-passe"


@pytest.fixture
def demo(db):
    # A transactional test before this one may have flushed the tables: the
    # DigComp framework (a data migration) must be there for the content.
    if not Competence.objects.exists():
        import_module("courses.migrations.0002_digcomp_2_2").load(django_apps, None)
    call_command("load_content", str(CONTENT), stdout=StringIO())
    return Course.objects.get(slug=SLUG)


def _phone(browser, *, javascript: bool, locale: str):
    context, page = _page(browser, javascript=javascript, width=360, locale=locale)
    page.set_viewport_size({"width": 360, "height": 740})
    return context, page


@pytest.mark.parametrize(("javascript", "language"), [(True, "fr"), (False, "fr"), (True, "en")])
def test_a_new_learner_goes_from_home_to_the_badge_on_a_phone(
    live_server, browser, axe_source, demo, javascript, language
):
    context, page = _phone(browser, javascript=javascript, locale=f"{language}-FR")
    base, problems = live_server.url, []

    def check(label):
        page.wait_for_load_state()
        if not javascript:
            return
        problems.extend(a11y.page_problems(page, axe_source, label=label, language=language))

    try:
        page.goto(base + "/")
        if language != "fr":
            page.select_option("#language-select", language)
            with page.expect_navigation():
                page.locator(".language-switcher button[type=submit]").click()
        check("home")
        # The first screen: the promise, the search and the start button.
        assert page.locator("h1").bounding_box()["y"] < 740
        assert page.locator("#home-q").bounding_box()["y"] < 740
        assert page.locator(".hero a.button.primary").bounding_box()["y"] < 740

        page.fill("#home-q", "mot de passe")
        page.locator(".home-search button[type=submit]").click()
        page.wait_for_url(re.compile(r"q=mot"))
        check("search results")
        first = page.locator(".cards .card-title a").first
        assert first.get_attribute("href") == demo.get_absolute_url()
        first.click()
        page.wait_for_url(re.compile(demo.get_absolute_url() + "$"))

        # A new account, then back to the course it found.
        page.goto(base + reverse("signup") + "?next=" + demo.get_absolute_url())
        page.fill("#id_username", f"nadia{int(javascript)}{language}")
        page.fill("#id_display_name", "Nadia")
        page.fill("#id_password1", "un-mot-de-passe-long")
        page.fill("#id_password2", "un-mot-de-passe-long")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(demo.get_absolute_url() + "$"))
        page.locator("main a.button.primary").first.click()

        # Every fiche and video with "Suivant" only, up to the quiz.
        for _ in range(demo.units.exclude(kind="quiz").count()):
            page.locator(".pager button[type=submit]").click()
            page.wait_for_load_state()
        assert page.url.endswith("/quiz/"), page.url

        page.locator("#quiz form button[type=submit]").first.click()
        page.locator("fieldset.question").first.wait_for()
        username = f"nadia{int(javascript)}{language}"
        attempt = Attempt.objects.get(learner__username=username, submitted_at__isnull=True)
        answer(page, wrong_answers(attempt))
        page.locator("form[action*='/submit/'] button[type=submit]").click()
        page.locator(".attempt-result").first.wait_for()
        check("quiz failed")

        page.locator(".attempt-result form[action*='/start/'] button").first.click()
        page.locator("fieldset.question").first.wait_for()
        attempt = Attempt.objects.get(learner__username=username, submitted_at__isnull=True)
        answer(page, right_answers(attempt))
        page.locator("form[action*='/submit/'] button[type=submit]").click()
        page.locator(".badge-moment").first.wait_for()
        check("badge moment")

        award = Assertion.objects.get(learner__username=username)
        badge = BadgeClass.objects.get(course=demo)
        assert award.badge_class == badge
        image = page.locator(".badge-moment img.badge-moment-image").first
        assert str(badge.uuid) in image.get_attribute("src")
        assert "100 %" in page.content() or "100%" in page.content()
        # The badge moment's own page, where "Mes badges" and the e-mail ask lead.
        page.goto(base + reverse("badges:earned", args=[SLUG]))
        page.locator(".badge-moment").first.wait_for()
        check("earned badge page")
        assert not page.outside_requests
        assert not problems, "\n".join(problems)
    finally:
        context.close()
