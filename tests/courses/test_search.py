"""Search as people type it (courses.search, courses.selectors): accents and
case ignored, plurals folded, words in any order, title first, never a dead
end. The same SQL runs on SQLite and PostgreSQL (CI runs this file on both)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from courses.models import Course, SearchTerm
from courses.search import fold, prefix_of, query_terms, stem, words
from courses.selectors import catalogue_courses, search_help
from courses.services import course_search_index
from tests.factories import make_course, make_unit

CONTENT = Path(__file__).resolve().parents[2] / "content"


# The text steps


def test_fold_drops_case_and_accents():
    assert fold("Sécurité HAMEÇONNAGE Impôts") == "securite hameconnage impots"


def test_words_drop_function_words_and_punctuation():
    expected = ["mot", "passe", "affaire", "tous"]
    assert words("Le mot de passe, c'est l'affaire de tous !") == expected


@pytest.mark.parametrize(
    ("typed", "written"),
    [("mot", "mots"), ("arnaque", "arnaques"), ("impots", "impôts"), ("tableur", "tableurs")],
)
def test_a_word_and_its_plural_or_accented_form_share_a_stem(typed, written):
    assert stem(words(typed)[0]) == stem(words(written)[0])


def test_query_terms_are_distinct_in_typed_order_and_bounded():
    assert [t for t, _w in query_terms("passe mot mots de passe")] == ["pass", "mot"]
    assert len(query_terms(" ".join(f"mot{i}x" for i in range(30)))) == 8
    assert query_terms("de la le") == []


def test_only_long_stems_match_by_prefix():
    assert prefix_of("securit") == "securi"
    assert prefix_of("secur") is None


# The index and the ranking


def _indexed(**fields) -> Course:
    course = make_course(**fields)
    course_search_index(course=course)
    return course


@pytest.mark.django_db
def test_a_course_is_found_by_any_form_of_its_words_in_any_order():
    course = _indexed(title="Sécuriser ses mots de passe", summary="Des comptes protégés.")
    for query in ["mot de passe", "MOTS DE PASSE", "passe mot", "securiser", "compte"]:
        assert list(catalogue_courses(q=query)) == [course], query


@pytest.mark.django_db
def test_every_word_must_be_found():
    _indexed(title="Sécuriser ses mots de passe")
    assert list(catalogue_courses(q="mot de passe tableur")) == []


@pytest.mark.django_db
def test_a_title_match_ranks_before_a_match_in_the_text():
    in_text = make_course(title="Aaa premier", summary="Rien.")
    make_unit(in_text, body="Le tableur, le tableur, encore le tableur et le tableur.")
    course_search_index(course=in_text)
    in_title = _indexed(title="Zzz le tableur", summary="Rien.")
    assert list(catalogue_courses(q="tableur")) == [in_title, in_text]


@pytest.mark.django_db
def test_keywords_grain_titles_and_competences_are_searched():
    course = make_course(title="Reconnaître l'hameçonnage", keywords="phishing, faux SMS")
    make_unit(course, title="Le courriel piégé")
    course_search_index(course=course)
    for query in ["phishing", "sms", "courriel", "protection des données"]:
        assert course in catalogue_courses(q=query), query


@pytest.mark.django_db
def test_drafts_are_never_found_and_filters_still_apply():
    _indexed(title="Le tableur", status=Course.Status.DRAFT)
    beginner = _indexed(title="Le tableur pour débuter")
    _indexed(title="Le tableur avancé", level=Course.Level.ADVANCED)
    assert list(catalogue_courses(q="tableur", level=Course.Level.BEGINNER)) == [beginner]


@pytest.mark.django_db
def test_reindexing_replaces_the_terms():
    course = _indexed(title="Le tableur")
    course.title = "La visioconférence"
    course.save()
    course_search_index(course=course)
    assert not catalogue_courses(q="tableur").exists()
    assert SearchTerm.objects.filter(course=course, term=stem("visioconference")).exists()


@pytest.mark.django_db
def test_a_search_without_results_suggests_a_spelling_nearest_and_beginner_courses():
    passwords = _indexed(title="Sécuriser ses mots de passe")
    advanced = _indexed(title="Le tableur avancé", level=Course.Level.ADVANCED)
    help_ = search_help(q="tablleur")
    assert help_.suggestion == "tableur"
    assert help_.beginner == [passwords]
    help_ = search_help(q="tableur zorglub")
    assert help_.nearest == [advanced] and help_.suggestion == ""


# The demo content, as a person would search it


EXPECTED_FIRST = {
    "mot de passe": "securiser-ses-mots-de-passe",
    "securite": "securiser-ses-mots-de-passe",
    "impots": "demarches-administratives-en-ligne",
    "arnaque": "reconnaitre-l-hameconnage",
    "phishing": "reconnaitre-l-hameconnage",
    "hameconnage": "reconnaitre-l-hameconnage",
    "tableur": "tableur-premiers-pas",
    "excel": "tableur-premiers-pas",
    "visio": "participer-a-une-visioconference",
    "SMS": "reconnaitre-l-hameconnage",
}


@pytest.fixture
def demo_content(db):
    call_command("load_content", str(CONTENT), stdout=StringIO())


@pytest.mark.parametrize(("query", "expected"), EXPECTED_FIRST.items())
def test_the_demo_queries_find_the_expected_course_first(demo_content, query, expected):
    results = list(catalogue_courses(q=query).values_list("slug", flat=True))
    assert results[:1] == [expected], results


def test_the_catalogue_page_shows_the_search_and_never_a_dead_end(demo_content, client):
    page = client.get(reverse("courses:catalogue"), {"q": "mot de passe"}).content.decode()
    assert "Sécuriser ses mots de passe" in page and "pour « mot de passe »" in page
    page = client.get(reverse("courses:catalogue"), {"q": "zorglub"}).content.decode()
    assert "0 parcours pour « zorglub »" in page
    assert "Pour commencer" in page and "/courses/securiser-ses-mots-de-passe/" in page
    page = client.get(reverse("courses:catalogue"), {"q": "tabelur"}).content.decode()
    assert "Vouliez-vous dire" in page and "?q=tableur" in page
