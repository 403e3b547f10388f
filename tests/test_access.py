"""Who may call each page of the site, courses and progress, and what bad
input does (a clear message, nothing changed, never a server error).
Quiz views are covered in tests/quizzes/test_views.py."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from courses.models import Course, Unit
from progress.models import Enrolment, UnitCompletion
from tests.factories import make_course, make_quiz, make_unit

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def course():
    course = make_course(title="Mots de passe")
    make_unit(course, slug="fiche-1", title="Fiche une")
    make_unit(course, kind=Unit.Kind.VIDEO, slug="video-1", title="Vidéo une")
    make_quiz(course)
    return course


@pytest.fixture
def draft(staff):
    course = make_course(title="Brouillon secret", status=Course.Status.DRAFT)
    make_unit(course, slug="fiche-d")
    return course


# Site-wide pages


def test_home_is_public_and_sends_a_logged_in_learner_to_their_courses(client, learner):
    page = client.get("/").content.decode()
    assert "Commencer par un cours débutant" in page and 'name="q"' in page
    client.force_login(learner)
    response = client.get("/")
    assert response.status_code == 302 and response.url == reverse("progress:dashboard")


def test_healthz_is_get_only(client):
    assert client.get(reverse("healthz")).json() == {"status": "ok"}
    assert client.post(reverse("healthz")).status_code == 405


@pytest.mark.parametrize("name", ["profile", "password_change", "progress:dashboard"])
def test_personal_pages_send_anonymous_visitors_to_log_in(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_signup_refuses_a_taken_username_and_creates_nothing(client, learner):
    before = get_user_model().objects.count()
    response = client.post(
        reverse("signup"),
        {
            "username": "learner",
            "display_name": "Doublon",
            "password1": "un-mot-de-passe-long",
            "password2": "un-mot-de-passe-long",
        },
    )
    assert response.status_code == 200
    assert "Un utilisateur avec ce nom existe déjà" in response.content.decode()
    assert get_user_model().objects.count() == before


def test_signup_refuses_mismatched_passwords_and_a_bad_email(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "nouvelle",
            "email": "pas-une-adresse",
            "password1": "un-mot-de-passe-long",
            "password2": "un-autre-mot-de-passe",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez une adresse e-mail valide" in body
    assert not get_user_model().objects.filter(username="nouvelle").exists()


def test_signup_ignores_a_next_link_to_another_site(client):
    response = client.post(
        reverse("signup") + "?next=https://evil.example/",
        {
            "username": "nouvelle",
            "password1": "un-mot-de-passe-long",
            "password2": "un-mot-de-passe-long",
        },
    )
    assert response.status_code == 302 and response.url == reverse("courses:catalogue")
    # The account is made and its owner logged in; only the link was ignored.
    assert get_user_model().objects.filter(username="nouvelle").exists()
    assert client.get(reverse("progress:dashboard")).status_code == 200


def test_a_logged_in_user_is_not_offered_signup_again(learner_client):
    response = learner_client.get(reverse("signup"))
    assert response.status_code == 302 and response.url == reverse("progress:dashboard")


def test_profile_changes_only_ones_own_account_and_refuses_bad_email(
    learner_client, learner, other_learner
):
    response = learner_client.post(reverse("profile"), {"display_name": "Awa", "email": "nope"})
    assert response.status_code == 200
    learner.refresh_from_db()
    assert learner.display_name != "Awa"
    response = learner_client.post(
        reverse("profile"), {"display_name": "Awa", "email": "awa@example.org"}
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    other_learner.refresh_from_db()
    assert (learner.display_name, learner.email) == ("Awa", "awa@example.org")
    assert other_learner.display_name != "Awa"


def test_language_switch_is_remembered(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/courses/"})
    assert response.status_code == 302
    assert "Catalogue" in client.get(reverse("courses:catalogue")).content.decode()
    assert 'lang="en"' in client.get(reverse("courses:catalogue")).content.decode()


# Catalogue and course pages


def test_catalogue_is_open_and_get_only(client, course, draft):
    response = client.get(reverse("courses:catalogue"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mots de passe" in body and "Brouillon secret" not in body
    assert client.post(reverse("courses:catalogue")).status_code == 405


def test_catalogue_htmx_returns_the_list_fragment(client, course):
    response = client.get(reverse("courses:catalogue") + "?level=beginner", **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and "Mots de passe" in body


@pytest.mark.parametrize(
    "query",
    [
        "?level=expert",
        "?area=99",
        "?page=abc",
        "?page=99999",
        "?page=-1",
        "?q=" + "x" * 500,
        "?q=%00",
        "?level=beginner&level=advanced",
    ],
)
def test_catalogue_survives_bad_filters(client, course, query):
    response = client.get(reverse("courses:catalogue") + query)
    assert response.status_code == 200


def test_catalogue_reports_an_unknown_level(client, course):
    body = client.get(reverse("courses:catalogue") + "?level=expert").content.decode()
    assert "Sélectionnez un choix valide" in body


def test_course_page_is_open_for_a_published_course(client, course):
    response = client.get(course.get_absolute_url())
    assert response.status_code == 200 and "Mots de passe" in response.content.decode()
    assert client.post(course.get_absolute_url()).status_code == 405


def test_a_logged_in_learner_or_author_sees_published_courses_and_not_others_drafts(
    client, learner, author, course, draft
):
    other = make_course(title="Écrit par l'auteur", status=Course.Status.DRAFT)
    other.authors.add(author)
    for user in (learner, author):  # neither staff nor an author of `course`
        client.force_login(user)
        page = client.get(course.get_absolute_url())
        assert page.status_code == 200 and "Mots de passe" in page.content.decode()
        assert client.get(course.units.get(slug="fiche-1").get_absolute_url()).status_code == 200
        assert set(Course.objects.visible_to(user)) == (
            {course} if user == learner else {course, other}
        )
        assert client.get(draft.get_absolute_url()).status_code == 404


def test_draft_course_is_hidden_from_visitors_and_learners(client, learner, draft):
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(learner)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(draft.units.get().get_absolute_url()).status_code == 404


def test_draft_course_is_previewed_by_staff_and_authors_without_enrolment(
    client, staff, author, draft
):
    draft.authors.add(author)
    for user in (staff, author):
        client.force_login(user)
        assert client.get(draft.get_absolute_url()).status_code == 200
        assert client.get(draft.units.get().get_absolute_url()).status_code == 200
    assert not Enrolment.objects.exists()


def test_unknown_course_or_grain_is_404(learner_client, course):
    assert learner_client.get("/courses/nope/").status_code == 404
    assert learner_client.get(course.get_absolute_url() + "nope/").status_code == 404


# Unit pages and marking a grain done


@pytest.mark.parametrize("slug", ["fiche-1", "video-1"])
def test_fiches_and_videos_are_public_and_record_nothing_for_a_visitor(client, course, slug):
    page = client.get(course.units.get(slug=slug).get_absolute_url()).content.decode()
    assert "Vous pouvez lire ce grain librement" in page
    assert "CC BY-SA 4.0" in page and "Marquer comme terminé" not in page
    assert not Enrolment.objects.exists()


def test_a_quiz_sends_anonymous_visitors_to_log_in(client, course):
    url = course.units.get(kind=Unit.Kind.QUIZ).get_absolute_url()
    response = client.get(url)
    assert response.status_code == 302 and response.url == f"{reverse('login')}?next={url}"
    assert not Enrolment.objects.exists()


def test_a_draft_grain_stays_hidden_from_visitors(client, draft):
    assert client.get(draft.units.get().get_absolute_url()).status_code == 404


def test_unit_page_is_get_only(learner_client, course):
    url = course.units.get(slug="fiche-1").get_absolute_url()
    assert learner_client.post(url).status_code == 405


def test_mark_complete_needs_login_and_post(client, learner, course):
    fiche = course.units.get(slug="fiche-1")
    url = reverse("progress:complete", args=[fiche.id])
    response = client.post(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(learner)
    assert client.get(url).status_code == 405
    assert not UnitCompletion.objects.exists()


def test_mark_complete_is_for_the_learner_only(client, learner, other_learner, course):
    fiche = course.units.get(slug="fiche-1")
    client.force_login(learner)
    assert client.post(reverse("progress:complete", args=[fiche.id])).status_code == 302
    assert list(UnitCompletion.objects.values_list("learner__username", flat=True)) == ["learner"]
    client.force_login(other_learner)
    page = client.get(course.get_absolute_url()).content.decode()
    assert "Commencer" in page


def test_mark_complete_refuses_quiz_grains_drafts_and_unknown_ids(learner_client, course, draft):
    quiz_unit = course.units.get(kind=Unit.Kind.QUIZ)
    for unit_id in (quiz_unit.id, draft.units.get().id, 999999):
        response = learner_client.post(reverse("progress:complete", args=[unit_id]))
        assert response.status_code == 404
    assert not UnitCompletion.objects.exists()


def test_mark_complete_with_htmx_returns_a_fragment(learner_client, course):
    fiche = course.units.get(slug="fiche-1")
    response = learner_client.post(reverse("progress:complete", args=[fiche.id]), **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert UnitCompletion.objects.count() == 1


def test_marking_twice_counts_once(learner_client, course):
    fiche = course.units.get(slug="fiche-1")
    for _ in range(2):
        learner_client.post(reverse("progress:complete", args=[fiche.id]))
    assert UnitCompletion.objects.count() == 1


def test_mes_parcours_shows_only_ones_own_courses(client, learner, other_learner, course):
    other_course = make_course(title="Tableur pour Bob")
    make_unit(other_course, slug="t-1")
    client.force_login(other_learner)
    client.get(other_course.units.get().get_absolute_url())
    client.force_login(learner)
    client.get(course.units.get(slug="fiche-1").get_absolute_url())
    body = client.get(reverse("progress:dashboard")).content.decode()
    mine, suggested = body.split("<h2>À découvrir ensuite")
    assert "Mots de passe" in mine and "Tableur pour Bob" not in mine
    assert "Tableur pour Bob" in suggested  # offered as a next course, not as theirs
    assert Enrolment.objects.filter(learner=learner).count() == 1
    assert client.post(reverse("progress:dashboard")).status_code == 405
