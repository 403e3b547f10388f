"""The catalogue and the course page keep what anyone sees in the cache, per
language and content version (courses.views). An edit must show on the
next request, in both languages, and a learner must never see another's
progress from a cached page."""

import pytest
from django.urls import reverse

from courses.models import Course
from progress.services import enrolment_ensure, unit_complete
from tests.factories import make_course, make_learner, make_unit

pytestmark = pytest.mark.django_db

LANGUAGES = {"fr": "fr", "en": "en"}


def _get(client, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    assert f'<html lang="{language}">' in response.content.decode()
    return response.content.decode()


@pytest.fixture
def course(db):
    course = make_course(title="Hameçonnage", summary="Reconnaître un faux message.")
    for position in range(1, 5):
        make_unit(course, title=f"Fiche {position}", position=position)
    return course


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_edit_of_a_published_course_shows_on_the_next_request(client, course, language):
    pages = [reverse("courses:catalogue"), course.get_absolute_url()]
    for url in pages:
        assert "Hameçonnage" in _get(client, url, language)
        assert "Hameçonnage" in _get(client, url, language)  # now from the cache
    course.title = "Hameçonnage et arnaques"
    course.save()
    for url in pages:
        assert "Hameçonnage et arnaques" in _get(client, url, language)


def test_an_edit_shows_in_both_languages_after_both_were_cached(client, course):
    for language in LANGUAGES:
        _get(client, course.get_absolute_url(), language)
        _get(client, reverse("courses:catalogue"), language)
    unit = course.units.get(title="Fiche 2")
    unit.title = "Fiche deux, revue"
    unit.save()
    course.summary = "Reconnaître un faux message, et le signaler."
    course.save()
    for language in LANGUAGES:
        assert "Fiche deux, revue" in _get(client, course.get_absolute_url(), language)
        assert "et le signaler" in _get(client, reverse("courses:catalogue"), language)


def test_each_language_keeps_its_own_words(client, course):
    french = _get(client, course.get_absolute_url(), "fr")
    english = _get(client, course.get_absolute_url(), "en")
    assert "À propos de ce parcours" in french and "About this course" not in french
    assert "About this course" in english and "À propos de ce parcours" not in english
    french = _get(client, reverse("courses:catalogue"), "fr")
    english = _get(client, reverse("courses:catalogue"), "en")
    assert "Catalogue des parcours" in french and "Course catalogue" in english


def test_a_publication_and_an_archiving_show_on_the_next_request(client, course):
    draft = make_course(title="Tableur pas à pas", status=Course.Status.DRAFT)
    make_unit(draft)
    assert "Tableur pas à pas" not in _get(client, reverse("courses:catalogue"), "fr")
    draft.status = Course.Status.PUBLISHED
    draft.save()
    assert "Tableur pas à pas" in _get(client, reverse("courses:catalogue"), "fr")
    assert "Tableur pas à pas" in _get(client, draft.get_absolute_url(), "fr")
    draft.status = Course.Status.ARCHIVED
    draft.save()
    assert "Tableur pas à pas" not in _get(client, reverse("courses:catalogue"), "fr")
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_draft_previewed_by_staff_is_never_served_to_anyone(client, course):
    draft = make_course(title="Brouillon secret", status=Course.Status.DRAFT)
    make_unit(draft)
    staff = make_learner(username="staff", is_staff=True)
    client.force_login(staff)
    assert "Brouillon secret" in _get(client, draft.get_absolute_url(), "fr")
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_two_learners_alternating_each_see_only_their_own_progress(client, course):
    fiches = list(course.units.order_by("position"))
    one, two = make_learner(username="one"), make_learner(username="two")
    for learner, done in ((one, 1), (two, 3)):
        enrolment_ensure(learner=learner, course=course, last_unit=fiches[0])
        for unit in fiches[:done]:
            unit_complete(learner=learner, unit=unit)
    anonymous = _get(client, course.get_absolute_url(), "en")
    assert "% done" not in anonymous
    for _ in range(2):
        for learner, mine, theirs in (
            (one, "25 % done", "75 % done"),
            (two, "75 % done", "25 % done"),
        ):
            client.force_login(learner)
            for url in (reverse("courses:catalogue"), course.get_absolute_url()):
                page = _get(client, url, "en")
                assert mine in page and theirs not in page, (learner, url)
            client.logout()
            for url in (reverse("courses:catalogue"), course.get_absolute_url()):
                page = _get(client, url, "en")
                assert "% done" not in page and "Resume" not in page, url


def test_done_marks_belong_to_the_learner_who_did_them(client, course):
    fiches = list(course.units.order_by("position"))
    one, two = make_learner(username="one"), make_learner(username="two")
    enrolment_ensure(learner=one, course=course, last_unit=fiches[0])
    unit_complete(learner=one, unit=fiches[0])
    for learner, marks in ((one, 1), (two, 0), (one, 1), (two, 0)):
        client.force_login(learner)
        page = _get(client, course.get_absolute_url(), "en")
        assert page.count('class="done-mark"') == marks, learner


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_edited_fiche_shows_on_the_next_request(client, course, language):
    fiche = course.units.get(title="Fiche 1")
    fiche.course = course
    learner = make_learner(username="reader")
    for who in (None, learner):
        if who:
            client.force_login(who)
        assert "Some <strong>text</strong>" in _get(client, fiche.get_absolute_url(), language)
    fiche.body = "Un **mot de passe** long."
    fiche.save()
    for who in (learner, None):
        if who is None:
            client.logout()
        page = _get(client, fiche.get_absolute_url(), language)
        assert "<strong>mot de passe</strong>" in page, who


def test_the_home_page_shows_a_new_course_on_the_next_request(client, course):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert "Hameçonnage" in _get(client, "/", "fr")
    with CaptureQueriesContext(connection) as warm:
        _get(client, "/", "fr")
    assert len(warm.captured_queries) == 1  # the catalogue's version
    newer = make_course(title="Visio sans stress")
    make_unit(newer)
    for language in LANGUAGES:
        assert "Visio sans stress" in _get(client, "/", language)
