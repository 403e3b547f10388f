"""In a real browser, through the pages as a person uses them: a learner
downloads their badge images, which carry the assertion; a tutor follows
their group, sorting and filtering the table in place with htmx; a learner
joins a group with the code their tutor gave them."""

import json
import re
from pathlib import Path

import pytest

from badges.baking import unbake_png, unbake_svg
from badges.openbadges import assertion_url
from learning_platform.models import CohortMembership
from tests.e2e.site_data import build_site, log_in
from tests.factories import make_learner

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def site():
    return build_site()


def download(page, link) -> tuple[str, bytes]:
    with page.expect_download() as info:
        link.click()
    file = info.value
    return file.suggested_filename, Path(file.path()).read_bytes()


def test_learner_downloads_the_badge_images_with_the_assertion_baked_in(live_server, page, site):
    log_in(page, live_server.url, "lea")
    page.get_by_role("link", name="Mes badges").click()
    page.wait_for_url(re.compile(r"/badges/mine/$"))
    card = page.locator(f"#badge-{site.award.uuid}")
    expected_id = assertion_url(site.award)

    name, png = download(page, card.get_by_role("link", name=re.compile(r"Télécharger \(PNG\)")))
    assert name == "badge-securiser.png" and png.startswith(b"\x89PNG")
    document = json.loads(unbake_png(png))
    assert document["id"] == expected_id and document["type"] == "Assertion"

    name, svg = download(page, card.get_by_role("link", name=re.compile(r"Télécharger \(SVG\)")))
    assert name == "badge-securiser.svg"
    baked, verify = unbake_svg(svg.decode("utf-8"))
    assert json.loads(baked)["id"] == expected_id and verify == expected_id
    assert page.outside_requests == []


def test_tutor_sorts_and_filters_the_group_in_place_then_opens_a_learner(live_server, page, site):
    log_in(page, live_server.url, "karim")
    page.get_by_role("link", name="Mes groupes").click()
    page.get_by_role("link", name="Aller à l’espace tuteur").click()
    page.get_by_role("link", name="Mardi matin").click()
    page.wait_for_url(re.compile(rf"/tutor/cohorts/{site.cohort.pk}/$"))
    page.evaluate("() => { window.notReloaded = true; }")
    table = page.locator("#cohort-table")

    def names() -> list[str]:
        return table.locator("tbody th").all_inner_texts()

    assert names() == ["Abel Durand", "Léa Martin", "Zoé Éluard"]
    # With the keyboard: the focus stays on the link after the swap.
    table.get_by_role("link", name="Apprenant·e").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"\?sort=-name$"))
    table.locator("th[aria-sort=descending]").wait_for()
    assert names() == ["Zoé Éluard", "Léa Martin", "Abel Durand"]
    assert page.evaluate("() => document.activeElement.id") == "sort-name"

    table.get_by_role("link", name=re.compile(r"^Bloqué sur un quiz")).click()
    page.wait_for_url(re.compile(r"\?flag=failing&sort=-name$"))
    table.locator("a[aria-current=true]", has_text="Bloqué sur un quiz").wait_for()
    assert names() == ["Abel Durand"]
    assert page.evaluate("() => window.notReloaded") is True, "htmx swapped the table in place"
    assert page.evaluate("() => document.activeElement.id") == "flag-failing"
    assert page.locator("h1").inner_text() == "Mardi matin"

    table.get_by_role("link", name="Abel Durand").click()
    page.wait_for_url(re.compile(r"/learners/\d+/$"))
    assert page.locator("h1").inner_text() == "Abel Durand"
    record = page.locator("main").inner_text()
    assert "Questions ratées" in record and "Quel mot de passe est le plus solide ?" in record
    assert record.count("non réussi") == 2  # his two attempts
    page.go_back()
    page.wait_for_url(re.compile(r"\?flag=failing&sort=-name$"))
    assert names() == ["Abel Durand"], "the pushed URL gives back the filtered table"


def test_learner_joins_a_group_by_code_through_the_pages(live_server, page, site):
    nina = make_learner(username="nina", display_name="Nina")
    log_in(page, live_server.url, "nina")
    page.get_by_role("link", name="Mes groupes").click()
    page.get_by_role("link", name="Rejoindre un groupe avec un code").click()
    page.get_by_label("Code du groupe").fill(f"  {site.other_cohort.invite_code.lower()} ")
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("heading", name=re.compile("Jeudi soir")).wait_for()
    assert not CohortMembership.objects.filter(learner=nina).exists()

    page.get_by_label(re.compile("J’ai lu ce que mes tuteurs verront")).check()
    page.get_by_role("button", name="Rejoindre le groupe").click()
    page.wait_for_url(re.compile(r"/cohorts/$"))
    assert "Jeudi soir" in page.locator(".messages").inner_text()
    assert page.get_by_role("heading", name="Jeudi soir").is_visible()
    membership = CohortMembership.objects.get(learner=nina)
    assert membership.cohort == site.other_cohort and membership.consented_at is not None
