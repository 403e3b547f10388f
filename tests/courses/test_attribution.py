"""The attribution line (courses.attribution): Title, Authors, Source,
Licence, built once from the course's data and shown on the course page,
on every grain page, in the badge's criteria and in the personal-data
export; and the version line of the course page."""

import re

import pytest
from django.core.cache import cache
from django.utils import translation

from badges.models import BadgeClass
from badges.selectors import badge_criteria
from courses.attribution import attribution
from courses.models import Course, Unit
from courses.services import course_publish, proposal_submit, vote_cast
from tests.factories import make_course, make_question, make_quiz, make_unit, make_user

pytestmark = pytest.mark.django_db

LICENCE_URL = "https://creativecommons.org/licenses/by-sa/4.0/deed.fr"


@pytest.fixture
def credited():
    """A course with everything to credit: names, an organisation, a source."""
    course = make_course(
        title="Tableur",
        credits="Ada Lovelace, Grace Hopper",
        organisation="Les Ateliers",
        source_title="Guide du tableur",
        source_url="https://example.org/guide",
    )
    make_unit(course, slug="fiche", title="Premières cellules")
    return course


def _attribution_html(page: str) -> str:
    match = re.search(r'class="[^"]*attribution[^"]*">(.*?)</(?:p|dd)>', page, re.S)
    assert match, "no attribution line on the page"
    return match.group(1)


def test_the_line_names_title_authors_organisation_source_and_licence(credited):
    with translation.override("fr"):
        line = attribution(credited)
    assert line.text == (
        "« Tableur », par Ada Lovelace, Grace Hopper (Les Ateliers), "
        "adapté de « Guide du tableur » (https://example.org/guide), "
        f"sous licence CC BY-SA 4.0 ({LICENCE_URL})."
    )
    with translation.override("en"):
        assert attribution(credited).text.startswith(
            "“Tableur” by Ada Lovelace, Grace Hopper (Les Ateliers), "
            "adapted from “Guide du tableur”"
        )


def test_a_grains_line_names_the_grain_from_its_course(credited):
    unit = credited.units.get()
    with translation.override("fr"):
        text = attribution(credited, unit).text
    assert text.startswith("« Premières cellules » du parcours « Tableur », par Ada Lovelace")


def test_the_html_links_the_source_and_the_licence(credited):
    with translation.override("fr"):
        html = attribution(credited).html
    assert '<a href="https://example.org/guide" rel="noopener">Guide du tableur</a>' in html
    assert f'<a href="{LICENCE_URL}" rel="license noopener">CC BY-SA 4.0</a>' in html


def test_without_credits_the_author_accounts_are_named_never_a_team_label():
    course = make_course(title="Visio")
    course.authors.add(
        make_user(username="ines", display_name="Inès Martin"),
        make_user(username="bruno"),  # no display name: the username
    )
    with translation.override("fr"):
        text = attribution(course).text
    assert text.startswith("« Visio », par bruno, Inès Martin, sous licence")
    assert "quipe" not in text


def test_a_course_crediting_nobody_still_has_title_and_licence():
    course = make_course(title="Seul", licence=Course.Licence.CC0)
    with translation.override("fr"):
        text = attribution(course).text
    assert text == (
        "« Seul », sous licence CC0 1.0 (https://creativecommons.org/publicdomain/zero/1.0/deed.fr)."
    )


def test_a_source_without_a_title_shows_its_address():
    course = make_course(title="T", credits="Ada", source_url="https://example.org/x")
    with translation.override("fr"):
        html = attribution(course).html
    assert (
        'adapté de « <a href="https://example.org/x" rel="noopener">https://example.org/x</a> »'
        in html
    )


def test_every_part_is_escaped(client):
    course = make_course(
        title="<b>T</b>",
        credits="<script>alert(1)</script>",
        organisation="A & B",
        source_title='"><img src=x onerror=alert(1)>',
        source_url="https://example.org/?a=1&b=2",
    )
    make_unit(course, slug="fiche")
    html = str(attribution(course).html)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and "A &amp; B" in html
    assert 'href="https://example.org/?a=1&amp;b=2"' in html
    for url in (course.get_absolute_url(), course.units.get().get_absolute_url()):
        page = client.get(url).content.decode()
        assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_the_course_page_and_every_grain_page_show_the_line(client, learner, credited):
    make_unit(credited, kind=Unit.Kind.VIDEO, slug="video", title="La vidéo")
    quiz = make_quiz(credited)
    make_question(quiz)
    page = client.get(credited.get_absolute_url()).content.decode()
    line = _attribution_html(page)
    assert "« Tableur », par Ada Lovelace, Grace Hopper (Les Ateliers)" in line
    assert f'href="{LICENCE_URL}" rel="license noopener"' in line
    client.force_login(learner)
    for unit in credited.units.all():
        line = _attribution_html(client.get(unit.get_absolute_url()).content.decode())
        assert f"« {unit.title} » du parcours « Tableur », par Ada Lovelace" in line, unit.kind
        assert 'rel="license noopener"' in line


def test_the_cached_course_page_follows_a_change_of_credits(client, credited):
    cache.clear()
    url = credited.get_absolute_url()
    assert "Ada Lovelace" in client.get(url).content.decode()
    assert "Ada Lovelace" in client.get(url).content.decode()  # from the cache
    credited.credits = "Alan Turing"
    credited.organisation = ""
    credited.save()
    page = client.get(url).content.decode()
    assert "Ada Lovelace" not in page and "par Alan Turing, adapté de" in page
    unit_page = client.get(credited.units.get().get_absolute_url()).content.decode()
    assert "Ada Lovelace" not in unit_page and "par Alan Turing" in unit_page


def test_the_cached_pages_follow_the_author_accounts_of_a_course_crediting_nobody(client):
    cache.clear()
    course = make_course(title="Visio")
    unit = make_unit(course)
    ines = make_user(username="ines", display_name="Inès Martin")
    assert "Inès Martin" not in client.get(course.get_absolute_url()).content.decode()
    course.authors.add(ines)
    assert "par Inès Martin, sous licence" in client.get(course.get_absolute_url()).content.decode()
    assert "par Inès Martin, sous licence" in client.get(unit.get_absolute_url()).content.decode()
    course.authors.remove(ines)
    assert "Inès Martin" not in client.get(course.get_absolute_url()).content.decode()


def test_the_badge_criteria_end_with_the_line(credited):
    badge = BadgeClass.objects.get(course=credited)
    criteria = badge_criteria(badge_class=badge)
    assert criteria.endswith(attribution_text_fr(credited))
    assert "Premières cellules" in criteria  # the generated narrative is still there
    page_criteria = badge_criteria(badge_class=badge)
    assert "Ada Lovelace, Grace Hopper (Les Ateliers)" in page_criteria


def attribution_text_fr(course):
    with translation.override("fr"):
        return attribution(course).text


# The version line


def test_a_course_loaded_from_the_files_says_published_on(client):
    course = make_course(title="Chargé", status=Course.Status.DRAFT)
    make_unit(course)
    course_publish(course=course)  # as manage.py load_content does
    page = client.get(course.get_absolute_url()).content.decode()
    assert re.search(r"Version 1, publiée le \d", page)
    assert "comité" not in page.split("Version 1")[1][:80]


def test_a_course_validated_by_the_committee_says_so_and_follows_new_versions(client):
    author = make_user(username="autrice", is_author=True)
    members = [make_user(username=f"m{n}", is_committee_member=True) for n in (1, 2)]
    course = make_course(title="Proposé", status=Course.Status.DRAFT)
    course.authors.add(author)
    make_unit(course)
    proposal = proposal_submit(author=author, course=course)
    for member in members:
        vote_cast(member=member, proposal=proposal, choice="validate")
    course.refresh_from_db()
    assert course.is_published
    page = client.get(course.get_absolute_url()).content.decode()
    assert re.search(r"Version 1, validée le [^<]+ par le comité pédagogique", page)
    # A revision validated again: version 2 on the (cached) page.
    proposal = proposal_submit(author=author, course=course, note="Une correction.")
    for member in members:
        vote_cast(member=member, proposal=proposal, choice="validate")
    page = client.get(course.get_absolute_url()).content.decode()
    assert "Version 2, validée le" in page and "Version 1" not in page


def test_a_course_without_a_version_shows_no_version_line(client):
    course = make_course(title="Sans version")
    assert "Version" not in client.get(course.get_absolute_url()).content.decode()
