"""Tables that read right (issue #12): the tutor's dashboard and the cohort
table at 360 px and at 1280 px, with two and with twelve assigned courses.

No sideways scroll of the page, axe-core clean, numbers on one line; on a
phone the cohort table is one card per learner with the flags first, on a
wide screen its first column stays in view while the courses scroll in their
own labelled region. Sorting and filtering work with JavaScript off.

Screenshots land in SHOTS (default /tmp/shots-tutorui/) for a person to look at.
"""

import os
import re
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from learning_platform.cohorts import membership_join
from learning_platform.models import Cohort, Organisation
from progress.models import Enrolment
from progress.services import cohort_course_assign, unit_complete
from tests.e2e import a11y
from tests.e2e.conftest import _page
from tests.e2e.site_data import build_course, log_in, take_quiz
from tests.factories import make_course, make_learner, make_unit, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SHOTS = Path(os.environ.get("SHOTS", "/tmp/shots-tutorui"))
WIDTHS = [360, 1280]

# Every element that shows a number: its text must stay on one line.
_WRAPPED_NUMBERS = """() => [...document.querySelectorAll("main .num")]
  .filter((el) => el.getClientRects().length !== 1
    || el.getBoundingClientRect().height > 1.6 * parseFloat(getComputedStyle(el).lineHeight))
  .map((el) => `${el.textContent.trim()} (${el.getClientRects().length} boxes,`
    + ` ${Math.round(el.getBoundingClientRect().height)} px high)`)"""


def _build():
    tutor = make_user(username="sylvie", display_name="Sylvie Lebrun")
    organisation = Organisation.objects.create(name="EPN de Valognes", kind="public_space")
    small = Cohort.objects.create(name="Atelier du mardi", organisation=organisation)
    large = Cohort.objects.create(name="Parcours complet", organisation=organisation)
    for cohort in (small, large):
        cohort.tutors.add(tutor)

    passwords = build_course()  # a quiz, to have someone stuck on it
    fiche, video, quiz_unit = passwords.units.order_by("position")
    courses = [passwords]
    for n in range(11):
        course = make_course(title=f"Parcours numéro {n + 1} : tableur et fichiers partagés")
        for _ in range(4):
            make_unit(course)
        courses.append(course)
    yesterday = timezone.localdate() - timedelta(days=1)
    for position, course in enumerate(courses):
        due = yesterday if position == 0 else timezone.localdate() + timedelta(days=position)
        cohort_course_assign(cohort=large, course=course, due_date=due)
    cohort_course_assign(cohort=small, course=courses[0], due_date=yesterday)
    cohort_course_assign(cohort=small, course=courses[1])

    names = [
        ("mc", "Marie-Christine Delacroix-Fontaine"),
        ("jo", "Jo"),
        ("abel", "Abel Durand"),
        ("zoe", "Zoé Éluard"),
        ("karim", "Karim Ben Ali"),
    ]
    learners = [make_learner(username=u, display_name=d) for u, d in names]
    for learner in learners:
        membership_join(learner=learner, cohort=small)
        membership_join(learner=learner, cohort=large)
    mc, _jo, abel, _zoe, karim = learners
    unit_complete(learner=mc, unit=fiche)  # a third of the late course: late
    for unit in courses[1].units.all()[:1]:
        unit_complete(learner=mc, unit=unit)  # 25 %
    take_quiz(abel, quiz_unit, passing=False)  # stuck
    take_quiz(abel, quiz_unit, passing=False)
    Enrolment.objects.filter(learner=abel).update(
        last_activity_at=timezone.now() - timedelta(days=40)
    )  # inactive
    for course in courses[1:]:
        for unit in course.units.all()[:3]:
            unit_complete(learner=karim, unit=unit)  # 75 % everywhere
    return tutor, small, large


@pytest.fixture
def tutor_site():
    return _build()


def _pages(small, large):
    return {
        "dashboard": reverse("tutor:dashboard"),
        "cohort-2-courses": reverse("tutor:cohort", args=[small.pk]),
        "cohort-12-courses": reverse("tutor:cohort", args=[large.pk]),
    }


def _problems(page, axe_source, label) -> list[str]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if width[0] > width[1]:
        problems.append(f"{label}: the page scrolls sideways ({width[0]} > {width[1]} px)")
    for violation in a11y.axe_violations(page, axe_source):
        for node in violation["nodes"]:
            problems.append(
                f"{label}: axe {violation['id']}: {violation['help']} at {node['html']}"
            )
    for text in page.evaluate(_WRAPPED_NUMBERS):
        problems.append(f"{label}: a number wraps: {text}")
    return problems


@contextmanager
def _logged_in(browser, base: str, username: str, *, width: int):
    """A page of a fresh browser context, ``width`` px wide, logged in."""
    context, page = _page(browser, width=width)
    try:
        log_in(page, base, username)
        yield page
    finally:
        context.close()


def _visit_all(page, base: str, axe_source: str, pages: dict[str, str], width: int) -> list[str]:
    """Every check on each page, and its screenshot in SHOTS."""
    problems = []
    for label, path in pages.items():
        page.goto(base + path)
        page.wait_for_load_state()
        problems += _problems(page, axe_source, f"{label} at {width} px")
        page.screenshot(path=str(SHOTS / f"{label}-{width}.png"), full_page=True)
    return problems


@pytest.mark.parametrize("width", WIDTHS)
def test_tutor_pages_read_without_sideways_scroll_at(
    width, live_server, browser, axe_source, tutor_site
):
    tutor, small, large = tutor_site
    with _logged_in(browser, live_server.url, tutor.username, width=width) as page:
        problems = _visit_all(page, live_server.url, axe_source, _pages(small, large), width)
        assert page.outside_requests == []
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_learner_sees_the_assignments_without_sideways_scroll_at(
    width, live_server, browser, axe_source, tutor_site
):
    """The learner's side of the same groups: "Mes parcours" and "Mes groupes"."""
    pages = {"mes-parcours": reverse("progress:dashboard"), "mes-groupes": reverse("cohorts:mine")}
    with _logged_in(browser, live_server.url, "mc", width=width) as page:
        problems = _visit_all(page, live_server.url, axe_source, pages, width)
        page.goto(live_server.url + pages["mes-parcours"])
        main = page.locator("main")
        assert main.get_by_role("heading", name="Assignés par votre tuteur").is_visible()
        card = main.locator(".card", has_text="Sécuriser ses comptes").first
        assert "en retard" in card.inner_text() and "Échéance" in card.inner_text()
    assert not problems, "\n".join(problems)


def test_numbers_are_counted_on_the_pages(live_server, page, tutor_site):
    """The no-wrap check looks at something: every percentage is marked."""
    tutor, small, large = tutor_site
    log_in(page, live_server.url, tutor.username)
    page.goto(live_server.url + reverse("tutor:cohort", args=[large.pk]))
    numbers = page.locator("#cohort-table .num").all_inner_texts()
    assert "75\u00a0%" in numbers and "25\u00a0%" in numbers
    page.goto(live_server.url + reverse("tutor:dashboard"))
    assert page.locator("main .num", has_text="%").count() == 2


def test_phone_shows_one_card_per_learner_flags_first(live_server, browser, tutor_site):
    tutor, small, _large = tutor_site
    with _logged_in(browser, live_server.url, tutor.username, width=360) as page:
        page.goto(live_server.url + reverse("tutor:cohort", args=[small.pk]))
        row = page.locator("#cohort-table tbody tr", has_text="Abel Durand")
        box = row.bounding_box()
        assert box["width"] <= 360 and box["x"] >= 0
        # Flags right under the name, before the last activity and the courses.
        name, flags, activity = (
            row.locator(sel).bounding_box()["y"] for sel in ["th", "td.flags", "td.activity"]
        )
        assert name < flags < activity
        assert "Bloqué sur un quiz" in row.locator("td.flags").inner_text()
        # Each cell says what it is, now that the header row is out of sight.
        assert (
            row.locator("td.activity").evaluate("(el) => getComputedStyle(el, '::before').content")
            == '"Dernière activité"'
        )


def test_wide_table_scrolls_in_its_region_with_the_names_in_view(live_server, browser, tutor_site):
    tutor, _small, large = tutor_site
    with _logged_in(browser, live_server.url, tutor.username, width=1280) as page:
        page.goto(live_server.url + reverse("tutor:cohort", args=[large.pk]))
        region = page.get_by_role("region", name="Progression du groupe")
        assert region.evaluate("(el) => el.scrollWidth > el.clientWidth"), "12 courses scroll"
        name = page.locator("#cohort-table tbody th", has_text="Jo").first
        before = name.bounding_box()["x"]
        region.evaluate("(el) => { el.scrollLeft = 600; }")
        assert name.bounding_box()["x"] == pytest.approx(before, abs=1), "first column sticks"
        page.screenshot(path=str(SHOTS / "cohort-12-courses-1280-scrolled.png"))
        # Screen readers still get a table whose cells have headers.
        assert page.get_by_role("columnheader", name=re.compile("Besoin d’aide")).count() == 1
        assert page.get_by_role("rowheader").count() == 5


def test_sort_filter_and_pages_work_without_javascript(
    live_server, page_without_js, tutor_site, settings
):
    settings.TUTOR_PAGE_SIZE = 2
    tutor, small, _large = tutor_site
    page = page_without_js
    log_in(page, live_server.url, tutor.username)
    page.goto(live_server.url + reverse("tutor:cohort", args=[small.pk]))
    table = page.locator("#cohort-table")

    def names():
        return table.locator("tbody th").all_inner_texts()

    assert names() == ["Abel Durand", "Jo"]
    table.get_by_role("link", name="Apprenant·e").click()
    page.wait_for_url(re.compile(r"\?sort=-name$"))
    assert names() == ["Zoé Éluard", "Marie-Christine Delacroix-Fontaine"]
    table.get_by_role("link", name=re.compile(r"^Pas commencé")).click()
    page.wait_for_url(re.compile(r"\?flag=not_started&sort=-name$"))
    assert names() == ["Zoé Éluard", "Jo"]
    table.get_by_role("link", name="Suivant").click()
    page.wait_for_url(re.compile(r"\?page=2&sort=-name&flag=not_started$"))
    assert names() == ["Abel Durand"]
    table.get_by_role("link", name=re.compile(r"^Bloqué sur un quiz")).click()
    page.wait_for_url(re.compile(r"\?flag=failing&sort=-name$"))
    assert names() == ["Abel Durand"]
