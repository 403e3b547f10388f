"""The Content Security Policy in a real browser (issue #6): a learner's
journey with JavaScript, htmx swaps, the video player and the admin trigger
no violation; a violation, when there is one, is seen."""

import re

import pytest
from django.urls import reverse

from tests.e2e.test_learner_journey import course, follow_course, sign_up  # noqa: F401
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Runs before any script of the page, outside its policy: every violation the
# browser reports is kept on window.__cspViolations.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    event.violatedDirective + " blocked " + (event.blockedURI || "inline") + " on " +
    event.documentURI
  );
});
"""


@pytest.fixture
def watched_page(page):
    page.violations = []
    page.context.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda message: _console(page, message))
    page.on("framenavigated", lambda frame: _collect(page) if frame == page.main_frame else None)
    return page


def _console(page, message):
    if "Content Security Policy" in message.text:
        page.violations.append(message.text)


def _collect(page):
    try:
        page.violations += page.evaluate("() => window.__cspViolations.splice(0)")
    except Exception:  # the page is already navigating away; the console still has it
        pass


def test_learner_journey_breaks_no_rule_of_the_policy(live_server, watched_page, course):  # noqa: F811
    page = watched_page
    sign_up(page, live_server.url, "csp")
    assert page.evaluate("typeof htmx") == "object"

    page.goto(live_server.url + reverse("courses:catalogue"))
    page.select_option("#id_level", "beginner")
    page.wait_for_url(re.compile(r"level=beginner"))

    follow_course(page, live_server.url, course, "csp", javascript=True)

    page.goto(live_server.url + course.units.get(slug="video").get_absolute_url())
    page.locator("a.button[hx-get]").click()  # htmx swaps the player in
    page.locator("iframe.video").wait_for(state="attached")
    page.goto(live_server.url + reverse("badges:mine"))
    page.goto(live_server.url + reverse("progress:dashboard"))
    _collect(page)

    assert page.violations == []
    # The only request for another site is the player the learner asked for.
    assert {re.sub(r"^(https://[^/]+).*", r"\1", url) for url in page.outside_requests} <= {
        "https://www.youtube-nocookie.com"
    }


def test_admin_breaks_no_rule_of_the_policy(live_server, watched_page):
    page = watched_page
    make_user(username="boss", is_staff=True, is_superuser=True)
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "boss")
    page.fill("#id_password", "a-long-test-password")
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(live_server.url + reverse("admin:courses_course_add"))
    page.goto(live_server.url + reverse("admin:courses_unit_changelist"))
    _collect(page)

    assert page.violations == []


def test_a_violation_is_seen(live_server, watched_page):
    """The two tests above prove something only if a violation is caught."""
    page = watched_page
    page.goto(live_server.url + reverse("courses:catalogue"))

    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.inlineRan = true";
          document.body.append(script);
        }"""
    )
    page.wait_for_timeout(200)
    _collect(page)

    assert page.evaluate("() => window.inlineRan === undefined")
    assert any("script-src" in v for v in page.violations)
