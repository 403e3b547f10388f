"""Creating and editing a course's metadata in the studio: the slug, the
authors, the status, and bad input (a clear French message naming the
field, nothing saved, nothing typed lost)."""

import pytest
from django.urls import reverse

from courses.models import Competence, Course
from studio.forms import CourseForm
from studio.services import StudioError, course_create
from tests.factories import make_course, make_learner

pytestmark = pytest.mark.django_db


def _data(**fields):
    data = {
        "title": "Protéger sa boîte mail",
        "summary": "Reconnaître un courriel piégé.",
        "description": "## Pourquoi\n\nParce que.",
        "level": "beginner",
        "keywords": "phishing, arnaque",
        "licence": "CC-BY-SA-4.0",
        "language": "fr",
        "credits": "Inès Martin, Marc Dupuis",
        "organisation": "EPN de Valognes",
        "source_title": "Guide de la CNIL",
        "source_url": "https://example.org/guide",
        "competences": [str(c.pk) for c in Competence.objects.filter(code__in=["4.1", "4.2"])],
    }
    data.update(fields)
    return data


def test_an_author_creates_a_draft_they_author(author_client, studio_author):
    response = author_client.post(reverse("studio:course_new"), _data())
    course = Course.objects.get(title="Protéger sa boîte mail")
    assert response.status_code == 302
    assert response.url == reverse("studio:course", args=[course.pk])
    assert course.slug == "proteger-sa-boite-mail"
    assert course.status == Course.Status.DRAFT and course.published_at is None
    assert list(course.authors.all()) == [studio_author]
    assert set(course.competences.values_list("code", flat=True)) == {"4.1", "4.2"}
    assert course.organisation == "EPN de Valognes"
    assert course.source_url == "https://example.org/guide"
    assert "<h2>Pourquoi</h2>" in course.description_html
    assert course.search_terms.exists()  # findable once published


def test_the_slug_is_made_unique_with_a_number(author_client):
    make_course(title="Existe", slug="proteger-sa-boite-mail")
    make_course(title="Existe aussi", slug="proteger-sa-boite-mail-2")
    author_client.post(reverse("studio:course_new"), _data())
    assert Course.objects.filter(slug="proteger-sa-boite-mail-3").exists()


def test_a_title_without_letters_still_gets_a_slug(author_client):
    author_client.post(reverse("studio:course_new"), _data(title="!!! ???"))
    assert Course.objects.get(title="!!! ???").slug == "parcours"


def test_an_empty_title_is_refused_naming_the_field_and_keeping_the_rest(author_client):
    before = Course.objects.count()
    response = author_client.post(reverse("studio:course_new"), _data(title="  "))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Titre : Ce champ est obligatoire." in page
    assert "Reconnaître un courriel piégé." in page  # nothing typed is lost
    assert "EPN de Valognes" in page
    assert Course.objects.count() == before


def test_a_title_of_100_kb_is_refused(author_client):
    before = Course.objects.count()
    response = author_client.post(reverse("studio:course_new"), _data(title="a" * 100_000))
    assert response.status_code == 200
    assert "au plus 200 caractères" in response.content.decode()
    assert Course.objects.count() == before


@pytest.mark.parametrize("control", ["\x00", "\x1b", "\u202e", "\t"])
def test_control_characters_in_the_title_are_refused(author_client, control):
    response = author_client.post(reverse("studio:course_new"), _data(title=f"Ti{control}tre"))
    assert "Retirez de ce texte les caractères invisibles" in response.content.decode()
    assert not Course.objects.filter(title__startswith="Ti").exists()


@pytest.mark.parametrize("bad", ["0", "-1", str(2**63), "9" * 5000, "٣", "abc"])
def test_a_bad_competence_id_is_refused(author_client, bad):
    response = author_client.post(reverse("studio:course_new"), _data(competences=[bad]))
    assert response.status_code == 200
    assert "Compétences" in response.content.decode()
    assert not Course.objects.filter(title="Protéger sa boîte mail").exists()


def test_an_unknown_level_and_licence_are_refused(author_client):
    response = author_client.post(
        reverse("studio:course_new"), _data(level="expert", licence="MIT")
    )
    page = response.content.decode()
    assert "Niveau : Sélectionnez un choix valide. expert n’en fait pas partie." in page
    assert "Licence : Sélectionnez un choix valide. MIT n’en fait pas partie." in page
    assert not Course.objects.filter(title="Protéger sa boîte mail").exists()


def test_the_source_address_must_be_a_web_address(author_client):
    response = author_client.post(reverse("studio:course_new"), _data(source_url="javascript:x"))
    assert "Saisissez une URL valide" in response.content.decode()


def test_the_competences_are_grouped_by_area(author_client):
    page = author_client.get(reverse("studio:course_new")).content.decode()
    assert page.count('class="competence-area"') == 5
    assert page.count('name="competences"') == 21


def test_editing_keeps_slug_status_and_authors(author_client, draft, studio_author):
    response = author_client.post(
        reverse("studio:course_edit", args=[draft.pk]), _data(title="Nouveau titre")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Nouveau titre"
    assert draft.slug != "nouveau-titre" and draft.status == Course.Status.DRAFT
    assert list(draft.authors.all()) == [studio_author]


def test_a_bad_edit_changes_nothing_and_shows_the_stored_title(author_client, draft):
    response = author_client.post(reverse("studio:course_edit", args=[draft.pk]), _data(title=""))
    assert response.status_code == 200
    assert "<title>Informations du parcours · Sécuriser ses comptes" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == "Sécuriser ses comptes"


def test_the_service_refuses_an_account_without_the_author_role():
    form = CourseForm(_data())
    assert form.is_valid()
    with pytest.raises(StudioError):
        course_create(author=make_learner(), course=form.save(commit=False), competences=[])
    assert not Course.objects.filter(title="Protéger sa boîte mail").exists()
