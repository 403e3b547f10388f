"""Accessibility gates (issue #6), in Chromium with JavaScript on, in French
and in English: axe-core on every page of the learner's, the tutor's and the
badge's journeys, with the page's language, its headings, the names of its
controls and no sideways scrolling at 320 px (tests.e2e.a11y); then a quiz
done with the keyboard alone, the skip link, and a visible focus.

The checks collect every problem of every page before failing, so that one
run lists them all.
"""

import re

import pytest
from django.urls import reverse

from learning_platform.views import ACCESSIBILITY_AUDIT
from quizzes.models import Attempt
from tests.e2e import a11y
from tests.e2e.site_data import PASSWORD, build_site, log_in
from tests.factories import make_learner, right_answers

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LANGUAGES = ["fr", "en"]


class Audit:
    """Runs every check on the page as it stands and keeps the problems."""

    def __init__(self, page, base: str, axe_source: str, language: str):
        self.page, self.base, self.axe_source, self.language = page, base, axe_source, language
        self.problems: list[str] = []
        self.checked: list[str] = []

    def check(self, label: str):
        self.page.wait_for_load_state()
        self.problems += a11y.page_problems(
            self.page, self.axe_source, label=label, language=self.language
        )
        self.checked.append(label)

    def visit(self, label: str, path: str):
        response = self.page.goto(self.base + path)
        assert response.status < 400, f"{label}: {path} answered {response.status}"
        # Not another page in its place (the login page, for one).
        assert self.page.url == self.base + path, f"{label}: {path} led to {self.page.url}"
        self.check(label)

    def choose_language(self):
        """Through the site's own switcher, as a person would."""
        if self.page.evaluate("() => document.documentElement.lang") != self.language:
            self.page.select_option("#language-select", self.language)
            with self.page.expect_navigation():
                self.page.locator(".language-switcher button[type=submit]").click()
        assert self.page.evaluate("() => document.documentElement.lang") == self.language

    def assert_clean(self):
        assert not self.problems, (
            f"{len(self.problems)} accessibility problem(s) on {len(self.checked)} page(s):\n"
            + "\n".join(self.problems)
        )


@pytest.fixture
def site():
    return build_site()


@pytest.fixture
def audit(live_server, page, axe_source, language) -> Audit:
    return Audit(page, live_server.url, axe_source, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages(live_server, page, site, audit):
    page.goto(live_server.url + "/")
    audit.choose_language()
    audit.check("home page")
    audit.visit("grain read without an account", site.course.units.first().get_absolute_url())
    audit.visit("search without results", reverse("courses:catalogue") + "?q=zorglub")
    audit.visit("catalogue", reverse("courses:catalogue"))
    # The catalogue, filtered through its form (htmx swaps the list in place).
    page.select_option("#id_level", "beginner")
    page.wait_for_url(re.compile(r"level=beginner"))
    audit.check("catalogue, filtered by level")
    audit.visit("course page", site.course.get_absolute_url())
    audit.visit("badge verification page", site.award.get_absolute_url())
    audit.visit(
        "badge verification page, address checked",
        site.award.get_absolute_url() + "?email=lea%40example.org",
    )
    audit.visit("login", reverse("login"))
    page.fill("#id_username", "lea")
    page.fill("#id_password", "not-the-password")
    page.locator("main form button[type=submit]").click()
    page.locator(".message-error").wait_for()
    audit.check("login, wrong password")
    audit.visit("sign up", reverse("signup"))
    page.fill("#id_username", "lea")  # taken
    page.fill("#id_display_name", "Léa")
    page.fill("#id_password1", "un-mot-de-passe-long")
    page.fill("#id_password2", "un-autre-mot-de-passe")
    page.locator("main form button[type=submit]").click()
    page.locator(".field-error").first.wait_for()
    audit.check("sign up, with errors")
    audit.visit("password reset", reverse("password_reset"))
    page.fill("#id_email", "lea@example.org")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/done/$"))
    audit.check("password reset, e-mail sent")
    audit.visit("accessibility statement", reverse("accessibility"))
    version = a11y.axe_version(page, audit.axe_source)
    assert version == ACCESSIBILITY_AUDIT["axe_core"], (
        f"The statement names axe-core {ACCESSIBILITY_AUDIT['axe_core']}; the tests ran "
        f"{version}: update learning_platform.views.ACCESSIBILITY_AUDIT and .ci/run together"
    )
    assert version in page.locator("main").inner_text()
    audit.assert_clean()


@pytest.mark.parametrize("language", LANGUAGES)
def test_learner_pages(live_server, page, site, audit):
    log_in(page, live_server.url, "lea")
    audit.choose_language()
    audit.visit(
        "catalogue, searched, with progress",
        reverse("courses:catalogue") + "?q=s&level=beginner",
    )
    audit.visit("course page, completed, with its badge", site.course.get_absolute_url())
    audit.visit("course page, in progress", site.other_course.get_absolute_url())
    audit.visit("fiche, done", site.fiche.get_absolute_url())

    audit.visit("video grain, player not loaded", site.video.get_absolute_url())
    assert page.locator("iframe").count() == 0, "no third-party frame before the learner asks"
    assert page.outside_requests == []
    page.locator("#player a.button").click()
    iframe = page.locator("#player iframe")
    iframe.wait_for(state="attached")
    # The frame points at the privacy-enhanced player of the unit's video, and
    # the request for it was stopped here (tests.e2e.conftest): nothing left.
    assert site.video.video_url.endswith("dQw4w9WgXcQ")
    src = iframe.get_attribute("src")
    assert src == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0"
    audit.check("video grain, player loaded")
    assert [url.split("?")[0] for url in page.outside_requests] == [src.split("?")[0]]

    audit.visit("quiz grain", site.quiz_unit.get_absolute_url())
    page.locator("#quiz form button[type=submit]").click()
    page.locator("#quiz fieldset.question").first.wait_for()
    audit.check("quiz grain, attempt open")
    page.fill("#quiz input[inputmode=decimal]", "douze")  # not a number: refused
    page.locator("#quiz form button[type=submit]").click()
    page.locator("#quiz .field-error").first.wait_for()
    # htmx gives the focus to the new content's [autofocus] once it settles.
    page.wait_for_function("() => document.activeElement.getAttribute('role') === 'alert'")
    audit.check("quiz grain, attempt with errors")
    attempt = Attempt.objects.get(learner=site.learner, submitted_at__isnull=True)
    for question_id, values in right_answers(attempt).items():
        field = page.locator(f'[name="q-{question_id}"]')
        if field.first.get_attribute("type") in ("radio", "checkbox"):
            for value in values:
                page.check(f'[name="q-{question_id}"][value="{value}"]')
        else:
            field.fill(values[0])
    page.locator("#quiz form button[type=submit]").click()
    page.locator(".attempt-result").wait_for()
    audit.check("quiz grain, result in place")
    audit.visit("quiz result page", reverse("quizzes:attempt", args=[attempt.id]))

    audit.visit("my courses", reverse("progress:dashboard"))
    audit.visit("my badges", reverse("badges:mine"))
    audit.visit("my account", reverse("profile"))
    audit.visit("change of password", reverse("password_change"))
    audit.visit("my data", reverse("my_data"))
    audit.visit("my groups", reverse("cohorts:mine"))
    audit.visit("join a group", reverse("cohorts:join"))
    page.fill("#id_code", "NOPE-NOPE")
    page.locator("main form button[type=submit]").click()
    page.locator(".field-error").wait_for()
    audit.check("join a group, unknown code")
    audit.visit(
        "join a group, what tutors see",
        reverse("cohorts:join_code", args=[site.other_cohort.invite_code]),
    )
    audit.assert_clean()


@pytest.mark.parametrize("language", LANGUAGES)
def test_tutor_pages(live_server, page, site, audit):
    log_in(page, live_server.url, "karim")
    audit.choose_language()
    audit.visit("tutor space", reverse("tutor:dashboard"))
    audit.visit("group table, learners and flags", reverse("tutor:cohort", args=[site.cohort.pk]))
    page.locator("#cohort-table .flag-filters a").nth(1).click()
    page.wait_for_url(re.compile(r"flag="))
    audit.check("group table, filtered by a flag")
    abel = site.cohort.memberships.get(learner__username="abel").learner
    audit.visit("learner record", reverse("tutor:learner", args=[site.cohort.pk, abel.pk]))
    audit.visit(
        "learner record, badge earned",
        reverse("tutor:learner", args=[site.cohort.pk, site.learner.pk]),
    )
    audit.visit(
        "question analytics of the group",
        reverse("tutor:cohort_quiz", args=[site.cohort.pk, site.quiz_unit.quiz.pk]),
    )
    audit.visit(
        "question analytics of the course", reverse("tutor:course_stats", args=[site.course.slug])
    )
    audit.assert_clean()


# The keyboard alone


def focused(page) -> dict:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          return {
            tag: el.tagName.toLowerCase(), id: el.id, type: el.type || "",
            name: el.getAttribute("name") || "", value: el.value || "",
            text: (el.innerText || "").trim().slice(0, 60),
            focusVisible: el.matches(":focus-visible"),
            outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
            shadow: style.boxShadow !== "none",
          };
        }"""
    )


def assert_focus_visible(state: dict):
    assert state["focusVisible"] and (state["outline"] or state["shadow"]), (
        f"no visible focus on {state}"
    )


def tab_to(page, predicate, *, limit: int = 60) -> dict:
    """Press Tab until the focused element matches; every element met on the
    way shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = focused(page)
        if state["tag"] != "body":  # body: past the last link, the browser's turn
            assert_focus_visible(state)
        if predicate(state):
            return state
    raise AssertionError(f"never reached with the keyboard; last focus on {state}")


def test_skip_link_comes_first_and_moves_focus_to_main(live_server, page, site):
    page.goto(live_server.url + site.course.get_absolute_url())
    page.keyboard.press("Tab")
    state = focused(page)
    assert state["tag"] == "a" and state["text"] == "Aller au contenu principal", state
    assert_focus_visible(state)
    box = page.locator(".skip-link").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the focused skip link is on screen"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    state = tab_to(page, lambda s: True)
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


def test_quiz_with_the_keyboard_alone(live_server, page, site):
    make_learner(username="nina", display_name="Nina")
    base = live_server.url
    page.goto(base + reverse("login"))
    if focused(page)["id"] != "id_username":  # the field has autofocus
        tab_to(page, lambda s: s["id"] == "id_username")
    page.keyboard.type("nina")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/me/courses/$"))

    # A grain marked as done: htmx swaps the button for a message, which
    # takes the focus (it would otherwise fall back to the top of the page).
    page.goto(base + site.fiche.get_absolute_url())
    tab_to(page, lambda s: s["text"] == "Marquer comme terminé")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.matches('#unit-complete .done-mark')")
    assert focused(page)["text"].endswith("Vous avez marqué ce grain comme terminé.")
    state = tab_to(page, lambda s: s["tag"] == "a")  # the next stop after the message
    assert state["text"] == "Sommaire du parcours", state

    page.goto(base + site.quiz_unit.get_absolute_url())
    tab_to(page, lambda s: s["tag"] == "button" and s["text"] == "Commencer le quiz")
    page.keyboard.press("Enter")
    page.locator("fieldset.question").first.wait_for()
    attempt = Attempt.objects.get(learner__username="nina", submitted_at__isnull=True)
    expected = right_answers(attempt)
    questions = list(expected)  # in the order drawn, which is the page's

    def checked(question_id) -> list[str]:
        return page.eval_on_selector_all(
            f'[name="q-{question_id}"]:checked', "els => els.map(e => e.value)"
        )

    # 1. One choice: Tab into the group, the arrow keys move and tick.
    single = questions[0]
    tab_to(page, lambda s: s["name"] == f"q-{single}")
    page.keyboard.press("ArrowDown")
    assert checked(single) == expected[single]
    # 2. Several choices: Space ticks each right box.
    multiple = questions[1]
    state = tab_to(page, lambda s: s["name"] == f"q-{multiple}")
    for _ in range(3):
        if state["value"] in expected[multiple]:
            page.keyboard.press("Space")
        page.keyboard.press("Tab")
        state = focused(page)
        assert_focus_visible(state)
    assert sorted(checked(multiple)) == sorted(expected[multiple])
    # 3. True or false: down to "Faux", up again to "Vrai".
    true_false = questions[2]
    assert state["name"] == f"q-{true_false}", state
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert checked(true_false) == expected[true_false]
    # 4. and 5. Text answers are typed; a typo is mended by coming back.
    page.keyboard.press("Tab")
    assert focused(page)["name"] == f"q-{questions[3]}"
    page.keyboard.type("double authentificatoin")
    page.keyboard.press("Tab")
    assert focused(page)["name"] == f"q-{questions[4]}"
    page.keyboard.type("12")
    page.keyboard.press("Shift+Tab")
    assert focused(page)["name"] == f"q-{questions[3]}"
    page.keyboard.press("Control+A")
    page.keyboard.type("double authentification")
    state = tab_to(page, lambda s: s["tag"] == "button")
    assert state["text"] == "Valider mes réponses"
    page.keyboard.press("Enter")

    page.wait_for_function("() => document.activeElement.matches('.attempt-result .score')")
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and attempt.passed and attempt.score == 100
    # The result replaced the form in place; its score takes the focus.
    state = focused(page)
    assert state["tag"] == "h3" and state["text"] == "Votre score : 100 %", state
