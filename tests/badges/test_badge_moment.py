"""The moments of a badge: completing the course shows the badge, what it
proves and what to do with it (download, LinkedIn, its link), asking for an
e-mail first when the account has none; until then the course page and the
quiz result say what is still missing, with links; each course's image is
its own; the holder's name shows on the verification page only by choice."""

import io
import json
import re

import pytest
from django.urls import reverse
from PIL import Image

from badges.artwork import TITLE_SIZES, TITLE_WIDTH, _width, badge_png, badge_svg, title_layout
from badges.models import Assertion
from badges.selectors import artwork_args
from badges.services import hash_email
from courses.models import Course
from quizzes.services import attempt_start
from tests.badges.helpers import finish_fiche_and_video, take_quiz
from tests.factories import make_course, make_learner, right_answers, wrong_answers

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
LD = {"HTTP_ACCEPT": "application/ld+json"}


def _mark(client, unit, **headers):
    return client.post(reverse("progress:complete", args=[unit.id]), **headers)


def _submit(client, learner, quiz, *, passing: bool, **headers):
    attempt = attempt_start(learner=learner, quiz=quiz)
    answers = right_answers(attempt) if passing else wrong_answers(attempt)
    data = {f"q-{key}": value for key, value in answers.items()}
    return attempt, client.post(reverse("quizzes:submit", args=[attempt.id]), data, **headers)


def _moment_buttons(body: str, award: Assertion) -> None:
    """The moment's one step: download, LinkedIn, the link to copy."""
    assert reverse("badges:download_png", args=[award.uuid]) in body
    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in body
    assert re.search(
        r'<input type="text" id="moment-[0-9a-f]+-link" value="http[^"]+' + str(award.uuid), body
    )
    assert "readonly" in body and "data-copy=" in body and "js/copy-link.js" in body
    assert "Ce qu’il prouve" in body and "au moins 70 %" in body  # the criteria


# The moment after the last grain


def test_last_grain_marked_with_htmx_opens_the_moment(
    client, camille, course, quiz, django_capture_on_commit_callbacks
):
    client.force_login(camille)
    with django_capture_on_commit_callbacks(execute=True):
        take_quiz(camille, quiz, passing=True)
        _mark(client, course.units.get(slug="fiche"))
        response = _mark(client, course.units.get(slug="video"), **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "Félicitations, vous avez terminé le parcours" in body
    assert "Sécuriser ses comptes (Débutant)" in body
    # In a test the award is made once the request's transaction is committed,
    # after this fragment was rendered: the moment then links to its page.
    earned = reverse("badges:earned", args=["securiser"])
    assert f'href="{earned}"' in body and "Votre badge vous attend" in body
    award = Assertion.objects.get(learner=camille)
    page = client.get(earned).content.decode()
    assert "Vous avez obtenu un badge" in page
    _moment_buttons(page, award)


def test_the_htmx_fragment_carries_the_whole_moment_once_the_award_exists(
    client, camille, course, quiz, django_capture_on_commit_callbacks
):
    # As in production, where the award is committed before the page renders.
    client.force_login(camille)
    with django_capture_on_commit_callbacks(execute=True):
        finish_fiche_and_video(camille, course)
        take_quiz(camille, quiz, passing=True)
    award = Assertion.objects.get(learner=camille)
    body = _mark(client, course.units.get(slug="video"), **HTMX).content.decode()
    assert "<html" not in body and "Vous avez obtenu un badge" in body
    _moment_buttons(body, award)
    assert reverse("badges:class_image", args=[award.badge_class.uuid]) in body


def test_last_grain_marked_without_javascript_shows_the_moment_on_the_grain_page(
    client, camille, course, quiz, django_capture_on_commit_callbacks
):
    client.force_login(camille)
    video = course.units.get(slug="video")
    with django_capture_on_commit_callbacks(execute=True):
        take_quiz(camille, quiz, passing=True)
        _mark(client, course.units.get(slug="fiche"))
        response = _mark(client, video)
    assert response.status_code == 302 and response.url == video.get_absolute_url()
    page = client.get(response.url).content.decode()
    assert "Félicitations, vous avez terminé le parcours" in page
    _moment_buttons(page, Assertion.objects.get(learner=camille))


def test_passing_the_last_quiz_opens_the_moment_with_htmx_and_without(
    client, camille, course, quiz, django_capture_on_commit_callbacks
):
    client.force_login(camille)
    finish_fiche_and_video(camille, course)
    with django_capture_on_commit_callbacks(execute=True):
        _attempt, response = _submit(client, camille, quiz, passing=True, **HTMX)
    body = response.content.decode()
    assert "<html" not in body and "Félicitations" in body
    assert "Sécuriser ses comptes (Débutant)" in body
    assert reverse("badges:earned", args=["securiser"]) in body
    award = Assertion.objects.get(learner=camille)
    # Without JavaScript: the result page, once the award is committed.
    with django_capture_on_commit_callbacks(execute=True):
        attempt, response = _submit(client, camille, quiz, passing=True)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Félicitations" in page and "Vous avez obtenu un badge" in page
    _moment_buttons(page, award)


def test_the_earned_page_is_the_learners_own(
    client, camille, course, quiz, django_capture_on_commit_callbacks
):
    earned = reverse("badges:earned", args=["securiser"])
    response = client.get(earned)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(camille)
    assert client.get(earned).status_code == 404  # not earned yet
    with django_capture_on_commit_callbacks(execute=True):
        finish_fiche_and_video(camille, course)
        take_quiz(camille, quiz, passing=True)
    assert client.get(earned).status_code == 200
    assert client.post(earned).status_code == 405
    client.force_login(make_learner(username="autre", email="autre@example.org"))
    assert client.get(earned).status_code == 404


# Asking for an e-mail, right there


def test_a_learner_without_email_gives_one_in_the_moment_and_the_badge_becomes_verifiable(
    client, course, quiz, django_capture_on_commit_callbacks
):
    nour = make_learner(username="nour", email="")
    client.force_login(nour)
    with django_capture_on_commit_callbacks(execute=True):
        finish_fiche_and_video(nour, course)
        take_quiz(nour, quiz, passing=True)
    award = Assertion.objects.get(learner=nour)
    assert client.get(award.get_absolute_url(), **LD).status_code == 404
    earned = reverse("badges:earned", args=["securiser"])
    page = client.get(course.units.get(slug="video").get_absolute_url()).content.decode()
    claim = reverse("badges:claim", args=[award.uuid])
    assert f'action="{claim}"' in page and f'name="next" value="{earned}"' in page
    assert 'type="email"' in page
    assert reverse("badges:download_png", args=[award.uuid]) not in page  # not before the e-mail

    response = client.post(claim, {"email": "pas-une-adresse", "next": earned}, follow=True)
    assert response.redirect_chain[-1][0] == earned
    assert "Saisissez une adresse e-mail valide" in response.content.decode()

    response = client.post(claim, {"email": "Nour@Example.org", "next": earned}, follow=True)
    assert response.redirect_chain[-1][0] == earned
    body = response.content.decode()
    assert "message-success" in body
    _moment_buttons(body, award)
    award.refresh_from_db()
    nour.refresh_from_db()
    assert nour.email == "Nour@Example.org"
    assert award.recipient_identity == hash_email("nour@example.org", award.salt)
    assert client.get(award.get_absolute_url(), **LD).status_code == 200


def test_claim_goes_back_only_to_a_page_of_this_site(
    client, course, quiz, django_capture_on_commit_callbacks
):
    nour = make_learner(username="nour", email="")
    client.force_login(nour)
    with django_capture_on_commit_callbacks(execute=True):
        finish_fiche_and_video(nour, course)
        take_quiz(nour, quiz, passing=True)
    award = Assertion.objects.get(learner=nour)
    response = client.post(
        reverse("badges:claim", args=[award.uuid]),
        {"email": "nour@example.org", "next": "https://evil.example/"},
    )
    assert response.url == reverse("badges:mine")


# What is still missing


def test_course_page_lists_the_grains_not_done_with_links(
    client, camille, course, quiz, django_capture_on_commit_callbacks
):
    client.force_login(camille)
    fiche, video = course.units.get(slug="fiche"), course.units.get(slug="video")
    page = client.get(course.get_absolute_url()).content.decode()
    assert "Reste à faire" not in page  # not started: the grains are listed below anyway
    with django_capture_on_commit_callbacks(execute=True):
        _mark(client, fiche)
        take_quiz(camille, quiz, passing=False)
    page = client.get(course.get_absolute_url()).content.decode()
    missing = page[
        page.index('class="badge-missing"') : page.index(
            "</ul>", page.index('class="badge-missing"')
        )
    ]
    assert f'href="{video.get_absolute_url()}"' in missing and video.title in missing
    assert f'href="{quiz.unit.get_absolute_url()}"' in missing
    assert "Réussir « Le quiz » avec au moins 70 % (votre meilleur score : 0 %)" in missing
    assert fiche.get_absolute_url() not in missing  # done


def test_quiz_result_says_what_is_missing_until_the_course_is_complete(
    client, camille, course, quiz
):
    client.force_login(camille)
    video = course.units.get(slug="video")
    _mark(client, course.units.get(slug="fiche"))
    attempt, response = _submit(client, camille, quiz, passing=True, **HTMX)
    body = response.content.decode()
    assert "Reste à faire pour obtenir le badge" in body
    missing = body[body.index('class="badge-missing"') :]
    assert f'href="{video.get_absolute_url()}"' in missing
    assert "Réussir « Le quiz »" not in missing  # passed
    page = client.get(reverse("quizzes:attempt", args=[attempt.id])).content.decode()
    assert f'href="{video.get_absolute_url()}"' in page[page.index('class="badge-missing"') :]


def test_a_failed_quiz_is_listed_with_the_best_score(client, camille, course, quiz):
    client.force_login(camille)
    _attempt, response = _submit(client, camille, quiz, passing=False, **HTMX)
    body = response.content.decode()
    missing = body[body.index('class="badge-missing"') :]
    assert "Réussir « Le quiz » avec au moins 70 % (votre meilleur score : 0 %)" in missing
    for slug in ("fiche", "video"):
        assert course.units.get(slug=slug).get_absolute_url() in missing


# One image per course


def _png_ok(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.verify()
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (400, 400)
    return image


def test_two_courses_of_different_levels_and_areas_get_distinct_images(client):
    beginner = make_course(title="Sécuriser ses comptes", competences=("4.2", "4.1"))
    advanced = make_course(
        title="Chercher une information fiable",
        level=Course.Level.ADVANCED,
        competences=("1.1", "1.2", "4.2"),
    )
    images = []
    for course in (beginner, advanced):
        response = client.get(reverse("badges:class_image", args=[course.badge_class.uuid]))
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        _png_ok(response.content)
        images.append(response.content)
    assert images[0] != images[1]

    first, second = artwork_args(course=beginner), artwork_args(course=advanced)
    assert (first["area"], second["area"]) == ("4", "1")  # the area most competences are in
    svg_beginner, svg_advanced = badge_svg(**first), badge_svg(**second)
    assert "Débutant" in svg_beginner and "Confirmé" in svg_advanced
    assert "#1f6f43" in svg_beginner and "#7a2e8e" in svg_advanced  # level colours
    # The area's icon: the shield (safety) and the magnifying glass (information).
    assert "32,2 57,11" in svg_beginner and "32,2 57,11" not in svg_advanced
    assert 'r="17"' in svg_advanced and 'r="17"' not in svg_beginner


def test_same_level_different_area_differs_and_the_level_word_follows_the_course_language():
    english = make_course(title="Staying safe online", language="en", competences=("4.2",))
    args = artwork_args(course=english)
    assert args["level_label"] == "Beginner"  # the course's language, not the page's
    other_area = dict(args, area="2")
    assert badge_png(**args) != badge_png(**other_area)
    assert badge_svg(**args) != badge_svg(**other_area)


@pytest.mark.parametrize(
    "title",
    [
        "Visio",
        "Sécuriser ses comptes",
        "Organiser ses fichiers et ses dossiers sur l’ordinateur du travail",
        "Anticonstitutionnellement",
        "Un très long titre de parcours qui ne tiendra jamais en trois lignes sur un badge rond",
    ],
)
def test_the_title_fits_in_three_lines_at_a_size_legible_at_90_px(title):
    size, lines = title_layout(title)
    assert size >= TITLE_SIZES[-1] and 1 <= len(lines) <= 3
    assert all(_width(line, size) <= TITLE_WIDTH for line in lines)
    svg = badge_svg(title=title, level="intermediate", level_label="Intermédiaire", area="3")
    assert "Intermédiaire" in svg and f'font-size="{size}"' in svg
    _png_ok(badge_png(title=title, level="intermediate", level_label="Intermédiaire", area="3"))


def test_a_short_title_is_shown_bigger_than_a_long_one():
    assert title_layout("Visio")[0] > title_layout("Organiser ses fichiers et ses dossiers")[0]


# The holder's name on the verification page


@pytest.fixture
def award(camille, course, quiz, django_capture_on_commit_callbacks):
    camille.display_name = "Camille Martin"
    camille.save()
    with django_capture_on_commit_callbacks(execute=True):
        finish_fiche_and_video(camille, course)
        take_quiz(camille, quiz, passing=True)
    return Assertion.objects.get(learner=camille)


def _page(client, award) -> str:
    return client.get(award.get_absolute_url(), HTTP_ACCEPT="text/html").content.decode()


def _document(client, award) -> str:
    response = client.get(award.get_absolute_url(), **LD)
    assert response.status_code == 200
    return response.content.decode()


def test_the_holders_name_shows_only_when_they_chose_it_and_never_in_the_json(
    client, camille, award
):
    assert award.show_name is False
    assert "Camille Martin" not in _page(client, award)
    assert "Camille" not in _document(client, award)

    client.force_login(camille)
    mine = client.get(reverse("badges:mine")).content.decode()
    assert "Afficher mon nom, « Camille Martin », sur la page de vérification" in mine
    url = reverse("badges:show_name", args=[award.uuid])
    response = client.post(url, {"show_name": "on"})
    assert response.status_code == 302
    assert response.url == reverse("badges:mine") + f"#badge-{award.uuid}"
    award.refresh_from_db()
    assert award.show_name is True
    client.logout()
    page = _page(client, award)
    assert "Titulaire" in page and "Camille Martin" in page
    document = _document(client, award)
    assert "Camille" not in document and "Martin" not in document
    assert set(json.loads(document)["recipient"]) == {"type", "hashed", "salt", "identity"}

    client.force_login(camille)
    client.post(url, {})  # unticked
    award.refresh_from_db()
    assert award.show_name is False
    client.logout()
    assert "Camille Martin" not in _page(client, award)


def test_only_the_holder_may_change_the_name_choice(client, camille, award, other_learner):
    url = reverse("badges:show_name", args=[award.uuid])
    response = client.post(url, {"show_name": "on"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(other_learner)
    assert client.post(url, {"show_name": "on"}).status_code == 404
    client.force_login(camille)
    assert client.get(url).status_code == 405
    award.refresh_from_db()
    assert award.show_name is False


def test_words_are_cut_only_when_one_alone_is_too_long():
    assert title_layout("Communiquer en visio")[1] == ["Communiquer", "en visio"]
    size, lines = title_layout("Anticonstitutionnellement")
    assert len(lines) == 2 and lines[0].endswith("-")
