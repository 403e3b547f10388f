"""A digital mediator's workshop, end to end, in Chromium, with the demo
content and accounts: the demo tutor logs in and lands on the tutor space,
creates a group, assigns a demo course with a due date, prints the invite
sheet (one A4 page whose QR code decodes to the invite link), creates three
accounts from a list of first names; one of them logs in with her start
code, chooses a password, consents and appears in the table, and sees the
assignment on "Mes parcours"; later she forgets her password, the tutor
gives her a new start code and the old password stops working. Every page
on the way is audited at 1280 and 360 px (axe-core, headings, names, no
sideways scroll); the same journey runs with JavaScript off."""

import io
import os
import re
from datetime import timedelta
from importlib import import_module
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from courses.models import Competence, Course
from learning_platform.models import Cohort
from tests.e2e import a11y
from tests.e2e.conftest import _page

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.timeout(400),
]

SHOTS = os.environ.get("SHOTS")
CONTENT = Path(__file__).resolve().parents[2] / "content"
COURSE = "securiser-ses-mots-de-passe"
TUTOR, TUTOR_PASSWORD = "tuteur", "grains-tuteur-2026"
FIRST_PASSWORD, SECOND_PASSWORD = "mon-premier-secret-2026", "mon-second-secret-2026"


@pytest.fixture
def demo(db):
    # A transactional test before this one may have flushed the tables: the
    # DigComp framework (a data migration) must be there for the content.
    if not Competence.objects.exists():
        import_module("courses.migrations.0002_digcomp_2_2").load(django_apps, None)
    call_command("load_content", str(CONTENT), stdout=StringIO())
    call_command("seed_demo", force=True, stdout=StringIO())
    return Course.objects.get(slug=COURSE)


def _log_in(page, base, username, password):
    page.goto(base + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def _submit(page, form_selector):
    with page.expect_navigation():
        page.locator(f"{form_selector} button[type=submit]").first.click()


def _qr_text(png: bytes) -> list[str]:
    import zxingcpp
    from PIL import Image

    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_tutor_runs_a_workshop_from_the_site(live_server, browser, axe_source, demo, javascript):
    base, problems = live_server.url, []
    tutor_context, page = _page(browser, javascript=javascript, width=1280)
    learner_context, learner = _page(browser, javascript=javascript, width=360)

    def audit(p, label):
        """The page at 1280 and at 360 px (the checks also try 320 px)."""
        p.wait_for_load_state()
        if not javascript:
            return
        size = p.viewport_size
        for width in (1280, 360):
            p.set_viewport_size({"width": width, "height": 800})
            if SHOTS:  # SHOTS=/some/dir: a full-page screenshot of each, to look at
                name = re.sub(r"\W+", "-", label)
                p.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
            problems.extend(
                a11y.page_problems(p, axe_source, label=f"{label} at {width} px", language="fr")
            )
        p.set_viewport_size(size)

    try:
        # The tutor logs in and lands on the tutor space, found in the menu.
        _log_in(page, base, TUTOR, TUTOR_PASSWORD)
        assert page.url == base + reverse("tutor:dashboard")
        assert page.locator("nav .nav a", has_text="Espace tuteur").count() == 1
        audit(page, "tutor space")

        # She creates a group.
        page.locator("a", has_text="Créer un groupe").click()
        page.wait_for_url(re.compile(r"/tutor/cohorts/new/"))
        audit(page, "create a group")
        page.fill("#id_name", "Atelier du lundi")
        _submit(page, "main form")
        cohort = Cohort.objects.get(name="Atelier du lundi")
        assert page.url == base + reverse("tutor:cohort", args=[cohort.pk])

        # She assigns a demo course, due in a week.
        due = timezone.localdate() + timedelta(days=7)
        course = Course.objects.get(slug=COURSE)
        assign = f"form[action='{reverse('tutor:course_assign', args=[cohort.pk])}']"
        page.select_option(f"{assign} select", str(course.pk))
        page.fill(f"{assign} input[name=due_date]", due.isoformat())
        _submit(page, assign)
        audit(page, "cohort page")

        # The invite sheet: one A4 page with the code and a QR code of the link.
        page.locator("a", has_text="Imprimer la feuille d’invitation").click()
        page.wait_for_url(re.compile(r"/invite-sheet/"))
        audit(page, "invite sheet")
        invite_link = base + reverse("cohorts:join_code", args=[cohort.invite_code])
        pdf = page.pdf(format="A4", print_background=True)
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(pdf))
        assert len(reader.pages) == 1
        text = reader.pages[0].extract_text()
        assert cohort.invite_code in text and "Atelier du lundi" in text
        assert "Espace tuteur" not in text  # the site's menu is not printed
        page.emulate_media(media="print")
        assert _qr_text(page.locator(".sheet svg.qr").screenshot()) == [invite_link]
        page.emulate_media(media="screen")

        # Three accounts from a list of first names.
        page.goto(base + reverse("tutor:accounts_new", args=[cohort.pk]))
        audit(page, "create accounts")
        page.fill("#id_names", "Amina\nBruno\nChloé")
        _submit(page, "main form")
        cards = page.locator(".login-card")
        assert cards.count() == 3
        audit(page, "log-in cards")
        amina_card = cards.filter(has_text="Amina")
        username = amina_card.locator("dd").nth(0).inner_text().strip()
        code = amina_card.locator("dd.start-code").inner_text().strip()
        start_link = base + reverse("start_code") + f"?username={username}"
        assert _qr_text(amina_card.locator("svg.qr").screenshot()) == [start_link]
        # Until she consents, the tutor sees her name among the invitations only.
        page.goto(base + reverse("tutor:cohort", args=[cohort.pk]))
        assert page.locator("#cohort-table", has_text="Amina").count() == 0

        # Amina, on her phone, follows the card: password, then consent.
        learner.goto(start_link)
        audit(learner, "start code page")
        assert learner.input_value("#id_username") == username
        learner.fill("#id_code", code)
        learner.fill("#id_new_password1", FIRST_PASSWORD)
        learner.fill("#id_new_password2", FIRST_PASSWORD)
        _submit(learner, "main form")
        assert reverse("cohorts:join_code", args=[cohort.invite_code]) in learner.url
        audit(learner, "consent screen")
        learner.check("#id_consent")
        _submit(learner, "main form")

        # She sees what her tutor assigned, and by when.
        learner.goto(base + reverse("progress:dashboard"))
        audit(learner, "my courses with an assignment")
        mine = learner.locator("main").inner_text()
        assert course.title in mine and date_format(due, "DATE_FORMAT") in mine

        # The tutor now sees her in the table.
        page.goto(base + reverse("tutor:cohort", args=[cohort.pk]))
        assert page.locator("#cohort-table", has_text="Amina").count() == 1

        # Amina forgets her password: a new start code, in person.
        page.locator("#cohort-table a", has_text="Amina").click()
        page.wait_for_url(re.compile(r"/learners/\d+/"))
        audit(page, "learner page")
        page.locator("button", has_text="Donner un nouveau code de démarrage").click()
        page.wait_for_load_state()
        new_code = page.locator("dd.start-code").inner_text().strip()
        assert new_code != code

        learner.context.clear_cookies()
        learner.goto(base + reverse("start_code") + f"?username={username}")
        learner.fill("#id_code", new_code)
        learner.fill("#id_new_password1", SECOND_PASSWORD)
        learner.fill("#id_new_password2", SECOND_PASSWORD)
        _submit(learner, "main form")
        learner.context.clear_cookies()
        _log_in(learner, base, username, FIRST_PASSWORD)
        assert "_auth_user_id" not in learner.url  # still on the log-in page
        assert reverse("login") in learner.url
        assert learner.locator(".message-error, .field-error, [role=alert]").count() >= 1
        _log_in(learner, base, username, SECOND_PASSWORD)
        assert reverse("login") not in learner.url
    finally:
        tutor_context.close()
        learner_context.close()
    assert not page.outside_requests and not learner.outside_requests
    assert problems == []
